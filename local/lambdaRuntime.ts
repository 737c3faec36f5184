import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { transformSync } from 'esbuild';
import type { Faults } from './faults';
import { type EsbuildConfig, LambdaBundles } from './lambdaBundles';
import type { ContainerMessage, ContainerSpec, Init, Invocation, LogLine, Outcome } from './lambdaWorker';
import type { FunctionConfig } from './serverlessConfig';

/** Runs the functions of serverless.yml the way Lambda invokes them, each in its own worker thread. */
export type LambdaRuntime = {
  /** The function's ARN, as `Fn::GetAtt [<key>, Arn]` resolves in AWS. */
  arnOf(key: string): string;
  /**
   * Runs one invocation: resolves with its result, rejects with a LambdaFunctionError. `report`, if
   * given, is called before it settles with the invocation's request id, duration and log lines.
   */
  invoke(
    functionKeyOrArn: string,
    event: unknown,
    report?: (invocation: InvocationReport) => void,
  ): Promise<unknown>;
  /**
   * Terminates every container, as Lambda recycles execution environments: each function's next
   * invocation is a cold start, of the bundle it already has. Invocations still running fail with
   * Runtime.ExitError.
   */
  recycle(): Promise<void>;
  /** Terminates every container, as recycle() does, and removes the bundles. */
  stop(): Promise<void>;
};

/** What Lambda reports of an invocation besides its result: the lines of its log, and how long it ran. */
export type InvocationReport = { requestId: string; durationMs: number; logs: string[] };

/** One line a function wrote, as the runtime forwards it to the stack's log. */
export type FunctionLogLine = LogLine & { functionKey: string };

/** Error as Lambda reports a function error: `name` is the errorType Step Functions matches on. */
export class LambdaFunctionError extends Error {
  constructor(
    errorType: string,
    message: string,
    /** The function's stack trace, line by line (Lambda's `trace`), when the function threw it. */
    readonly trace: string[] = [],
  ) {
    super(message);
    this.name = errorType;
  }
}

/** The function's lines on this process's stdout and stderr, unchanged. */
const writeThrough = ({ stream, line }: FunctionLogLine) => process[stream].write(`${line}\n`);

/** For a root whose serverless.yml has no custom.esbuild: serverless-esbuild's defaults, with source maps. */
const DEFAULT_ESBUILD: EsbuildConfig = { sourcemap: true };

// The container's own code, compiled once per process (it imports only Node's modules). The
// function runs from its bundle, plain CommonJS: no TypeScript loader in the worker.
let containerCode: string | undefined;
const containerScript = (): string => {
  const file = resolve(__dirname, 'lambdaWorker.ts');
  containerCode ??= transformSync(readFileSync(file, 'utf8'), {
    loader: 'ts',
    format: 'cjs',
    sourcefile: file,
  }).code;
  return containerCode;
};

export function createLambdaRuntime(options: {
  root: string;
  functions: FunctionConfig[];
  functionNamePrefix: string;
  accountId: string;
  region: string;
  faults: Faults;
  /** The function's environment variables, asked at each cold start. */
  environmentOf(key: string): Record<string, string>;
  /** How the functions are bundled: serverless-esbuild's options (custom.esbuild of serverless.yml). */
  esbuild?: EsbuildConfig;
  /** Where every line the functions write goes (default: this process's stdout and stderr). */
  log?: (line: FunctionLogLine) => void;
}): LambdaRuntime {
  const { root, functions, functionNamePrefix, accountId, region, faults, environmentOf } = options;
  const log = options.log ?? writeThrough;
  const bundles = new LambdaBundles(root, options.esbuild ?? DEFAULT_ESBUILD);
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
    const spec = { handler: fn.handler, invokedFunctionArn: arnOf(fn.key) };
    // Its bundle is built at the function's first cold start, and kept for the later ones.
    const bundle = bundles.of(fn.key, fn.handler);
    const container: Container = new Container(bundle, spec, environmentOf(fn.key), {
      log: (line) => log({ ...line, functionKey: fn.key }),
      retired: () => {
        if (warm.get(fn.key) === container) warm.delete(fn.key);
      },
      exited: () => running.delete(container),
    });
    warm.set(fn.key, container);
    running.add(container);
    return container;
  };

  const recycle = async () => {
    warm.clear();
    await Promise.all([...running].map((container) => container.terminate()));
  };

  return {
    arnOf,
    async invoke(functionKeyOrArn, event, report) {
      const fn = byArnOrKey.get(functionKeyOrArn);
      if (!fn)
        throw new LambdaFunctionError(
          'Lambda.ResourceNotFoundException',
          `Function not found: ${functionKeyOrArn}`,
        );
      const container = containerOf(fn);
      const result = await container.invoke(event, fn.timeout, report);
      if (faults.takeCrash(fn.key)) {
        container.retire();
        throw new LambdaFunctionError(
          'Lambda.Unknown',
          `${nameOf(fn.key)} crashed after its side effects (injected fault)`,
        );
      }
      return JSON.parse(result);
    },
    recycle,
    async stop() {
      await recycle();
      await bundles.remove();
    },
  };
}

type InFlight = {
  requestId: string;
  /** The lines written in this invocation so far. */
  logs: string[];
  settle(outcome: Outcome): void;
  fail(error: Error): void;
};

/**
 * A function's execution environment: a worker thread with its own environment variables and its
 * own copies of every module (SDK clients, logger), as a Lambda container has. Concurrent
 * invocations share it (they are asynchronous); Lambda would start a container for each.
 */
class Container {
  private readonly worker: Worker;
  /** Settles once the worker has been sent its bundle; rejects if the bundle failed to build. */
  private readonly loaded: Promise<void>;
  private readonly inFlight = new Map<number, InFlight>();
  private nextId = 0;
  private retired = false;

  constructor(
    bundle: Promise<string>,
    spec: ContainerSpec,
    env: Record<string, string>,
    private readonly on: { log(line: LogLine): void; retired(): void; exited(): void },
  ) {
    // No flags of the stack's process (its loaders, its inspector): a container starts plain, but
    // for the source maps that NODE_OPTIONS in serverless.yml turns on for the deployed functions.
    this.worker = new Worker(containerScript(), {
      eval: true,
      env,
      workerData: spec,
      execArgv: ['--enable-source-maps'],
    });
    this.worker.on('message', (message: ContainerMessage) => {
      if ('log' in message) return this.logged(message.log);
      this.inFlight.get(message.id)?.settle(message);
    });
    this.worker.on('error', (error) => this.exit(`${error.name}: ${error.message}`));
    this.worker.on('exit', (code) => {
      this.exit(`exit status ${code}`);
      this.on.exited();
    });
    // The worker starts while the function is bundled (at its first cold start) and loads the
    // bundle once it has it, as Lambda's init does.
    this.loaded = bundle.then((path) => this.worker.postMessage({ bundle: path } satisfies Init));
    this.loaded.catch((error: unknown) => this.failAll(() => toError(error)));
  }

  /**
   * Runs one invocation; resolves with its result as JSON, rejects with a LambdaFunctionError (or
   * with the build's error if the function could not be bundled).
   */
  invoke(
    event: unknown,
    timeoutSeconds: number,
    report?: (invocation: InvocationReport) => void,
  ): Promise<string> {
    const id = this.nextId++;
    const requestId = randomUUID();
    const logs: string[] = [];
    // Copied now, as posting it would: the function never sees the caller's object nor its changes.
    const copy = structuredClone(event);
    return new Promise<string>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let started = performance.now();
      const end = () => {
        clearTimeout(timer);
        this.inFlight.delete(id);
        if (this.retired && this.inFlight.size === 0) void this.worker.terminate();
        report?.({ requestId, durationMs: performance.now() - started, logs });
      };
      this.inFlight.set(id, {
        requestId,
        logs,
        settle: (outcome) => {
          end();
          if ('error' in outcome) {
            const { name, message, stack } = outcome.error;
            reject(new LambdaFunctionError(name, message, stack?.split('\n') ?? []));
          } else resolve(outcome.result);
        },
        fail: (error) => {
          end();
          reject(error);
        },
      });
      // Sent behind the bundle, and timed from then: building it is the deploy's part, not Lambda's.
      const send = () => {
        if (!this.inFlight.has(id)) return; // the container died meanwhile
        const deadline = Date.now() + timeoutSeconds * 1000;
        started = performance.now();
        this.worker.postMessage({ id, event: copy, deadline, requestId } satisfies Invocation);
        timer = setTimeout(() => {
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
      };
      this.loaded.then(send, () => undefined);
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

  /** A line the function wrote: to the stack's log, and to its invocation's if it was in one. */
  private logged(line: LogLine): void {
    this.on.log(line);
    for (const invocation of this.inFlight.values()) {
      if (invocation.requestId === line.requestId) invocation.logs.push(line.line);
    }
  }

  /** The worker died (an uncaught error, process.exit, terminate): what was running in it fails. */
  private exit(reason: string): void {
    this.failAll(
      (requestId) =>
        new LambdaFunctionError(
          'Runtime.ExitError',
          `RequestId: ${requestId} Error: Runtime exited with error: ${reason}`,
        ),
    );
  }

  /** Retires the container and fails every invocation in flight with the error made for it. */
  private failAll(errorFor: (requestId: string) => Error): void {
    this.retire();
    for (const { requestId, fail } of this.inFlight.values()) fail(errorFor(requestId));
  }
}

const toError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
