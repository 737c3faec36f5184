import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far, in seconds, a signature's timestamp may be from the receiver's clock, either way. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** The outcome of checking an Onboarding-Signature header. `problem` is a coarse class, safe to show. */
export type SignatureCheck = { valid: true } | { valid: false; problem: 'missing' | 'invalid' | 'expired' };

const TIMESTAMP = /^\d+$/;
const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/**
 * HMAC-SHA256 of `<t>.<signed bytes>`, with the secret's UTF-8 bytes as the key: the one HMAC of
 * every Onboarding-Signature. A POST signs its raw body; a GET signs {@link requestSigningString}'s
 * `<method>.<path>`, which can never be a JSON body, so neither signature can stand in for the other.
 */
function digest(signed: string | Buffer, secret: string, timestamp: string): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(signed).digest();
}

/**
 * What a request without a body signs after `<t>.`: its method, a dot, and its path without the query
 * string as an HTTP API hands it to Lambda (`rawPath`, percent-decoded), e.g.
 * `GET./events/evt-2025-0001`. A valid eventId is made only of characters a path carries unencoded,
 * so for every valid request this is also the path as sent. The path names the resource: a signature
 * for one eventId is worthless for another.
 */
export function requestSigningString(method: string, rawPath: string): string {
  return `${method.toUpperCase()}.${rawPath}`;
}

/** The `Onboarding-Signature` header value for a bodiless request (`GET /events/{eventId}`). */
export function requestSignatureHeader(
  method: string,
  rawPath: string,
  secret: string,
  timestampSeconds: number,
): string {
  return signatureHeader(requestSigningString(method, rawPath), secret, timestampSeconds);
}

/** Checks an `Onboarding-Signature` header of a bodiless request, like {@link verifySignature}. */
export function verifyRequestSignature(
  method: string,
  rawPath: string,
  header: string | undefined,
  secrets: readonly string[],
  nowSeconds: number,
): SignatureCheck {
  return verifySignature(requestSigningString(method, rawPath), header, secrets, nowSeconds);
}

/**
 * The `Onboarding-Signature` header value for a body: `t=<timestampSeconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<raw body>">`. Sign the exact bytes you send.
 */
export function signatureHeader(rawBody: string | Buffer, secret: string, timestampSeconds: number): string {
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0)
    throw new RangeError('timestampSeconds must be a whole number of seconds since the epoch');
  const timestamp = String(timestampSeconds);
  return `t=${timestamp},v1=${digest(rawBody, secret, timestamp).toString('hex')}`;
}

/**
 * Checks an `Onboarding-Signature` header against the raw body: exactly one `t=` within
 * {@link SIGNATURE_TOLERANCE_SECONDS} of `nowSeconds`, and at least one `v1=` equal (in constant
 * time) to the digest under any of `secrets`. Other schemes (`v0=`...) are ignored; a `v1=` that is
 * not 64 hex digits matches nothing.
 */
export function verifySignature(
  rawBody: string | Buffer,
  header: string | undefined,
  secrets: readonly string[],
  nowSeconds: number,
): SignatureCheck {
  if (header === undefined || header.trim() === '') return { valid: false, problem: 'missing' };
  const entries = header.split(',').map((entry) => entry.trim());
  const values = (scheme: string) =>
    entries.filter((entry) => entry.startsWith(`${scheme}=`)).map((entry) => entry.slice(scheme.length + 1));
  const timestamps = values('t');
  const signatures = values('v1');
  const [timestamp] = timestamps;
  if (
    timestamp === undefined ||
    timestamps.length > 1 ||
    !TIMESTAMP.test(timestamp) ||
    signatures.length === 0
  )
    return { valid: false, problem: 'invalid' };
  if (Math.abs(nowSeconds - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS)
    return { valid: false, problem: 'expired' };

  const candidates = signatures.filter((hex) => HEX_SHA256.test(hex)).map((hex) => Buffer.from(hex, 'hex'));
  const matches = secrets.some((secret) => {
    const expected = digest(rawBody, secret, timestamp);
    return candidates.some((candidate) => timingSafeEqual(candidate, expected));
  });
  return matches ? { valid: true } : { valid: false, problem: 'invalid' };
}
