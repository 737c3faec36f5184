import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';

/** The environment the webhook reads, for tests that call its handler directly. */
export const WEBHOOK_ENV = {
  STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:onboarding',
  WEBHOOK_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:webhook-signing',
  ACCOUNT_ID: '123456789012',
} as const;

/** The prefix of every execution ARN of the state machine in {@link WEBHOOK_ENV}. */
export const EXECUTION_ARN_PREFIX = 'arn:aws:states:eu-west-1:123456789012:execution:onboarding:';

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
 * A POST /hires as API Gateway (HTTP API, payload 2.0) delivers it: header names lower-cased, the
 * body as text or, when `base64`, base64 of the raw bytes. Headers set to undefined are left out.
 */
export function apiGatewayRequest(
  body: string | Buffer,
  headers: Record<string, string | undefined>,
  base64 = false,
): APIGatewayProxyEventV2 {
  const bytes = Buffer.from(body);
  const present = Object.entries(headers).filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  );
  return {
    version: '2.0',
    routeKey: 'POST /hires',
    rawPath: '/hires',
    rawQueryString: '',
    headers: Object.fromEntries(present.map(([name, value]) => [name.toLowerCase(), value])),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method: 'POST', path: '/hires', protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'hr' },
      requestId: 'request-1',
      routeKey: 'POST /hires',
      stage: '$default',
      time: '15/Jun/2025:15:06:40 +0000',
      timeEpoch: 1_750_000_000_000,
    },
    body: base64 ? bytes.toString('base64') : bytes.toString('utf8'),
    isBase64Encoded: base64,
  };
}
