import { randomUUID } from 'node:crypto';
import type { AuthenticationFailure } from './sigv4';
import { AwsError, type AwsResponse } from './types';
import { escapeXml } from './xml';

/**
 * The errors every service answers the same way in its own protocol: authentication failures and
 * AccessDenied. Query-protocol services (IAM, STS) answer XML with AWS's 403 codes; JSON services
 * (Secrets Manager 1.1, Step Functions 1.0) a `__type` body with 400; SES v2 (REST-JSON) 403 with
 * `x-amzn-ErrorType`.
 */
type Protocol = 'query' | 'json' | 'rest-json';

const SERVICES: Record<string, { protocol: Protocol; namespace?: string; contentType?: string }> = {
  iam: { protocol: 'query', namespace: 'https://iam.amazonaws.com/doc/2010-05-08/' },
  sts: { protocol: 'query', namespace: 'https://sts.amazonaws.com/doc/2011-06-15/' },
  secretsmanager: { protocol: 'json', contentType: 'application/x-amz-json-1.1' },
  states: { protocol: 'json', contentType: 'application/x-amz-json-1.0' },
  ses: { protocol: 'rest-json' },
};

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

function protocolOf(service: string) {
  const known = SERVICES[service];
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

export function renderError(service: string, error: AwsError): AwsResponse {
  const { protocol, namespace, contentType } = protocolOf(service);
  const requestId = randomUUID();
  if (protocol === 'query') {
    return {
      status: error.status,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
      body:
        `<ErrorResponse xmlns="${namespace}"><Error><Type>${error.type}</Type><Code>${escapeXml(error.code)}</Code>` +
        `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    };
  }
  if (protocol === 'json') {
    return {
      status: error.status,
      headers: { 'content-type': contentType ?? 'application/json', 'x-amzn-requestid': requestId },
      body: JSON.stringify({ __type: error.code, message: error.message }),
    };
  }
  return {
    status: error.status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-errortype': error.code,
      'x-amzn-requestid': requestId,
    },
    body: JSON.stringify({ message: error.message }),
  };
}
