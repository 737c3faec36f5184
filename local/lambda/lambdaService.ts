import { renderError } from '../aws/serviceErrors';
import { AwsError, type AwsRequest, type AwsResponse, type AwsService } from '../aws/types';
import type { InvocationReport, LambdaRuntime } from '../lambdaRuntime';
import type { FunctionConfig } from '../serverlessConfig';

/**
 * Lambda emulator (REST-JSON) with one action, Invoke (`POST /2015-03-31/functions/<name>/invocations`),
 * run in the stack's Lambda runtime: the function runs in its container, with its role's session,
 * exactly as when the state machine invokes it. The caller needs `lambda:InvokeFunction` on the
 * function's ARN. Synchronous invocations (`RequestResponse`) and `DryRun` only: `Event` would need
 * Lambda's asynchronous queue (its retries, its destinations), which the stack does not emulate.
 */

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
/** A function name, its ARN or its partial ARN (`<account>:function:<name>`), optionally `:<qualifier>`. */
const FUNCTION_NAME =
  /^(?:arn:aws:lambda:([a-z0-9-]+):(\d{12}):function:|(\d{12}):function:)?([A-Za-z0-9_-]{1,64})(?::(\$LATEST|[A-Za-z0-9_-]{1,128}))?$/;
const INVOCATION_TYPES = ['Event', 'RequestResponse', 'DryRun'] as const;
const LOG_TYPES = ['None', 'Tail'] as const;
/** Lambda's X-Amz-Log-Result: the last 4 KB of the invocation's log. */
const LOG_TAIL_BYTES = 4096;

export type LambdaServiceOptions = {
  runtime: LambdaRuntime;
  functions: FunctionConfig[];
  accountId: string;
  region: string;
};

export function createLambdaService(options: LambdaServiceOptions): AwsService {
  return async (request) => {
    try {
      const route = INVOKE_PATH.exec(request.path);
      if (!route?.[1] || request.method !== 'POST') {
        throw new AwsError(
          404,
          'UnknownOperationException',
          `The local stack emulates Lambda's Invoke only (POST /2015-03-31/functions/<name>/invocations), not ${request.method} ${request.path}`,
        );
      }
      return await invoke(request, decodeURIComponent(route[1]), options);
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      return renderError('lambda', error);
    }
  };
}

async function invoke(request: AwsRequest, functionName: string, options: LambdaServiceOptions) {
  const { runtime, functions, accountId, region } = options;
  const invocationType = enumHeader(request, 'x-amz-invocation-type', 'invocationType', INVOCATION_TYPES);
  const logType = enumHeader(request, 'x-amz-log-type', 'logType', LOG_TYPES);
  const name = FUNCTION_NAME.exec(functionName);
  if (!name?.[4]) {
    throw validationError(
      functionName,
      'functionName',
      'Member must satisfy regular expression pattern: ' +
        '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?',
    );
  }
  const [, arnRegion, arnAccount, partialAccount, bareName, nameQualifier] = name;
  const qualifier = nameQualifier ?? request.query.get('Qualifier') ?? undefined;
  const unqualifiedArn = `arn:aws:lambda:${arnRegion ?? region}:${arnAccount ?? partialAccount ?? accountId}:function:${bareName}`;
  const functionArn = qualifier === undefined ? unqualifiedArn : `${unqualifiedArn}:${qualifier}`;
  await request.caller.authorize([{ action: 'lambda:InvokeFunction', resource: functionArn }]);

  const fn = functions.find((candidate) => runtime.arnOf(candidate.key) === unqualifiedArn);
  // Only the unpublished version: the stack deploys no versions nor aliases.
  if (!fn || (qualifier !== undefined && qualifier !== '$LATEST')) {
    throw new AwsError(404, 'ResourceNotFoundException', `Function not found: ${functionArn}`);
  }
  if (invocationType === 'Event') {
    throw new AwsError(
      400,
      'InvalidParameterValueException',
      'The local stack runs RequestResponse and DryRun invocations only: asynchronous invocation (Event) is not emulated',
    );
  }
  if (invocationType === 'DryRun') return { status: 204, headers: {}, body: '' };
  const event = payloadOf(request.body);

  let report: InvocationReport | undefined;
  let payload: string;
  let functionError = false;
  try {
    payload = JSON.stringify(await runtime.invoke(fn.key, event, (done) => (report = done)));
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    const trace = 'trace' in failure && Array.isArray(failure.trace) ? failure.trace : [];
    payload = JSON.stringify({
      errorType: failure.name,
      errorMessage: failure.message,
      ...(trace.length > 0 && { trace }),
    });
    functionError = true;
  }
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-amz-executed-version': '$LATEST',
  };
  if (report) headers['x-amzn-requestid'] = report.requestId;
  if (functionError) headers['x-amz-function-error'] = 'Unhandled';
  if (logType === 'Tail' && report) headers['x-amz-log-result'] = logTail(report, fn.memorySize);
  return { status: 200, headers, body: payload } satisfies AwsResponse;
}

/** The event: the payload's JSON (`{}` when there is none, as Lambda passes it). */
function payloadOf(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AwsError(
      400,
      'InvalidRequestContentException',
      `Could not parse request body into json: ${(error as Error).message}`,
    );
  }
}

/**
 * The invocation's log as Lambda writes it to CloudWatch (START, the function's lines, END,
 * REPORT), cut to its last 4 KB, base64. Max Memory Used is left out of REPORT: a worker thread
 * has no memory of its own to measure.
 */
export function logTail(report: InvocationReport, memorySize: number): string {
  const { requestId, durationMs, logs } = report;
  const lines = [
    `START RequestId: ${requestId} Version: $LATEST`,
    ...logs,
    `END RequestId: ${requestId}`,
    `REPORT RequestId: ${requestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${Math.max(1, Math.ceil(durationMs))} ms\tMemory Size: ${memorySize} MB\t`,
  ];
  const log = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
  return log.subarray(Math.max(0, log.length - LOG_TAIL_BYTES)).toString('base64');
}

function enumHeader<T extends string>(
  request: AwsRequest,
  header: string,
  member: string,
  values: readonly T[],
): T | undefined {
  const value = request.headers[header];
  if (value === undefined) return undefined;
  if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value as T;
  throw validationError(String(value), member, `Member must satisfy enum value set: [${values.join(', ')}]`);
}

/** AWS's validation message for one member. */
function validationError(value: string, member: string, constraint: string): AwsError {
  return new AwsError(
    400,
    'ValidationException',
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}
