import { createHash, randomBytes } from 'node:crypto';

/** IAM unique ids are a four-letter prefix and 17 characters of base32 (A-Z, 2-7). */
export const ID_PREFIX = { user: 'AIDA', group: 'AGPA', policy: 'ANPA' } as const;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Buffer, length: number): string {
  return [...bytes.subarray(0, length)].map((byte) => BASE32[byte % 32]).join('');
}

export function newId(prefix: string): string {
  return prefix + base32(randomBytes(17), 17);
}

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
  kind: 'user' | 'group' | 'policy',
  path: string,
  name: string,
): string {
  return `arn:aws:iam::${accountId}:${kind}${path}${name}`;
}
