import { randomUUID } from 'node:crypto';
import { jsonError } from './jsonProtocol';
import { queryError } from './queryProtocol';
import { restJsonError } from './restJsonProtocol';
import { SERVICE_PROTOCOLS, type ServiceProtocol } from './services';
import type { AuthenticationFailure } from './sigv4';
import { AwsError, type AwsResponse } from './types';

/**
 * The errors every service answers the same way in its own protocol: authentication failures and
 * AccessDenied. Query-protocol services (IAM, STS) answer XML with AWS's 403 codes; JSON services
 * (Secrets Manager 1.1, Step Functions 1.0) a `__type` body with 400; SES v2 (REST-JSON) 403 with
 * `x-amzn-ErrorType`.
 */
type Protocol = ServiceProtocol['protocol'];

const CODES: Record<Protocol, Record<AuthenticationFailure['kind'], [number, string]>> = {
  query: {
    missing: [403, 'MissingAuthenticationToken'],
    unknownKey: [403, 'InvalidClientTokenId'],
    badSignature: [403, 'SignatureDoesNotMatch'],
    expired: [403, 'SignatureDoesNotMatch'],
  },
  json: {
    missing: [400, 'MissingAuthenticationTokenException'],
    unknownKey: [400, 'UnrecognizedClientException'],
    badSignature: [400, 'InvalidSignatureException'],
    expired: [400, 'InvalidSignatureException'],
  },
  'rest-json': {
    missing: [403, 'MissingAuthenticationTokenException'],
    unknownKey: [403, 'UnrecognizedClientException'],
    badSignature: [403, 'InvalidSignatureException'],
    expired: [403, 'InvalidSignatureException'],
  },
};

function protocolOf(service: string): ServiceProtocol {
  const known = Object.hasOwn(SERVICE_PROTOCOLS, service)
    ? SERVICE_PROTOCOLS[service as keyof typeof SERVICE_PROTOCOLS]
    : undefined;
  if (!known) throw new Error(`No protocol known for service ${service}`);
  return known;
}

export function authenticationError(service: string, failure: AuthenticationFailure): AwsError {
  const [status, code] = CODES[protocolOf(service).protocol][failure.kind];
  const message =
    failure.kind === 'missing' && protocolOf(service).protocol === 'query'
      ? 'Request is missing Authentication Token'
      : failure.message;
  return new AwsError(status, code, message);
}

/** The service's AccessDenied error carrying AWS's explanation. */
export function deniedError(service: string, message: string): AwsError {
  const { protocol } = protocolOf(service);
  if (protocol === 'query') return new AwsError(403, 'AccessDenied', message);
  return new AwsError(protocol === 'json' ? 400 : 403, 'AccessDeniedException', message);
}

/** The error answer of `service` in its own protocol. */
export function renderError(service: string, error: AwsError): AwsResponse {
  const known = protocolOf(service);
  const requestId = randomUUID();
  if (known.protocol === 'query') return queryError(known.namespace, error, requestId);
  if (known.protocol === 'json') return jsonError(known, error, requestId);
  return restJsonError(error, requestId);
}
