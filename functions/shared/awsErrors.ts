/** What the handlers need to know about an SDK failure: AWS's error code and whether it is transient. */
export type AwsFailure = { code: string; transient: boolean; message: string };

const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);
const SERVER_CODES = new Set([
  'ServiceFailure',
  'ServiceFailureException',
  'InternalFailure',
  'InternalServiceError',
  'ServiceUnavailable',
  'ConcurrentModification',
]);

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'TimeoutError',
]);

type SdkErrorShape = {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
};

/** Classifies an error thrown by an SDK v3 client call. */
export function describeAwsFailure(error: unknown): AwsFailure {
  const shape: SdkErrorShape = typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {};
  const code = typeof shape.name === 'string' ? shape.name : 'UnknownError';
  const message = typeof shape.message === 'string' ? shape.message : String(error);
  const status = shape.$metadata?.httpStatusCode ?? 0;
  const networkCode = typeof shape.code === 'string' ? shape.code : code;
  const transient =
    THROTTLING_CODES.has(code) ||
    SERVER_CODES.has(code) ||
    NETWORK_CODES.has(networkCode) ||
    status >= 500 ||
    Boolean(shape.$retryable);
  return { code, transient, message };
}

/** True when the failure is AWS throttling the caller. */
export function isThrottling(failure: AwsFailure): boolean {
  return THROTTLING_CODES.has(failure.code);
}

/** True when AWS refused the call for lack of permission (IAM's AccessDenied, the JSON services' AccessDeniedException). */
export function isAccessDenied(failure: AwsFailure): boolean {
  return failure.code === 'AccessDenied' || failure.code === 'AccessDeniedException';
}
