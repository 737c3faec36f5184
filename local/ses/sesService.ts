import { randomUUID } from 'node:crypto';
import { queryError } from '../aws/queryProtocol';
import { restJsonError } from '../aws/restJsonProtocol';
import type { AwsRequest, AwsResponse, AwsService } from '../aws/types';
import { AwsError } from '../aws/types';
import type { Faults } from '../faults';
import { sesAction, sesAuthorizations } from './authorization';

/** SES v1's query-protocol namespace (API version 2010-12-01). */
const SES_V1_NAMESPACE = 'http://ses.amazonaws.com/doc/2010-12-01/';

/** The SES v1 actions aws-ses-v2-local answers (it never answers any other: the request would hang). */
const V1_ACTIONS: ReadonlySet<string> = new Set(['SendEmail', 'SendRawEmail']);

/** The SES v2 routes aws-ses-v2-local answers (it answers any other with a bare 404 that is not JSON). */
const V2_ROUTES: ReadonlyArray<readonly [method: string, path: RegExp]> = [
  ['POST', /^\/v2\/email\/outbound-emails$/],
  ['POST', /^\/v2\/email\/outbound-bulk-emails$/],
  // Not GetAccount: aws-ses-v2-local answers it only from an AWS_SES_ACCOUNT variable, else 400.
  ['GET', /^\/v2\/email\/templates$/],
  ['POST', /^\/v2\/email\/templates$/],
  ['GET', /^\/v2\/email\/templates\/[^/]+$/],
  ['PUT', /^\/v2\/email\/templates\/[^/]+$/],
  ['DELETE', /^\/v2\/email\/templates\/[^/]+$/],
  ['POST', /^\/v2\/email\/templates\/[^/]+\/render$/],
];

const EMULATED = 'SES v1 SendEmail and SendRawEmail; SES v2 SendEmail, SendBulkEmail and the email templates';

/** How long aws-ses-v2-local may take to answer before the caller gets SES's 503 (retryable, as an outage). */
export const SES_TIMEOUT_MS = 5000;

/**
 * Forwards SES calls to aws-ses-v2-local, after fault injection and authorization. SES v1 is the
 * query protocol (form in, XML out), SES v2 REST-JSON; an operation aws-ses-v2-local does not
 * answer is refused here, at once, in that version's own error shape (v1 400 `InvalidAction`, v2
 * 404 `UnknownOperationException`), and aws-ses-v2-local gets {@link SES_TIMEOUT_MS} to answer.
 */
export function createSesProxy(
  target: string,
  faults: Faults,
  account: { accountId: string; region: string },
  timeoutMs = SES_TIMEOUT_MS,
): AwsService {
  return async (request): Promise<AwsResponse> => {
    try {
      faults.check('ses', sesAction(request));
      await request.caller.authorize(sesAuthorizations(request, account));
      const unsupported = unsupportedOperation(request);
      if (unsupported) throw unsupported;
      return await forward(target, request, timeoutMs);
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      return sesError(request, error);
    }
  };
}

/** SES v1: a POST of a form with an `Action`. */
function isV1(request: AwsRequest): boolean {
  return request.method === 'POST' && !request.path.startsWith('/v2/');
}

function unsupportedOperation(request: AwsRequest): AwsError | undefined {
  if (isV1(request)) {
    const action = sesAction(request);
    if (V1_ACTIONS.has(action)) return undefined;
    return new AwsError(
      400,
      'InvalidAction',
      `The iam-onboarding local stack does not emulate SES ${action || 'requests without an Action'}. It emulates ${EMULATED}.`,
    );
  }
  if (V2_ROUTES.some(([method, path]) => method === request.method && path.test(request.path)))
    return undefined;
  return new AwsError(
    404,
    'UnknownOperationException',
    `The iam-onboarding local stack does not emulate SES ${request.method} ${request.path}. It emulates ${EMULATED}.`,
  );
}

/** The error in the shape of the SES version the request speaks. */
function sesError(request: AwsRequest, error: AwsError): AwsResponse {
  if (isV1(request)) return queryError(SES_V1_NAMESPACE, error, randomUUID());
  return restJsonError(error, randomUUID());
}

async function forward(target: string, request: AwsRequest, timeoutMs: number): Promise<AwsResponse> {
  const headers = Object.fromEntries(
    Object.entries(request.headers).flatMap(([k, v]) =>
      typeof v === 'string' && k !== 'host' ? [[k, v]] : [],
    ),
  );
  const query = request.query.toString();
  const unavailable = (why: string) =>
    new AwsError(503, 'ServiceUnavailable', `The local SES emulator (aws-ses-v2-local, ${target}) ${why}.`);
  try {
    const response = await fetch(`${target}${request.path}${query ? `?${query}` : ''}`, {
      method: request.method,
      headers,
      body: request.method === 'GET' || request.method === 'HEAD' ? undefined : request.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return {
      status: response.status,
      headers: { 'content-type': response.headers.get('content-type') ?? 'application/json' },
      body: await response.text(),
    };
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    throw unavailable(timedOut ? `did not answer within ${timeoutMs} ms` : 'cannot be reached');
  }
}
