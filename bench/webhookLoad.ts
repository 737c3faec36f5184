import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { signedHeaders } from '../cli/hrEventSender';
import type { LoadResult, LoadSpec } from './loadClient';
import {
  type BenchResult,
  fixed,
  hireEvent,
  type Mode,
  runTag,
  startBenchStack,
  withCapturedOutput,
} from './support';

const run = promisify(execFile);

/** Connections and duration (s) of each measured run; `amount` bounds the tiny mode instead. */
const SIZES: Record<
  Mode,
  { connections: number; duration: number; warmup: number; amount?: number; unique: number }
> = {
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
 *
 * A third server, measured the same way, makes only the webhook's two Step Functions calls for a
 * resend (StartExecution answered ExecutionAlreadyExists, then DescribeExecution) with the same SDK
 * client settings, and nothing else: the ceiling for any webhook that goes through the SDK seam.
 */
export async function runWebhookLoad(mode: Mode): Promise<BenchResult> {
  const size = SIZES[mode];
  const bare = await startBareServer();
  const stack = await startBenchStack();
  const sfn = new SFNClient({ maxAttempts: 3 }); // functions/shared/sfnClient.ts, endpoint from the environment
  let sdkOnly: Server | undefined;
  try {
    const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/hires`;
    const webhookUrl = `${stack.urls.webhook}/hires`;
    const raw = JSON.stringify(hireEvent(runTag(), 0));
    const headers = signedHeaders(raw, stack.webhookSecret);

    const { result, bytes } = await withCapturedOutput(async () => {
      const first = await stack.post(raw);
      if (first.status !== 202) throw new Error(`first POST answered ${first.status}`);
      const arn = String(first.body.executionArn);
      const { input, name } = await stack.settle(arn);
      sdkOnly = await startSdkOnlyServer(sfn, { stateMachineArn: stack.stateMachineArn, name, input }, arn);
      const sdkOnlyUrl = `http://127.0.0.1:${(sdkOnly.address() as AddressInfo).port}/hires`;
      const spec = { connections: size.connections, duration: size.duration, amount: size.amount };
      if (size.warmup > 0) {
        await load({ ...spec, url: bareUrl, body: raw, headers, duration: size.warmup, amount: undefined });
        await load({
          ...spec,
          url: webhookUrl,
          body: raw,
          headers,
          duration: size.warmup,
          amount: undefined,
        });
      }
      const bareResult = await load({ ...spec, url: bareUrl, body: raw, headers });
      const sdkOnlyResult = await load({ ...spec, url: sdkOnlyUrl, body: raw, headers });
      const webhookResult = await load({ ...spec, url: webhookUrl, body: raw, headers });
      const singleResult = await load({ ...spec, connections: 1, url: webhookUrl, body: raw, headers });
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
      return {
        bareResult,
        sdkOnlyResult,
        webhookResult,
        singleResult,
        uniqueResult,
        drainMs: Date.now() - drainStarted,
      };
    });
    const { bareResult, sdkOnlyResult, webhookResult, singleResult, uniqueResult, drainMs } = result;
    // autocannon's latency histogram has 1 ms resolution.
    const ms = (n: number) => (n < 1 ? '<1' : fixed(n, 0));
    const p50p99 = (load: LoadResult) => `${ms(load.latencyMs.p50)} / ${ms(load.latencyMs.p99)} ms`;
    const ratio = webhookResult.requestsPerSecond / bareResult.requestsPerSecond;
    const accepted = webhookResult.statusCodes['202'] ?? 0;
    const allAccepted = accepted === webhookResult.requests && webhookResult.errors === 0;
    return {
      name: 'webhook',
      rows: [
        { metric: 'Bare node:http 202, req/s', value: fixed(bareResult.requestsPerSecond, 0) },
        {
          metric: 'Bare node:http p50 / p99',
          value: p50p99(bareResult),
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
          value: p50p99(webhookResult),
          target: `p99 <= ${TARGET_P99_MS} ms`,
          met: webhookResult.latencyMs.p99 <= TARGET_P99_MS && allAccepted,
        },
        {
          metric: 'Two SFN SDK calls only (the SDK-seam ceiling), req/s',
          value: `${fixed(sdkOnlyResult.requestsPerSecond, 0)} (webhook = ${fixed(
            webhookResult.requestsPerSecond / sdkOnlyResult.requestsPerSecond,
            2,
          )}x of it)`,
        },
        {
          metric: 'Webhook, 1 connection: req/s, p50 / p99',
          value: `${fixed(singleResult.requestsPerSecond, 0)}, ${p50p99(singleResult)}`,
        },
        {
          metric: `Webhook, ${uniqueResult.requests} unique hires: req/s, p99`,
          value: `${fixed(uniqueResult.requestsPerSecond, 0)}, ${ms(uniqueResult.latencyMs.p99)} ms`,
        },
      ],
      data: {
        connections: size.connections,
        durationSeconds: size.duration,
        request: 'one signed employee.hired event resent (202 duplicate)',
        bare: bareResult,
        sdkOnly: sdkOnlyResult,
        webhook: webhookResult,
        webhookOneConnection: singleResult,
        ratio,
        unique: { ...uniqueResult, drainMs },
        functionLogBytes: bytes,
      },
    };
  } finally {
    await stack.close();
    sfn.destroy();
    for (const server of [bare, sdkOnly]) if (server) await new Promise((done) => server.close(done));
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

/** Per request: the webhook's two Step Functions calls for a resend, then its 202; nothing else. */
function startSdkOnlyServer(
  sfn: SFNClient,
  start: { stateMachineArn: string; name?: string; input?: string },
  executionArn: string,
): Promise<Server> {
  const answer = async () => {
    try {
      await sfn.send(new StartExecutionCommand(start));
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
    await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return JSON.stringify({ executionArn, status: 'duplicate' });
  };
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      answer().then(
        (body) => {
          res.writeHead(202, { 'content-type': 'application/json' });
          res.end(body);
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
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
