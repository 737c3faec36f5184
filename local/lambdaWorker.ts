import { AsyncLocalStorage } from 'node:async_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import type { Context } from 'aws-lambda';

/**
 * One function's execution environment (its "container"), run in a worker thread by
 * lambdaRuntime.ts: loads the function's bundle once it is sent it (Lambda's init), then runs each
 * invocation it is sent.
 */

/** What the container starts with: its handler as serverless.yml names it, and its ARN. */
export type ContainerSpec = { handler: string; invokedFunctionArn: string };
/** Runtime -> container, first message: the function's bundle (built at its first cold start). */
export type Init = { bundle: string };
/** Runtime -> container, after Init: run one invocation. `deadline`: the epoch millisecond of its timeout. */
export type Invocation = { id: number; event: unknown; deadline: number; requestId: string };
/** Container -> runtime: the invocation's result as JSON, or the error it failed with. */
export type Outcome =
  | { id: number; result: string }
  | { id: number; error: { name: string; message: string; stack?: string } };
/**
 * Container -> runtime: one line the function wrote (without its newline), with the request id of
 * the invocation it was written in (none at init), as Lambda attributes a log line to a request.
 */
export type LogLine = { stream: 'stdout' | 'stderr'; line: string; requestId?: string };
/** Everything the container posts. A log line always arrives before the outcome of its invocation. */
export type ContainerMessage = Outcome | { log: LogLine };

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const port = parentPort;
if (!port) throw new Error('lambdaWorker.ts runs in a worker thread started by lambdaRuntime.ts');
const spec = workerData as ContainerSpec;
let handler: Handler | undefined;
/** The request id of the invocation the running code belongs to. */
const invocations = new AsyncLocalStorage<string>();

/**
 * The function's stdout and stderr, line by line, posted to the runtime on the same channel as the
 * outcomes: every line written during an invocation is the runtime's before its outcome is.
 */
class LineForwarder {
  private partial = '';
  constructor(private readonly stream: LogLine['stream']) {}
  write(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.post(line);
  }
  /** Posts the unfinished line, if any (at the end of an invocation). */
  flush(): void {
    if (this.partial === '') return;
    const line = this.partial;
    this.partial = '';
    this.post(line);
  }
  private post(line: string): void {
    port?.postMessage({ log: { stream: this.stream, line, requestId: invocations.getStore() } });
  }
}
const forwarders = { stdout: new LineForwarder('stdout'), stderr: new LineForwarder('stderr') };
for (const name of ['stdout', 'stderr'] as const) {
  // Console (and Powertools Logger's own Console) call write() on these very stream objects.
  process[name].write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    const encoding = typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : 'utf8';
    forwarders[name].write(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(encoding));
    const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof process.stdout.write;
}

port.on('message', (message: Init | Invocation) => {
  // Loading the bundle is the function's init: an error in it ends the container.
  if ('bundle' in message) handler = loadHandler(message.bundle);
  else void answer(message);
});

async function answer(invocation: Invocation): Promise<void> {
  const outcome = await invocations.run(invocation.requestId, () => run(invocation));
  // Lambda ends an invocation once its log lines are out: posted before the outcome, they are.
  forwarders.stdout.flush();
  forwarders.stderr.flush();
  port?.postMessage(outcome);
}

/** As Lambda's Node.js runtime loads a CommonJS handler: requires its bundle, takes the named export. */
function loadHandler(bundle: string): Handler {
  const module = require(bundle) as Record<string, unknown>;
  const exported = module[spec.handler.slice(spec.handler.lastIndexOf('.') + 1)];
  if (typeof exported !== 'function') throw new Error(`${spec.handler} does not export a handler function`);
  return exported as Handler;
}

async function run(invocation: Invocation): Promise<Outcome> {
  const { id } = invocation;
  try {
    if (!handler) throw new Error('invoked before its bundle was loaded');
    const result = await handler(invocation.event, contextOf(invocation));
    // The result travels as JSON, as it does through Lambda.
    return { id, result: JSON.stringify(result ?? null) };
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    return { id, error: { name: failure.name, message: failure.message, stack: failure.stack } };
  }
}

/** As Lambda's Node.js runtime builds it: the function from its environment, the rest per invocation. */
function contextOf({ deadline, requestId }: Invocation): Context {
  const env = process.env;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME ?? '',
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION ?? '',
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '',
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME ?? '',
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME ?? '',
    invokedFunctionArn: spec.invokedFunctionArn,
    awsRequestId: requestId,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
