import { createHash, randomBytes } from 'node:crypto';

/** IAM unique ids are a four-letter prefix and 17 characters of base32 (A-Z, 2-7). */
export const ID_PREFIX = {
  user: 'AIDA',
  group: 'AGPA',
  policy: 'ANPA',
  sshPublicKey: 'APKA',
  serviceSpecificCredential: 'ACCA',
} as const;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Buffer, length: number): string {
  return [...bytes.subarray(0, length)].map((byte) => BASE32[byte % 32]).join('');
}

export function newId(prefix: string, length = 17): string {
  return prefix + base32(randomBytes(length), length);
}

/** An access key id: AKIA and 16 characters, 20 in all, as IAM issues them to users. */
export const newAccessKeyId = () => newId('AKIA', 16);

/** A signing certificate id: 32 characters of base32, no prefix. */
export const newCertificateId = () => newId('', 32);

/** A secret: `bytes` random bytes in base64 (30 bytes make the 40 characters of a secret access key). */
export const newSecret = (bytes: number) => randomBytes(bytes).toString('base64');

/** A stable id for an entity that is not stored (AWS managed policies). */
export function stableId(prefix: string, seed: string): string {
  return prefix + base32(createHash('sha256').update(seed).digest(), 17);
}

/** ISO 8601 to the second, as IAM writes dates. */
export function isoNow(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function entityArn(
  accountId: string,
  kind: 'user' | 'group' | 'policy' | 'mfa',
  path: string,
  name: string,
): string {
  return `arn:aws:iam::${accountId}:${kind}${path}${name}`;
}
