import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { MiddlewareObj } from '@middy/core';
import { logger } from './logger';

/** Adds the execution ARN from the task's input to every log line and logs the error a task throws. */
function executionArnKey(): MiddlewareObj<{ executionArn?: unknown }> {
  return {
    before: ({ event }) => {
      if (typeof event.executionArn === 'string') logger.appendKeys({ executionArn: event.executionArn });
    },
    onError: ({ error }) => {
      if (error) logger.error('Task failed', error);
    },
  };
}

/**
 * The logging every task handler uses: Powertools' Lambda context (request id, cold start...) and
 * the execution ARN on every line, keys reset after each invocation so none leaks into the next.
 */
export function executionLogging() {
  return [injectLambdaContext(logger, { resetKeys: true }), executionArnKey()];
}

/**
 * Options for every handler's middy(). No early timeout: middy's would throw a `TimeoutError` the
 * state machine does not know; Lambda's own timeout reports `Sandbox.Timedout`, which it retries.
 */
export const handlerOptions = { timeoutEarlyInMillis: 0 } as const;
