import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve, sep } from 'node:path';
import { Faults } from '../../local/faults';
import {
  createLambdaRuntime,
  type FunctionLogLine,
  type InvocationReport,
  LambdaFunctionError,
  type LambdaRuntime,
} from '../../local/lambdaRuntime';
import type { FunctionConfig } from '../../local/serverlessConfig';
import { captureOutput } from '../e2e/support/captureOutput';

const functionConfig = (key: string, handler: string, timeout = 3): FunctionConfig => ({
  key,
  handler,
  timeout,
  memorySize: 256,
  environment: {},
  httpApi: [],
});

const fixtures = resolve(__dirname, '../fixtures');
const { builds } = require('../fixtures/esbuildPlugins') as { builds: string[] };

let faults: Faults;
let environmentOf: jest.Mock<Record<string, string>, [string]>;
let runtime: LambdaRuntime;

beforeEach(() => {
  faults = new Faults();
  environmentOf = jest.fn((key: string) => ({
    AWS_LAMBDA_FUNCTION_NAME: `iam-onboarding-test-${key}`,
    GREETING: `hello from ${key}`,
  }));
  runtime = createLambdaRuntime({
    root: fixtures,
    functions: [
      functionConfig('echo', 'handlers/echo.handler'),
      functionConfig('throws', 'handlers/throws.handler'),
      functionConfig('hangs', 'handlers/hangs.handler', 1),
      functionConfig('counts', 'handlers/counts.handler', 1),
      functionConfig('countsToo', 'handlers/counts.handler', 1),
      functionConfig('logs', 'handlers/logs.handler'),
      functionConfig('traces', 'handlers/traces.handler'),
      functionConfig('missing', 'handlers/missing.handler'),
    ],
    functionNamePrefix: 'iam-onboarding-test-',
    accountId: '123456789012',
    region: 'eu-west-1',
    faults,
    environmentOf,
  });
});

afterEach(() => runtime.stop());

/** The error an invocation fails with; fails the test when it succeeds. */
async function failureOf(invocation: Promise<unknown>): Promise<LambdaFunctionError> {
  try {
    await invocation;
  } catch (error) {
    if (error instanceof LambdaFunctionError) return error;
    throw error;
  }
  throw new Error('expected the invocation to fail');
}

type Echo = {
  event: { nested?: { seen?: boolean } };
  functionName: string;
  invokedFunctionArn: string;
  awsRequestId: string;
  remainingTimeInMillis: number;
};

type Counts = { invocations: number; greeting?: string };
type Traces = { file: string; stack: string };

describe('createLambdaRuntime', () => {
  describe('arnOf', () => {
    it('builds the ARN from region, account and the prefixed function name', () => {
      expect(runtime.arnOf('echo')).toBe(
        'arn:aws:lambda:eu-west-1:123456789012:function:iam-onboarding-test-echo',
      );
    });
  });

  describe('invoke', () => {
    it('runs the function by key with the event and a Lambda context', async () => {
      const result = (await runtime.invoke('echo', { id: 'E1001' })) as Echo;

      expect(result.event).toEqual({ id: 'E1001' });
      expect(result.functionName).toBe('iam-onboarding-test-echo');
      expect(result.invokedFunctionArn).toBe(runtime.arnOf('echo'));
      expect(result.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(result.remainingTimeInMillis).toBeGreaterThan(0);
      expect(result.remainingTimeInMillis).toBeLessThanOrEqual(3000);
    });

    it('runs the function by ARN', async () => {
      const result = (await runtime.invoke(runtime.arnOf('echo'), { id: 'E1002' })) as Echo;

      expect(result.event).toEqual({ id: 'E1002' });
    });

    it("hands the function a copy of the event, so its changes never reach the caller's object", async () => {
      const event = { nested: {} as { seen?: boolean } };

      const result = (await runtime.invoke('echo', event)) as Echo;

      expect(result.event.nested).toEqual({ seen: true });
      expect(event.nested).toEqual({});
    });

    it('surfaces a thrown error with its name as errorType and its message', async () => {
      const error = await failureOf(runtime.invoke('throws', {}));

      expect(error.name).toBe('UserConflictError');
      expect(error.message).toBe('user ada already exists with another employeeId');
    });

    it('fails with Sandbox.Timedout when the function outlives its timeout', async () => {
      const error = await failureOf(runtime.invoke('hangs', {}));

      expect(error.name).toBe('Sandbox.Timedout');
      expect(error.message).toBe('Task timed out after 1.00 seconds');
    });

    it('fails with Lambda.Unknown once for an injected crash, then succeeds', async () => {
      faults.addCrash({ function: 'echo', count: 1 });

      const error = await failureOf(runtime.invoke('echo', { id: 'E1003' }));
      const retried = (await runtime.invoke('echo', { id: 'E1003' })) as Echo;

      expect(error.name).toBe('Lambda.Unknown');
      expect(retried.event).toEqual({ id: 'E1003' });
    });

    it('fails with Lambda.ResourceNotFoundException for an unknown function', async () => {
      const error = await failureOf(runtime.invoke('nowhere', {}));

      expect(error.name).toBe('Lambda.ResourceNotFoundException');
      expect(error.message).toContain('nowhere');
      expect(environmentOf).not.toHaveBeenCalled();
    });
  });

  describe('containers', () => {
    it('gives each function its own environment variables and its own modules', async () => {
      const counts = (await runtime.invoke('counts', {})) as Counts;
      const countsToo = (await runtime.invoke('countsToo', {})) as Counts;

      expect(counts).toEqual({ invocations: 1, greeting: 'hello from counts' });
      expect(countsToo).toEqual({ invocations: 1, greeting: 'hello from countsToo' });
    });

    it("starts a function's container at its first invocation, then keeps it warm, also for concurrent ones", async () => {
      expect(environmentOf).not.toHaveBeenCalled();

      const first = (await runtime.invoke('counts', {})) as Counts;
      const concurrent = (await Promise.all([
        runtime.invoke('counts', {}),
        runtime.invoke('counts', {}),
      ])) as Counts[];

      expect(first.invocations).toBe(1);
      expect(concurrent.map((result) => result.invocations).sort()).toEqual([2, 3]);
      expect(environmentOf.mock.calls).toEqual([['counts']]);
    });

    it('discards the container of an invocation that timed out: the next one starts afresh', async () => {
      await runtime.invoke('counts', {});

      const error = await failureOf(runtime.invoke('counts', { afterCounting: 'hang' }));
      const next = (await runtime.invoke('counts', {})) as Counts;

      expect(error.name).toBe('Sandbox.Timedout');
      expect(next.invocations).toBe(1);
      expect(environmentOf.mock.calls).toEqual([['counts'], ['counts']]);
    });

    it('discards the container after an injected crash: the next invocation starts afresh', async () => {
      await runtime.invoke('counts', {});
      faults.addCrash({ function: 'counts', count: 1 });

      const error = await failureOf(runtime.invoke('counts', {}));
      const next = (await runtime.invoke('counts', {})) as Counts;

      expect(error.name).toBe('Lambda.Unknown');
      expect(next.invocations).toBe(1);
    });

    it('fails the invocations of a container that dies outside them with Runtime.ExitError, and replaces it', async () => {
      const error = await failureOf(runtime.invoke('counts', { afterCounting: 'throwOutsideTheHandler' }));
      const next = (await runtime.invoke('counts', {})) as Counts;

      expect(error.name).toBe('Runtime.ExitError');
      expect(error.message).toMatch(/^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: /);
      expect(error.message).toContain('thrown outside the handler');
      expect(next.invocations).toBe(1);
    });
  });

  describe('output', () => {
    it("is on this process's stdout and stderr by the time the invocation returns", async () => {
      const output = captureOutput();
      try {
        await runtime.invoke('logs', { lines: 100 });
        const text = output.text();

        expect(text.match(/^stdout line \d+$/gm)).toHaveLength(100);
        expect(text).toContain('stderr line\n');
      } finally {
        output.restore();
      }
    });

    it('reports to each invocation the lines written in it, also when two run at once in one container', async () => {
      const reports: InvocationReport[] = [];
      const report = (invocation: InvocationReport) => reports.push(invocation);
      const output = captureOutput();
      try {
        await Promise.all([
          runtime.invoke('logs', { lines: 3, tag: 'first', pauseMs: 5 }, report),
          runtime.invoke('logs', { lines: 2, tag: 'second', pauseMs: 5 }, report),
        ]);
      } finally {
        output.restore();
      }
      const byTag = (tag: string) => reports.find((invocation) => invocation.logs[0]?.startsWith(tag));

      expect(byTag('first')?.logs).toEqual([
        'first stdout line 1',
        'first stdout line 2',
        'first stdout line 3',
        'first stderr line',
      ]);
      expect(byTag('second')?.logs).toEqual([
        'second stdout line 1',
        'second stdout line 2',
        'second stderr line',
      ]);
      expect(byTag('first')?.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(byTag('first')?.durationMs).toBeGreaterThanOrEqual(15);
    });

    it('sends every line, with its function, stream and request id, to the log it is given', async () => {
      const lines: FunctionLogLine[] = [];
      const logged = createLambdaRuntime({
        root: fixtures,
        functions: [functionConfig('logs', 'handlers/logs.handler')],
        functionNamePrefix: 'iam-onboarding-test-',
        accountId: '123456789012',
        region: 'eu-west-1',
        faults,
        environmentOf,
        log: (line) => lines.push(line),
      });
      try {
        let requestId = '';
        await logged.invoke('logs', { lines: 1 }, (invocation) => {
          requestId = invocation.requestId;
        });

        expect(lines).toEqual([
          { functionKey: 'logs', stream: 'stdout', line: 'stdout line 1', requestId },
          { functionKey: 'logs', stream: 'stderr', line: 'stderr line', requestId },
        ]);
      } finally {
        await logged.stop();
      }
    });
  });

  describe('bundles', () => {
    it('runs a function from its bundle in a temporary folder, with stack traces on its TypeScript source', async () => {
      const source = resolve(fixtures, 'handlers/traces.ts');
      const line =
        readFileSync(source, 'utf8')
          .split('\n')
          .findIndex((text) => text.includes('new Error')) + 1;

      const { file, stack } = (await runtime.invoke('traces', {})) as Traces;

      expect(file.startsWith(tmpdir() + sep)).toBe(true);
      expect(file.startsWith(resolve(__dirname, '../..') + sep)).toBe(false);
      expect(stack).toContain(`(${source}:${line}:`);
    });

    it('builds a function at its first cold start only, with the esbuild plugins its options name', async () => {
      const bundled = createLambdaRuntime({
        root: fixtures,
        functions: [
          functionConfig('counts', 'handlers/counts.handler'),
          functionConfig('countsToo', 'handlers/counts.handler'),
        ],
        functionNamePrefix: 'iam-onboarding-test-',
        accountId: '123456789012',
        region: 'eu-west-1',
        faults,
        environmentOf,
        esbuild: { sourcemap: true, plugins: './esbuildPlugins.js' },
      });
      const before = builds.length;
      try {
        await bundled.invoke('counts', {});
        await bundled.recycle();
        const afterRecycling = (await bundled.invoke('counts', {})) as Counts;
        await bundled.invoke('countsToo', {});

        expect(afterRecycling.invocations).toBe(1);
        expect(builds.slice(before)).toEqual([
          expect.stringContaining(`${sep}counts${sep}`),
          expect.stringContaining(`${sep}countsToo${sep}`),
        ]);
      } finally {
        await bundled.stop();
      }
    });

    it('fails the invocations of a function whose bundle cannot be built with the build error', async () => {
      const error = await runtime.invoke('missing', {}).catch((failure: Error) => failure);

      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/^Bundling missing \(handlers\/missing\.handler\) failed: /);
    });

    it('keeps the bundles when the containers are recycled and removes them at stop', async () => {
      const { file } = (await runtime.invoke('traces', {})) as Traces;

      await runtime.recycle();
      const kept = existsSync(file);
      await runtime.stop();

      expect(kept).toBe(true);
      expect(existsSync(file)).toBe(false);
    });
  });

  describe('recycle', () => {
    it('terminates every container: a running invocation fails with Runtime.ExitError, the next one starts afresh', async () => {
      await runtime.invoke('counts', {});
      const running = failureOf(runtime.invoke('hangs', {}));

      await runtime.recycle();
      const next = (await runtime.invoke('counts', {})) as Counts;

      expect((await running).name).toBe('Runtime.ExitError');
      expect(next.invocations).toBe(1);
    });
  });

  describe('stop', () => {
    it('terminates every container: an invocation still running fails with Runtime.ExitError', async () => {
      await runtime.invoke('echo', {});
      const running = failureOf(runtime.invoke('hangs', {}));

      await runtime.stop();

      expect((await running).name).toBe('Runtime.ExitError');
    });
  });
});
