import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { HIRES_PATH, sendHrEvent } from '../cli/hrEventSender';
import { type Stack, type StackOptions, startStack } from '../local/stack';

/** How big a run is: `full` for the README numbers, `short` for CI, `tiny` for the jest smoke test. */
export type Mode = 'full' | 'short' | 'tiny';

/** One line of the printed table. `met` is undefined for figures that have no target. */
export type Row = { metric: string; value: string; target?: string; met?: boolean };

/** What every benchmark module returns: table rows plus the raw measurements for the JSON file. */
export type BenchResult = { name: string; rows: Row[]; data: Record<string, unknown> };

export type BenchStack = Stack & {
  dataDir: string;
  sfn: SFNClient;
  /** Signs `raw` with the stack's webhook secret (timestamp now) and POSTs it to /hires. */
  post(raw: string): Promise<{ status: number; body: Record<string, unknown> }>;
  describe(executionArn: string): Promise<DescribeExecutionCommandOutput>;
  /** Polls DescribeExecution every `intervalMs` until the execution leaves RUNNING. */
  settle(
    executionArn: string,
    timeoutMs?: number,
    intervalMs?: number,
  ): Promise<DescribeExecutionCommandOutput>;
  /** Emails stored by the SES emulator since `sinceMs` (second resolution, as the emulator keeps them). */
  emailsSince(sinceMs: number): Promise<Email[]>;
  close(): Promise<void>;
};

export type Email = { messageId: string; destination: { to: string[] }; subject: string; at: number };

/** The local stack on free loopback ports with a fresh temporary data folder. */
export async function startBenchStack(options: StackOptions = {}): Promise<BenchStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'iam-onboarding-bench-'));
  const stack = await startStack({
    awsPort: 0,
    webhookPort: 0,
    sesPort: 0,
    consolePort: 0,
    host: '127.0.0.1',
    ...options,
    dataDir,
  });
  const sfn = new SFNClient({ ...stack.clientConfig, maxAttempts: 1 });
  const describe = (executionArn: string) => sfn.send(new DescribeExecutionCommand({ executionArn }));
  return {
    ...stack,
    dataDir,
    sfn,
    async post(raw) {
      const answer = await sendHrEvent({
        url: stack.urls.webhook,
        path: HIRES_PATH,
        body: raw,
        secret: stack.webhookSecret,
      });
      return { status: answer.status, body: answer.json as Record<string, unknown> };
    },
    describe,
    async settle(executionArn, timeoutMs = 60_000, intervalMs = 5) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const execution = await describe(executionArn);
        if (execution.status !== 'RUNNING') return execution;
        if (Date.now() > deadline) throw new Error(`${executionArn} still RUNNING after ${timeoutMs} ms`);
        await sleep(intervalMs);
      }
    },
    async emailsSince(sinceMs) {
      const since = Math.floor(sinceMs / 1000) - 1;
      const response = await fetch(`${stack.urls.ses}/store?since=${since}`);
      return ((await response.json()) as { emails: Email[] }).emails;
    },
    async close() {
      await stack.whenIdle();
      await stack.stop();
      sfn.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A valid employee.hired event (Engineering: the profile with the most IAM calls but copyFrom). */
export function hireEvent(run: string, index: number) {
  // Letters only: the user name is derived from the names, so every hire gets a distinct one.
  const n = `${run}${letters(index, 4)}`;
  return {
    eventId: `bench-${n}`,
    type: 'employee.hired',
    occurredAt: '2026-11-28T09:00:00Z',
    employee: {
      id: `E${n}`,
      givenName: 'Ada',
      familyName: `Bench${n}`,
      workEmail: `ada.${n}@example.com`,
      department: 'Engineering',
      managerEmail: `manager.${n}@example.com`,
    },
  };
}

/** A short random tag (letters) that keeps one run's events apart from another's. */
export function runTag(): string {
  return letters(Math.floor(Math.random() * 26 ** 5), 5);
}

/** `n` in base 26 with the digits a-z, `width` letters. */
function letters(n: number, width: number): string {
  let text = '';
  for (let rest = n, i = 0; i < width; i += 1, rest = Math.floor(rest / 26)) {
    text = String.fromCharCode(97 + (rest % 26)) + text;
  }
  return text;
}

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** The q-quantile (0..1) of `values` by linear interpolation; NaN for none. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const lowValue = sorted[low] ?? Number.NaN;
  const highValue = sorted[high] ?? Number.NaN;
  return lowValue + (highValue - lowValue) * (position - low);
}

export const median = (values: readonly number[]) => quantile(values, 0.5);

/** `n` with `digits` decimals, for the table. */
export function fixed(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : 'n/a';
}

/** The machine the numbers come from, as the README states it. */
export function machine() {
  const cpu = cpus();
  return {
    cores: cpu.length,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

/**
 * Counts (and swallows) what the functions log while `body` runs: the handlers log JSON lines (INFO
 * as deployed) to stdout and errors to stderr; the byte count feeds the CloudWatch Logs estimate.
 */
export async function withCapturedOutput<T>(
  body: () => Promise<T>,
): Promise<{ result: T; bytes: number; lines: number }> {
  const streams = [process.stdout, process.stderr] as const;
  const writes = streams.map((stream) => stream.write);
  let bytes = 0;
  let lines = 0;
  for (const stream of streams) {
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      lines += 1;
      const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }) as typeof stream.write;
  }
  try {
    const result = await body();
    return { result, bytes, lines };
  } finally {
    streams.forEach((stream, i) => {
      stream.write = writes[i] as typeof stream.write;
    });
  }
}
