import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { signatureHeader } from '../functions/shared/signature';
import type { LoadResult, LoadSpec } from './loadClient';
import { type BenchResult, fixed, hireEvent, type Mode, runTag, startBenchStack, withCapturedOutput } from './support';

const run = promisify(execFile);

/** Connections and duration (s) of each measured run; `amount` bounds the tiny mode instead. */
const SIZES: Record<Mode, { connections: number; duration: number; warmup: number; amount?: number; unique: number }> =
  {
    full: { connections: 10, duration: 10, warmup: 2, unique: 300 },
    short: { connections: 10, duration: 2, warmup: 1, unique: 50 },
    tiny: { connections: 2, duration: 1, warmup: 0, amount: 20, unique: 10 },
  };
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 10;

/**
 * Webhook throughput and latency under load, next to a bare node:http server on the same machine
 * in the same run. Both servers live in this process; autocannon runs in a child process.
 *
 * The measured webhook request is one signed event resent: the idempotent duplicate path, which is
 * the whole webhook (API Gateway v2 event, size and content-type checks, HMAC, JSON, duplicate-key
 * scan, schema, access profile, then StartExecution answering ExecutionAlreadyExists and
 * DescribeExecution through the local AWS endpoint) without starting a workflow per request, so
 * the figure is the webhook's and not the workflows'. A second, smaller run posts unique events
 * (each starts an onboarding, which then runs in the same process) and is reported without target.
 */
export async function runWebhookLoad(mode: Mode): Promise<BenchResult> {
  const size = SIZES[mode];
  const bare = await startBareServer();
  const stack = await startBenchStack();
  try {
    const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/hires`;
    const webhookUrl = `${stack.urls.webhook}/hires`;
    const raw = JSON.stringify(hireEvent(runTag(), 0));
    const headers = {
      'content-type': 'application/json',
      'onboarding-signature': signatureHeader(raw, stack.webhookSecret, Math.floor(Date.now() / 1000)),
    };

    const { result, bytes } = await withCapturedOutput(async () => {
      const first = await stack.post(raw);
      if (first.status !== 202) throw new Error(`first POST answered ${first.status}`);
      await stack.settle(String(first.body.executionArn));
      const spec = { connections: size.connections, duration: size.duration, amount: size.amount };
      if (size.warmup > 0) {
        await load({ ...spec, url: bareUrl, body: raw, headers, duration: size.warmup, amount: undefined });
        await load({ ...spec, url: webhookUrl, body: raw, headers, duration: size.warmup, amount: undefined });
      }
      const bareResult = await load({ ...spec, url: bareUrl, body: raw, headers });
      const webhookResult = await load({ ...spec, url: webhookUrl, body: raw, headers });
      const template = JSON.stringify(hireEvent(`u${runTag()}`, 0))
        .replace(/"eventId":"[^"]+"/, '"eventId":"bench-%ID%"')
        .replace(/"id":"[^"]+"/, '"id":"E%ID%"')
        .replace(/"workEmail":"[^"]+"/, '"workEmail":"u%ID%@example.com"')
        .replace(/"familyName":"[^"]+"/, '"familyName":"Unique"');
      const uniqueResult = await load({
        url: webhookUrl,
        connections: Math.min(size.connections, 4),
        duration: 0,
        amount: size.unique,
        unique: { secret: stack.webhookSecret, template },
      });
      const drainStarted = Date.now();
      await stack.whenIdle();
      return { bareResult, webhookResult, uniqueResult, drainMs: Date.now() - drainStarted };
    });
    const { bareResult, webhookResult, uniqueResult, drainMs } = result;
    const ratio = webhookResult.requestsPerSecond / bareResult.requestsPerSecond;
    const accepted = webhookResult.statusCodes['202'] ?? 0;
    const allAccepted = accepted === webhookResult.requests && webhookResult.errors === 0;
    return {
      name: 'webhook',
      rows: [
        { metric: 'Bare node:http 202, req/s', value: fixed(bareResult.requestsPerSecond, 0) },
        {
          metric: 'Bare node:http p50 / p99',
          value: `${fixed(bareResult.latencyMs.p50)} / ${fixed(bareResult.latencyMs.p99)} ms`,
        },
        { metric: 'Webhook (duplicate resend), req/s', value: fixed(webhookResult.requestsPerSecond, 0) },
        {
          metric: 'Webhook / bare http',
          value: `${fixed(ratio, 3)}x`,
          target: `>= ${TARGET_RATIO}x`,
          met: ratio >= TARGET_RATIO && allAccepted,
        },
        {
          metric: 'Webhook p50 / p99',
          value: `${fixed(webhookResult.latencyMs.p50)} / ${fixed(webhookResult.latencyMs.p99)} ms`,
          target: `p99 <= ${TARGET_P99_MS} ms`,
          met: webhookResult.latencyMs.p99 <= TARGET_P99_MS && allAccepted,
        },
        {
          metric: `Webhook, ${uniqueResult.requests} unique hires: req/s, p99`,
          value: `${fixed(uniqueResult.requestsPerSecond, 0)}, ${fixed(uniqueResult.latencyMs.p99)} ms`,
        },
      ],
      data: {
        connections: size.connections,
        durationSeconds: size.duration,
        request: 'one signed employee.hired event resent (202 duplicate)',
        bare: bareResult,
        webhook: webhookResult,
        ratio,
        unique: { ...uniqueResult, drainMs },
        functionLogBytes: bytes,
      },
    };
  } finally {
    await stack.close();
    await new Promise((done) => bare.close(done));
  }
}

/** What the webhook answers, minus the work: reads the body, answers 202 with a small JSON. */
function startBareServer(): Promise<Server> {
  const answer = JSON.stringify({
    executionArn: 'arn:aws:states:us-east-1:000000000000:execution:iam-onboarding-local:bench',
    status: 'duplicate',
  });
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end(answer);
    });
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

async function load(spec: LoadSpec): Promise<LoadResult> {
  const client = resolve(__dirname, 'loadClient.ts');
  const { stdout } = await run(process.execPath, ['--import', 'tsx', client, JSON.stringify(spec)], {
    cwd: resolve(__dirname, '..'),
    maxBuffer: 1024 * 1024,
    timeout: ((spec.duration || 30) + 60) * 1000,
  });
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as LoadResult;
}
