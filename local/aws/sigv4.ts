import { createHash, timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Credentials } from '../authz/principals';
import type { UnauthenticatedRequest } from './types';

/** Why a request's signature was not accepted, in the words AWS's endpoints use. */
export type AuthenticationFailure = {
  kind: 'missing' | 'unknownKey' | 'badSignature' | 'expired';
  message: string;
};

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;
const SKEW_MS = 15 * 60 * 1000;

/** The parts of an `Authorization: AWS4-HMAC-SHA256 …` header. */
export type SignedBy = {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
};

export function signatureOf(request: UnauthenticatedRequest): SignedBy | undefined {
  const match = AUTHORIZATION.exec(String(request.headers.authorization ?? '').trim());
  if (!match) return undefined;
  const [, accessKeyId = '', date = '', region = '', service = '', headers = '', signature = ''] = match;
  return { accessKeyId, date, region, service, signedHeaders: headers.split(';'), signature };
}

/**
 * Verifies a SigV4-signed request as AWS does: the caller's key is known, the session token (for
 * temporary credentials) is the one issued with it, the request time is within 15 minutes, and the
 * signature over the signed headers, path, query and body is the one computed with the secret key.
 */
export async function verifySigV4<T extends { credentials: Credentials }>(
  request: UnauthenticatedRequest,
  find: (accessKeyId: string) => T | undefined,
): Promise<T | AuthenticationFailure> {
  const signed = signatureOf(request);
  if (!signed) return { kind: 'missing', message: 'Missing Authentication Token' };
  const signer = find(signed.accessKeyId);
  const credentials = signer?.credentials;
  const token = header(request, 'x-amz-security-token');
  if (!signer || !credentials || (credentials.sessionToken ?? undefined) !== token) {
    return { kind: 'unknownKey', message: 'The security token included in the request is invalid.' };
  }
  const amzDate = header(request, 'x-amz-date') ?? '';
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined || !amzDate.startsWith(signed.date)) return badSignature();
  const now = Date.now();
  if (Math.abs(now - signedAt.getTime()) > SKEW_MS) {
    return {
      kind: 'expired',
      message: `Signature expired: ${amzDate} is now earlier than ${amzStamp(now - SKEW_MS)} (${amzStamp(now)} - 15 min.)`,
    };
  }

  // The signature covers the payload through this header when the client sends it: check it is the body's.
  const contentHash = header(request, 'x-amz-content-sha256');
  if (contentHash !== undefined && contentHash !== createHash('sha256').update(request.body).digest('hex')) {
    return badSignature();
  }

  const headers: Record<string, string> = {};
  for (const name of signed.signedHeaders) {
    const value = request.headers[name];
    if (value === undefined) return badSignature();
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const [hostname = '', port] = (headers.host ?? '').split(':');
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(request.query.keys())) {
    const values = request.query.getAll(key);
    query[key] = values.length === 1 ? (values[0] ?? '') : values;
  }
  const v4 = new SignatureV4({
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      // The signer adds the token header itself; only when the client signed it too.
      ...(signed.signedHeaders.includes('x-amz-security-token') ? { sessionToken: token } : {}),
    },
    region: signed.region,
    service: signed.service,
    sha256: Sha256,
    // Sign exactly the client's headers: add no x-amz-content-sha256 of our own (botocore sends none).
    applyChecksum: false,
  });
  const expected = await v4.sign(
    new HttpRequest({
      method: request.method,
      protocol: 'http:',
      hostname,
      ...(port ? { port: Number(port) } : {}),
      path: request.path,
      query,
      headers,
      body: request.body,
    }),
    { signingDate: signedAt, signableHeaders: new Set(signed.signedHeaders) },
  );
  const computed = /Signature=([0-9a-f]{64})/.exec(String(expected.headers.authorization))?.[1] ?? '';
  const same =
    computed.length === signed.signature.length &&
    timingSafeEqual(Buffer.from(computed), Buffer.from(signed.signature));
  return same ? signer : badSignature();
}

function badSignature(): AuthenticationFailure {
  return {
    kind: 'badSignature',
    message:
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  };
}

function header(request: UnauthenticatedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseAmzDate(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  return new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s));
}

function amzStamp(epochMs: number): string {
  return new Date(epochMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}
