import { resolve } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { Context } from 'aws-lambda';

/**
 * One function's execution environment (its "container"), run in a worker thread by
 * lambdaRuntime.ts: loads the handler at start (Lambda's init), then runs each invocation it is sent.
 */

/** What the container starts with: the handler as serverless.yml names it, relative to `root`. */
export type ContainerSpec = { root: string; handler: string; invokedFunctionArn: string };
/** Runtime -> container: run one invocation. `deadline` is the epoch millisecond of its timeout. */
export type Invocation = { id: number; event: unknown; deadline: number; requestId: string };
/** Container -> runtime: the invocation's result as JSON, or the error it failed with. */
export type Outcome =
  | { id: number; result: string }
  | { id: number; error: { name: string; message: string } };

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const port = parentPort;
if (!port) throw new Error('lambdaWorker.ts runs in a worker thread started by lambdaRuntime.ts');
const spec = workerData as ContainerSpec;
const handler = loadHandler(spec);

port.on('message', async (invocation: Invocation) => {
  const outcome = await run(invocation);
  // Lambda ends an invocation once its log lines are out: here, once the stack's process has them.
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  port.postMessage(outcome);
});

function loadHandler({ root, handler }: ContainerSpec): Handler {
  const dot = handler.lastIndexOf('.');
  const module = require(resolve(root, handler.slice(0, dot))) as Record<string, unknown>;
  const exported = module[handler.slice(dot + 1)];
  if (typeof exported !== 'function') throw new Error(`${handler} does not export a handler function`);
  return exported as Handler;
}

async function run(invocation: Invocation): Promise<Outcome> {
  const { id } = invocation;
  try {
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
