import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Faults } from './faults';
import type { ContainerSpec, Invocation, Outcome } from './lambdaWorker';
import type { FunctionConfig } from './serverlessConfig';

/** Runs the functions of serverless.yml the way Lambda invokes them, each in its own worker thread. */
export type LambdaRuntime = {
  /** The function's ARN, as `Fn::GetAtt [<key>, Arn]` resolves in AWS. */
  arnOf(key: string): string;
  invoke(functionKeyOrArn: string, event: unknown): Promise<unknown>;
  /** Terminates every container; invocations still running fail with Runtime.ExitError. */
  stop(): Promise<void>;
};

/** Error as Lambda reports a function error: `name` is the errorType Step Functions matches on. */
export class LambdaFunctionError extends Error {
  constructor(errorType: string, message: string) {
    super(message);
    this.name = errorType;
  }
}

// tsx compiles the handlers inside the worker: neither ts-jest nor the stack's own loader reaches there.
const BOOTSTRAP = `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register();
require(${JSON.stringify(resolve(__dirname, 'lambdaWorker.ts'))});`;

export function createLambdaRuntime(options: {
  root: string;
  functions: FunctionConfig[];
  functionNamePrefix: string;
  accountId: string;
  region: string;
  faults: Faults;
  /** The function's environment variables, asked at each cold start. */
  environmentOf(key: string): Record<string, string>;
}): LambdaRuntime {
  const { root, functions, functionNamePrefix, accountId, region, faults, environmentOf } = options;
  const nameOf = (key: string) => `${functionNamePrefix}${key}`;
  const arnOf = (key: string) => `arn:aws:lambda:${region}:${accountId}:function:${nameOf(key)}`;
  const byArnOrKey = new Map<string, FunctionConfig>();
  for (const fn of functions) {
    byArnOrKey.set(fn.key, fn);
    byArnOrKey.set(arnOf(fn.key), fn);
  }
  /** The container each function's next invocation runs in; absent until its cold start. */
  const warm = new Map<string, Container>();
  /** Every container not yet terminated, including retired ones finishing their invocations. */
  const running = new Set<Container>();
  const containerOf = (fn: FunctionConfig): Container => {
    const current = warm.get(fn.key);
    if (current) return current;
    const spec = { root, handler: fn.handler, invokedFunctionArn: arnOf(fn.key) };
    const container: Container = new Container(spec, environmentOf(fn.key), {
      retired: () => {
        if (warm.get(fn.key) === container) warm.delete(fn.key);
      },
      exited: () => running.delete(container),
    });
    warm.set(fn.key, container);
    running.add(container);
    return container;
  };

  return {
    arnOf,
    async invoke(functionKeyOrArn, event) {
      const fn = byArnOrKey.get(functionKeyOrArn);
      if (!fn)
        throw new LambdaFunctionError(
          'Lambda.ResourceNotFoundException',
          `Function not found: ${functionKeyOrArn}`,
        );
      const container = containerOf(fn);
      const result = await container.invoke(event, fn.timeout);
      if (faults.takeCrash(fn.key)) {
        container.retire();
        throw new LambdaFunctionError(
          'Lambda.Unknown',
          `${nameOf(fn.key)} crashed after its side effects (injected fault)`,
        );
      }
      return JSON.parse(result);
    },
    async stop() {
      warm.clear();
      await Promise.all([...running].map((container) => container.terminate()));
    },
  };
}

type InFlight = { requestId: string; settle(outcome: Outcome): void; fail(error: Error): void };

/**
 * A function's execution environment: a worker thread with its own environment variables and its
 * own copies of every module (SDK clients, logger), as a Lambda container has. Concurrent
 * invocations share it (they are asynchronous); Lambda would start a container for each.
 */
class Container {
  private readonly worker: Worker;
  private readonly inFlight = new Map<number, InFlight>();
  private nextId = 0;
  private retired = false;

  constructor(
    spec: ContainerSpec,
    env: Record<string, string>,
    private readonly on: { retired(): void; exited(): void },
  ) {
    // No flags of the stack's process (its loaders, its inspector): a container starts plain.
    this.worker = new Worker(BOOTSTRAP, { eval: true, env, workerData: spec, execArgv: [] });
    this.worker.on('message', (outcome: Outcome) => this.inFlight.get(outcome.id)?.settle(outcome));
    this.worker.on('error', (error) => this.exit(`${error.name}: ${error.message}`));
    this.worker.on('exit', (code) => {
      this.exit(`exit status ${code}`);
      this.on.exited();
    });
  }

  /** Runs one invocation; resolves with its result as JSON or rejects with a LambdaFunctionError. */
  invoke(event: unknown, timeoutSeconds: number): Promise<string> {
    const id = this.nextId++;
    const requestId = randomUUID();
    const deadline = Date.now() + timeoutSeconds * 1000;
    // Posting copies the event: the function never sees the caller's object.
    this.worker.postMessage({ id, event, deadline, requestId } satisfies Invocation);
    return new Promise<string>((resolve, reject) => {
      const end = () => {
        clearTimeout(timer);
        this.inFlight.delete(id);
        if (this.retired && this.inFlight.size === 0) void this.worker.terminate();
      };
      const timer = setTimeout(() => {
        // Lambda discards the environment of an invocation that timed out.
        this.retire();
        end();
        reject(
          new LambdaFunctionError(
            'Sandbox.Timedout',
            `Task timed out after ${timeoutSeconds.toFixed(2)} seconds`,
          ),
        );
      }, timeoutSeconds * 1000);
      this.inFlight.set(id, {
        requestId,
        settle: (outcome) => {
          end();
          if ('error' in outcome) reject(new LambdaFunctionError(outcome.error.name, outcome.error.message));
          else resolve(outcome.result);
        },
        fail: (error) => {
          end();
          reject(error);
        },
      });
    });
  }

  /** Takes no new invocations, and ends once those in flight have settled. */
  retire(): void {
    this.retired = true;
    this.on.retired();
    if (this.inFlight.size === 0) void this.worker.terminate();
  }

  async terminate(): Promise<void> {
    this.retired = true;
    await this.worker.terminate();
  }

  /** The worker died (an uncaught error, process.exit, terminate): what was running in it fails. */
  private exit(reason: string): void {
    this.retire();
    for (const { requestId, fail } of this.inFlight.values()) {
      fail(
        new LambdaFunctionError(
          'Runtime.ExitError',
          `RequestId: ${requestId} Error: Runtime exited with error: ${reason}`,
        ),
      );
    }
  }
}
