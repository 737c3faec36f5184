import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError } from '../../cli/errors';
import { postHire } from '../../cli/hire';
import { sendHrEvent } from '../../cli/hrEventSender';
import type { Output } from '../../cli/output';
import { verifySignature } from '../../functions/shared/signature';

const SECRET = 'whsec_cli_test';
const EVENT = `${JSON.stringify({ eventId: 'evt-cli-1', type: 'employee.hired' }, null, 4)}\n`;

type Received = { method?: string; url?: string; headers: IncomingMessage['headers']; body: string };

/** A webhook stand-in on 127.0.0.1 that records every request and answers with `reply`. */
async function recordingServer(
  reply: (request: IncomingMessage) => { status: number; headers?: object; body?: string },
) {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method,
        url: request.url,
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const { status, headers = {}, body = '' } = reply(request);
      response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body);
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, received, close: () => new Promise((closed) => server.close(closed)) };
}

function capture() {
  const printed: string[] = [];
  const out: Output = {
    print: (text) => printed.push(text),
    warn: () => undefined,
    json: false,
    color: false,
  };
  return { out, text: () => printed.join('\n') };
}

function eventFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'iam-onboarding-hire-')), 'event.json');
  writeFileSync(file, EVENT);
  return file;
}

const settle = () => new Promise((wait) => setTimeout(wait, 200));

describe('hire', () => {
  afterEach(() => jest.restoreAllMocks());

  it("posts the file's exact bytes with a signature the webhook's check accepts, and prints the answer", async () => {
    const webhook = await recordingServer(() => ({ status: 202, body: '{"status":"started"}' }));
    const { out, text } = capture();
    try {
      const code = await postHire({ file: eventFile(), url: `${webhook.origin}/hires`, secret: SECRET }, out);

      expect(code).toBe(0);
      expect(text()).toBe('HTTP 202 Accepted\n{\n  "status": "started"\n}');
      expect(webhook.received).toHaveLength(1);
      const [request] = webhook.received;
      expect(request).toMatchObject({ method: 'POST', url: '/hires', body: EVENT });
      expect(request?.headers['content-type']).toBe('application/json');
      const signature = String(request?.headers['onboarding-signature']);
      expect(verifySignature(EVENT, signature, [SECRET], Math.floor(Date.now() / 1000))).toEqual({
        valid: true,
      });
    } finally {
      await webhook.close();
    }
  });

  it.each([302, 307])(
    'reports a %i as an error naming its Location and sends nothing again',
    async (status) => {
      const webhook = await recordingServer((request) =>
        request.url === '/hires'
          ? { status, headers: { location: '/elsewhere' } }
          : { status: 202, body: '{"status":"started"}' },
      );
      try {
        const posting = postHire(
          { file: eventFile(), url: `${webhook.origin}/hires`, secret: SECRET },
          capture().out,
        );

        await expect(posting).rejects.toThrow(CliError);
        await expect(posting).rejects.toThrow(
          new RegExp(`answered ${status} .*a redirect to /elsewhere: not followed`),
        );
        await settle();
        expect(webhook.received.map((request) => request.url)).toEqual(['/hires']);
      } finally {
        await webhook.close();
      }
    },
  );

  it.each([
    'http://192.0.2.10/hires',
    'http://example.com/hires',
    'http://127.0.0.1.example.com/hires',
    'http://[::ffff:c000:20a]/hires',
  ])('refuses plain http to %s before sending anything', async (url) => {
    const fetching = jest.spyOn(globalThis, 'fetch');

    const posting = postHire({ file: eventFile(), url, secret: SECRET }, capture().out);

    await expect(posting).rejects.toThrow(CliError);
    await expect(posting).rejects.toThrow(/Refusing to send a signed event over plain http to .*use https/);
    expect(fetching).not.toHaveBeenCalled();
  });

  it('sends to https anywhere', async () => {
    const fetching = jest
      .spyOn(globalThis, 'fetch')
      .mockResolvedValue(new Response('{"status":"started"}', { status: 202 }));

    const code = await postHire(
      { file: eventFile(), url: 'https://hr-hooks.example.com/hires', secret: SECRET },
      capture().out,
    );

    expect(code).toBe(0);
    expect(fetching).toHaveBeenCalledTimes(1);
    expect(String(fetching.mock.calls[0]?.[0])).toBe('https://hr-hooks.example.com/hires');
  });
});

describe('sendHrEvent', () => {
  it('posts to the path under the base URL, so other routes (POST /events) take the same signing', async () => {
    const webhook = await recordingServer(() => ({ status: 400, body: '{"errors":[]}' }));
    try {
      const answer = await sendHrEvent({
        url: `${webhook.origin}/`,
        path: '/events',
        body: '{"type":"employee.updated"}',
        secret: SECRET,
      });

      expect(answer).toEqual({
        status: 400,
        statusText: 'Bad Request',
        ok: false,
        text: '{"errors":[]}',
        json: { errors: [] },
      });
      expect(webhook.received.map((request) => request.url)).toEqual(['/events']);
    } finally {
      await webhook.close();
    }
  });

  it('says which URL it cannot reach', async () => {
    const webhook = await recordingServer(() => ({ status: 202 }));
    await webhook.close();

    const sending = sendHrEvent({ url: `${webhook.origin}/hires`, body: '{}', secret: SECRET });

    await expect(sending).rejects.toThrow(
      new RegExp(`^Cannot reach ${webhook.origin}/hires: .*ECONNREFUSED`),
    );
  });
});
