import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CliError } from '../../cli/errors';
import type { Output } from '../../cli/output';
import { showEventStatus } from '../../cli/status';
import { verifyRequestSignature } from '../../functions/shared/signature';
import { hireEvent, startTestStack, type TestStack } from '../e2e/support/testStack';
import { runCli } from './support/runCli';

const SECRET = 'whsec_cli_status_test';

type Received = { method?: string; url?: string; headers: IncomingMessage['headers'] };

/** A webhook stand-in on 127.0.0.1 that records every request and answers with `reply`. */
async function recordingServer(reply: () => { status: number; headers?: object; body?: string }) {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    received.push({ method: request.method, url: request.url, headers: request.headers });
    const { status, headers = {}, body = '' } = reply();
    response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, received, close: () => new Promise((closed) => server.close(closed)) };
}

function capture(json = false) {
  const printed: string[] = [];
  const out: Output = { print: (text) => printed.push(text), warn: () => undefined, json, color: false };
  return { out, text: () => printed.join('\n') };
}

const SUCCEEDED = {
  eventId: 'evt-2025-0001',
  type: 'employee.hired',
  status: 'succeeded',
  executionArn: 'arn:aws:states:us-east-1:000000000000:execution:iam-onboarding-local:evt-2025-0001-x',
  startedAt: '2026-11-28T00:33:40.000Z',
  stoppedAt: '2026-11-28T00:33:41.000Z',
  userName: 'ada.lovelace',
  signInUrl: 'https://000000000000.signin.aws.amazon.com/console',
};

describe('status', () => {
  it('GETs /events/<eventId> signed over "<t>.GET.<path>" and prints the answer field by field', async () => {
    const webhook = await recordingServer(() => ({ status: 200, body: JSON.stringify(SUCCEEDED) }));
    const { out, text } = capture();
    try {
      const code = await showEventStatus(
        { eventId: 'evt-2025-0001', url: `${webhook.origin}/hires`, secret: SECRET },
        out,
      );

      expect(code).toBe(0);
      const [request] = webhook.received;
      expect(request).toMatchObject({ method: 'GET', url: '/events/evt-2025-0001' });
      const now = Math.floor(Date.now() / 1000);
      const header = String(request?.headers['onboarding-signature']);
      expect(verifyRequestSignature('GET', '/events/evt-2025-0001', header, [SECRET], now)).toEqual({
        valid: true,
      });
      expect(verifyRequestSignature('GET', '/events/evt-2025-0002', header, [SECRET], now)).toEqual({
        valid: false,
        problem: 'invalid',
      });
      expect(text()).toContain('Status:      succeeded');
      expect(text()).toContain('User name:   ada.lovelace');
      expect(text()).toContain(`Sign-in URL: ${SUCCEEDED.signInUrl}`);
    } finally {
      await webhook.close();
    }
  });

  it('prints the status and body of a non-2xx answer, as JSON with --json, and exits 1', async () => {
    const webhook = await recordingServer(() => ({
      status: 404,
      body: '{"message":"No HR event with this eventId"}',
    }));
    const { out, text } = capture(true);
    try {
      const code = await showEventStatus({ eventId: 'evt-x', url: webhook.origin, secret: SECRET }, out);

      expect(code).toBe(1);
      expect(JSON.parse(text())).toEqual({ status: 404, body: { message: 'No HR event with this eventId' } });
    } finally {
      await webhook.close();
    }
  });

  it('follows no redirect with the signature', async () => {
    const webhook = await recordingServer(() => ({ status: 307, headers: { location: '/elsewhere' } }));
    try {
      await expect(
        showEventStatus({ eventId: 'evt-x', url: webhook.origin, secret: SECRET }, capture().out),
      ).rejects.toThrow(/a redirect to \/elsewhere: not followed/);
      expect(webhook.received).toHaveLength(1);
    } finally {
      await webhook.close();
    }
  });

  it('refuses plain http to anything but loopback, and no secret, before sending anything', async () => {
    const fetchSpy = jest.spyOn(globalThis, 'fetch');

    await expect(
      showEventStatus({ eventId: 'evt-x', url: 'http://webhook.example.com', secret: SECRET }, capture().out),
    ).rejects.toThrow(CliError);
    await expect(
      showEventStatus({ eventId: 'evt-x', url: 'http://127.0.0.1:1' }, capture().out),
    ).rejects.toThrow(/No signing secret/);
    expect(fetchSpy).not.toHaveBeenCalled();
    fetchSpy.mockRestore();
  });

  describe('against the local stack, as `npx iam-onboarding status`', () => {
    let stack: TestStack;

    beforeAll(async () => {
      stack = await startTestStack();
    });

    afterAll(async () => {
      await stack.close();
    });

    it("prints the hire's status with --json from the banner's secret and the webhook URL", async () => {
      const hire = hireEvent();
      await stack.postHire(hire);
      await stack.settleStatus(hire.eventId);
      const env = { ONBOARDING_WEBHOOK_SECRET: stack.webhookSecret };

      const json = await runCli(['status', hire.eventId, '--url', stack.urls.webhook, '--json'], env);
      const wrong = await runCli(
        ['status', hire.eventId, '--url', stack.urls.webhook, '--secret', 'wrong'],
        env,
      );

      expect(json.status).toBe(0);
      expect(JSON.parse(json.stdout)).toEqual({
        status: 200,
        body: expect.objectContaining({
          eventId: hire.eventId,
          status: 'succeeded',
          userName: `ada.${hire.employee.familyName.toLowerCase()}`,
          signInUrl: 'https://000000000000.signin.aws.amazon.com/console',
        }),
      });
      expect(wrong.status).toBe(1);
      expect(wrong.stdout).toContain('HTTP 401 Unauthorized');
    }, 60_000);
  });
});
