import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hireEvent, startTestStack, type TestStack } from '../e2e/support/testStack';

/** A raw HTTP request, so the Host header and the body can be anything a browser page could send. */
function send(
  url: string,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const target = new URL(options.path ?? '/', url);
  return new Promise((resolve, reject) => {
    const req = request(target, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    // An oversized body is refused before it is read: the server may close while we still write.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' ? undefined : reject(error)));
    req.end(options.body);
  });
}

const mode = (path: string) => statSync(path).mode & 0o777;
const REBOUND = { host: 'attacker.example:4566' };

let stack: TestStack;
let dataDir: string;

beforeAll(async () => {
  // A data folder left by an older version, readable by everyone: opening the stack narrows it.
  dataDir = mkdtempSync(join(tmpdir(), 'iam-onboarding-hardening-'));
  mkdirSync(dataDir, { recursive: true });
  chmodSync(dataDir, 0o755);
  writeFileSync(join(dataDir, 'secretsmanager.jsonl'), '', { mode: 0o644 });
  stack = await startTestStack({ dataDir });
}, 60_000);

afterAll(async () => {
  await stack?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('local stack hardening', () => {
  describe('a Host header that is not loopback (DNS rebinding)', () => {
    it.each([
      ['AWS endpoint', () => stack.urls.aws, '/_local/faults'],
      ['webhook HTTP API', () => stack.urls.webhook, '/hires'],
      ['ops console', () => stack.urls.console, '/api/executions'],
      ['mailbox', () => stack.urls.ses, '/store'],
    ])('is refused by the %s with 421, before anything is read', async (_, url, path) => {
      const refused = await send(url(), { path, headers: REBOUND });
      expect(refused.status).toBe(421);
      expect(JSON.parse(refused.body).message).toBe(
        'Host "attacker.example:4566" is not a loopback name: the local stack answers localhost, 127.0.0.0/8 and [::1] only',
      );
    });

    it.each(['localhost', '127.0.0.1', '127.1.2.3', '[::1]', 'LOCALHOST'])(
      'lets %s through, with or without a port',
      async (host) => {
        const port = new URL(stack.urls.ses).port;
        expect((await send(stack.urls.ses, { path: '/store', headers: { host } })).status).toBe(200);
        expect(
          (await send(stack.urls.ses, { path: '/store', headers: { host: `${host}:${port}` } })).status,
        ).toBe(200);
      },
    );

    it.each(['localhost.attacker.example', '127.0.0.1.nip.io', '10.0.0.1', '[::2]'])(
      'refuses %j',
      async (host) => {
        expect((await send(stack.urls.console, { path: '/api/users', headers: { host } })).status).toBe(421);
      },
    );
  });

  describe('the fault endpoint', () => {
    afterEach(() => stack.faults.clear());
    const rule = { service: 'iam', action: 'CreateUser', code: 'Throttling', count: 1 };

    it('refuses a cross-site text/plain POST (a form or fetch without preflight) and arms nothing', async () => {
      const response = await send(stack.urls.aws, {
        method: 'POST',
        path: '/_local/faults',
        headers: {
          'content-type': 'text/plain',
          origin: 'http://attacker.example',
          'sec-fetch-site': 'cross-site',
        },
        body: JSON.stringify({ rules: [rule] }),
      });
      expect(response.status).toBe(415);
      expect(stack.faults.describe().rules).toEqual([]);
    });

    it('refuses a JSON POST from another origin and arms nothing', async () => {
      const response = await send(stack.urls.aws, {
        method: 'POST',
        path: '/_local/faults',
        headers: { 'content-type': 'application/json', origin: 'http://attacker.example' },
        body: JSON.stringify({ rules: [rule] }),
      });
      expect(response.status).toBe(403);
      expect(JSON.parse(response.body).message).toBe('Cross-site requests are refused');
      expect(stack.faults.describe().rules).toEqual([]);
    });

    it('takes a JSON POST from curl or the same origin', async () => {
      const response = await send(stack.urls.aws, {
        method: 'POST',
        path: '/_local/faults',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ rules: [rule] }),
      });
      expect(response.status).toBe(200);
      expect(stack.faults.describe().rules).toEqual([rule]);
    });

    it('validates the rules as a whole: one bad part arms none of them and names every problem', async () => {
      const response = await send(stack.urls.aws, {
        method: 'POST',
        path: '/_local/faults',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          rules: [rule, { service: 'iam', action: 'GetUser', code: 'NoSuchEntity', count: 0 }],
          crashes: [{ function: 'createUser', count: 1 }],
          rates: { lambda: 5 },
        }),
      });
      expect(response.status).toBe(400);
      const { message } = JSON.parse(response.body) as { message: string };
      expect(message).toContain('Invalid fault configuration (nothing applied)');
      expect(message).toContain('/rules/1/count must be >= 1');
      expect(message).toContain('/rates must be equal to one of the allowed values');
      expect(stack.faults.describe()).toEqual({ rules: [], crashes: [], rates: {} });
    });
  });

  describe('the end-wait endpoint (the local stand-in for a clock)', () => {
    const endWait = (body: string, headers: Record<string, string> = {}) =>
      send(stack.urls.aws, {
        method: 'POST',
        path: '/_local/executions/end-wait',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });

    it('ends the Wait a running execution is in; refuses one that is not waiting, bad bodies and other origins', async () => {
      const hire = hireEvent();
      const termination = {
        eventId: `${hire.eventId}-t`,
        type: 'employee.terminated',
        occurredAt: '2026-11-30T09:00:00Z',
        effectiveAt: '2027-06-30T17:00:00Z',
        employee: { id: hire.employee.id },
      };
      const executionArn = String((await stack.postEvent(termination)).json.executionArn);
      const body = JSON.stringify({ executionArn });

      expect((await endWait(body, { origin: 'http://attacker.example' })).status).toBe(403);
      expect((await endWait('{"executionArn": 7}')).status).toBe(400);
      expect((await endWait('not json')).status).toBe(400);
      let ended = await endWait(body);
      for (let tries = 0; ended.status === 409 && tries < 100; tries += 1) {
        await new Promise((wait) => setTimeout(wait, 20)); // until it has entered the Wait
        ended = await endWait(body);
      }
      expect({ status: ended.status, body: JSON.parse(ended.body) }).toEqual({
        status: 200,
        body: { executionArn, endedWait: 'WaitUntilEffective' },
      });
      // No such employee: the leaver goes on to FindUser at once and alerts ops.
      expect((await stack.settle(executionArn)).error).toBe('EmployeeUserNotFoundError');
      const again = await endWait(body);
      expect(again.status).toBe(409);
      expect(JSON.parse(again.body).message).toBe(`Execution ${executionArn} is FAILED, not in a Wait state`);
    });
  });

  describe('a body over the limit', () => {
    const signedFor = (service: string) => ({
      authorization: `AWS4-HMAC-SHA256 Credential=AKIALOCALADMIN000000/20261202/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
    });

    it('gets IAM its query-protocol 413 (1 MiB), from the Content-Length alone', async () => {
      const response = await send(stack.urls.aws, {
        method: 'POST',
        headers: {
          ...signedFor('iam'),
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': String(1024 * 1024 + 1),
        },
        body: Buffer.alloc(16),
      });
      expect(response.status).toBe(413);
      expect(response.body).toContain('<Code>RequestEntityTooLargeException</Code>');
      expect(response.body).toContain('<Message>The request body exceeds 1048576 bytes</Message>');
    });

    it('gets Step Functions its JSON 413 when a chunked body grows past 1 MB', async () => {
      const response = await send(stack.urls.aws, {
        method: 'POST',
        headers: {
          ...signedFor('states'),
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'AWSStepFunctions.StartExecution',
          'transfer-encoding': 'chunked',
        },
        body: Buffer.alloc(1024 * 1024 + 1, 'x'),
      });
      expect(response.status).toBe(413);
      expect(JSON.parse(response.body)).toEqual({
        __type: 'RequestEntityTooLargeException',
        message: 'The request body exceeds 1048576 bytes',
      });
    });

    it("gets the webhook API Gateway's 413 past 10 MB, without invoking the function", async () => {
      const response = await send(stack.urls.webhook, {
        method: 'POST',
        path: '/hires',
        headers: { 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024 + 1) },
        body: Buffer.alloc(16),
      });
      expect(response.status).toBe(413);
      expect(JSON.parse(response.body)).toEqual({ message: 'Request Entity Too Large' });
    });
  });

  describe('the data folder', () => {
    it('is the owner’s only (0700), its files 0600, also after a hire stored a temporary password', async () => {
      const { status, json } = await stack.postHire(hireEvent());
      expect(status).toBe(202);
      await stack.settle(String(json.executionArn));

      expect(mode(dataDir)).toBe(0o700);
      const files = readdirSync(dataDir);
      expect(files.sort()).toEqual(['iam.jsonl', 'secretsmanager.jsonl', 'stepfunctions.jsonl']);
      for (const file of files) expect([file, mode(join(dataDir, file))]).toEqual([file, 0o600]);
    });
  });
});
