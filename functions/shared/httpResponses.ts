import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describeAwsFailure } from './awsErrors';
import { RetryableError } from './errors';
import type { FieldError } from './hrEventParser';
import { logger } from './logger';
import { SIGNATURE_TOLERANCE_SECONDS } from './signature';

type Request = APIGatewayProxyEventV2;
type Response = APIGatewayProxyStructuredResultV2;

/** The 401 messages of the HR routes: they say only which class of problem, never which secret. */
export const SIGNATURE_PROBLEMS = {
  missing: 'Missing Onboarding-Signature header',
  invalid: 'Invalid Onboarding-Signature',
  expired: `Expired Onboarding-Signature: its timestamp is more than ${SIGNATURE_TOLERANCE_SECONDS} seconds away`,
} as const;
const RETRY_AFTER_SECONDS = '5';

/**
 * The one place the HR routes turn a failure into HTTP: AWS being busy is a 503 to resend after
 * Retry-After, anything else a bare 500 (the details in the log only).
 */
export const failureResponses: MiddlewareObj<Request, Response> = {
  onError: (request) => {
    const { error } = request;
    if (error instanceof RetryableError || describeAwsFailure(error).transient) {
      logger.warn('AWS is busy, asking the sender to retry', { error });
      request.response = reply(
        503,
        { message: 'Service busy, retry later' },
        { 'retry-after': RETRY_AFTER_SECONDS },
      );
    } else {
      logger.error('Unexpected error', { error });
      request.response = reply(500, { message: 'Internal error' });
    }
  },
};

/** Logs why (`message` is a reserved logger key) and at most 10 fields, each cut short: never the body. */
export function reject(statusCode: number, message: string, errors?: FieldError[]): Response {
  const fields = errors?.slice(0, 10).map((e) => e.field.slice(0, 100));
  logger.info('Request rejected', { statusCode, reason: message, fields, errorCount: errors?.length });
  return reply(statusCode, { message, errors });
}

/** A JSON answer. */
export function reply(statusCode: number, body: object, headers: Record<string, string> = {}): Response {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}
