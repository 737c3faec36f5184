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
  | { id: number; error: { name: string; message: string } };

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const port = parentPort;
if (!port) throw new Error('lambdaWorker.ts runs in a worker thread started by lambdaRuntime.ts');
const spec = workerData as ContainerSpec;
let handler: Handler | undefined;

port.on('message', (message: Init | Invocation) => {
  // Loading the bundle is the function's init: an error in it ends the container.
  if ('bundle' in message) handler = loadHandler(message.bundle);
  else void answer(message);
});

async function answer(invocation: Invocation): Promise<void> {
  const outcome = await run(invocation);
  // Lambda ends an invocation once its log lines are out: here, once the stack's process has them.
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
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
    return { id, error: { name: failure.name, message: failure.message } };
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

/** Resolves once the parent thread has taken everything written to `stream` so far. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.writableLength === 0) return Promise.resolve();
  // Queued behind the pending writes, its callback runs once the parent has taken them all.
  return new Promise((done) => stream.write('', () => done()));
}
