import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { Context } from 'aws-lambda';
import type { Faults } from './faults';
import type { FunctionConfig } from './serverlessConfig';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/** Runs the functions of serverless.yml in this process, the way Lambda invokes them. */
export type LambdaRuntime = {
  /** The function's ARN, as `Fn::GetAtt [<key>, Arn]` resolves in AWS. */
  arnOf(key: string): string;
  invoke(functionKeyOrArn: string, event: unknown): Promise<unknown>;
};

/** Error as Lambda reports a function error: `name` is the errorType Step Functions matches on. */
export class LambdaFunctionError extends Error {
  constructor(errorType: string, message: string) {
    super(message);
    this.name = errorType;
  }
}

export function createLambdaRuntime(options: {
  root: string;
  functions: FunctionConfig[];
  functionNamePrefix: string;
  accountId: string;
  region: string;
  faults: Faults;
}): LambdaRuntime {
  const { root, functions, functionNamePrefix, accountId, region, faults } = options;
  const nameOf = (key: string) => `${functionNamePrefix}${key}`;
  const arnOf = (key: string) => `arn:aws:lambda:${region}:${accountId}:function:${nameOf(key)}`;
  const byArnOrKey = new Map<string, FunctionConfig>();
  for (const fn of functions) {
    byArnOrKey.set(fn.key, fn);
    byArnOrKey.set(arnOf(fn.key), fn);
  }
  const handlers = new Map<string, Handler>();
  const handlerOf = (fn: FunctionConfig): Handler => {
    let handler = handlers.get(fn.key);
    if (!handler) {
      const dot = fn.handler.lastIndexOf('.');
      // Each function gets its own copies of the modules under functions/ (logger, clients), as it
      // would in its own Lambda container, so one function's log context never leaks into another's.
      const functionsDir = resolve(root, 'functions');
      for (const cached of Object.keys(require.cache))
        if (cached.startsWith(functionsDir)) delete require.cache[cached];
      const module = require(resolve(root, fn.handler.slice(0, dot))) as Record<string, unknown>;
      const exported = module[fn.handler.slice(dot + 1)];
      if (typeof exported !== 'function') throw new Error(`${fn.handler} does not export a handler function`);
      handler = exported as Handler;
      handlers.set(fn.key, handler);
    }
    return handler;
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
      const deadline = Date.now() + fn.timeout * 1000;
      const context: Context = {
        callbackWaitsForEmptyEventLoop: true,
        functionName: nameOf(fn.key),
        functionVersion: '$LATEST',
        invokedFunctionArn: arnOf(fn.key),
        memoryLimitInMB: '256',
        awsRequestId: randomUUID(),
        logGroupName: `/aws/lambda/${nameOf(fn.key)}`,
        logStreamName: `local/${fn.key}`,
        getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
        done: () => undefined,
        fail: () => undefined,
        succeed: () => undefined,
      };
      let result: unknown;
      try {
        // Lambda hands the function a fresh copy of the event, never the caller's object.
        result = await withTimeout(handlerOf(fn)(structuredClone(event), context), fn.timeout);
      } catch (error) {
        const failure = error instanceof Error ? error : new Error(String(error));
        throw new LambdaFunctionError(failure.name, failure.message);
      }
      if (faults.takeCrash(fn.key)) {
        throw new LambdaFunctionError(
          'Lambda.Unknown',
          `${nameOf(fn.key)} crashed after its side effects (injected fault)`,
        );
      }
      // The result travels as JSON, as it does through Lambda.
      return result === undefined ? null : JSON.parse(JSON.stringify(result));
    },
  };
}

/** Checks that the functions' environments do not disagree: in one process they share process.env. */
export function mergeEnvironments(environments: Array<Record<string, string>>): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const environment of environments) {
    for (const [name, value] of Object.entries(environment)) {
      if (merged[name] !== undefined && merged[name] !== value) {
        throw new Error(
          `Functions set ${name} differently (${merged[name]} / ${value}); the local stack runs them in one process`,
        );
      }
      merged[name] = value;
    }
  }
  return merged;
}

/** Lambda ends an invocation at the function's timeout and reports `Sandbox.Timedout`. */
async function withTimeout<T>(invocation: Promise<T>, seconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new LambdaFunctionError('Sandbox.Timedout', `Task timed out after ${seconds.toFixed(2)} seconds`),
        ),
      seconds * 1000,
    );
  });
  try {
    return await Promise.race([invocation, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
