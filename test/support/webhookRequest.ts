import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';

/** The environment the webhook reads, for tests that call its handler directly. */
export const WEBHOOK_ENV = {
  STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:onboarding',
  MOVER_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:onboarding-mover',
  LEAVER_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:onboarding-leaver',
  WEBHOOK_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:webhook-signing',
  ACCOUNT_ID: '123456789012',
} as const;

/** The prefix of every execution ARN of the onboarding state machine in {@link WEBHOOK_ENV}. */
export const EXECUTION_ARN_PREFIX = 'arn:aws:states:eu-west-1:123456789012:execution:onboarding:';
/** The same for the mover's and the leaver's. */
export const MOVER_EXECUTION_ARN_PREFIX = 'arn:aws:states:eu-west-1:123456789012:execution:onboarding-mover:';
export const LEAVER_EXECUTION_ARN_PREFIX =
  'arn:aws:states:eu-west-1:123456789012:execution:onboarding-leaver:';

export const lambdaContext: Context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'iam-onboarding-webhook',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:iam-onboarding-webhook',
  memoryLimitInMB: '256',
  awsRequestId: 'request-1',
  logGroupName: '/aws/lambda/iam-onboarding-webhook',
  logStreamName: 'stream-1',
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

/**
 * A POST to `path` (the webhook's routes) as API Gateway (HTTP API, payload 2.0) delivers it: header
 * names lower-cased, the body as text or, when `base64`, base64 of the raw bytes. Headers set to
 * undefined are left out.
 */
export function apiGatewayRequest(
  body: string | Buffer,
  headers: Record<string, string | undefined>,
  base64 = false,
  path: '/hires' | '/events' = '/hires',
): APIGatewayProxyEventV2 {
  const bytes = Buffer.from(body);
  const present = Object.entries(headers).filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  );
  return {
    version: '2.0',
    routeKey: `POST ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers: Object.fromEntries(present.map(([name, value]) => [name.toLowerCase(), value])),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method: 'POST', path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'hr' },
      requestId: 'request-1',
      routeKey: `POST ${path}`,
      stage: '$default',
      time: '15/Jun/2025:15:06:40 +0000',
      timeEpoch: 1_750_000_000_000,
    },
    body: base64 ? bytes.toString('base64') : bytes.toString('utf8'),
    isBase64Encoded: base64,
  };
}

/**
 * A GET of `rawPath` as an HTTP API (payload 2.0) delivers it to the eventStatus function: `rawPath`
 * and `pathParameters` percent-decoded, the route template as routeKey.
 */
export function statusRequest(
  rawPath: string,
  headers: Record<string, string | undefined>,
  options: { rawQueryString?: string; body?: string; method?: string } = {},
): APIGatewayProxyEventV2 {
  const present = Object.entries(headers).filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  );
  const method = options.method ?? 'GET';
  const eventId = rawPath.startsWith('/events/') ? rawPath.slice('/events/'.length) : undefined;
  return {
    version: '2.0',
    routeKey: 'GET /events/{eventId}',
    rawPath,
    rawQueryString: options.rawQueryString ?? '',
    headers: Object.fromEntries(present.map(([name, value]) => [name.toLowerCase(), value])),
    ...(eventId !== undefined && { pathParameters: { eventId } }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'hr' },
      requestId: 'request-1',
      routeKey: 'GET /events/{eventId}',
      stage: '$default',
      time: '15/Jun/2025:15:06:40 +0000',
      timeEpoch: 1_750_000_000_000,
    },
    ...(options.body !== undefined && { body: options.body }),
    isBase64Encoded: false,
  };
}
