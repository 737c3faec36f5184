import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** RFC 6238 TOTP as virtual MFA apps compute it: HMAC-SHA1, 30-second steps, 6 digits. */
const STEP_SECONDS = 30;
const DIGITS = 6;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding. */
export function base32Encode(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(text: string): Buffer {
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of text.replace(/=+$/, '').toUpperCase()) {
    const index = ALPHABET.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/** A new seed as IAM issues them: 40 random bytes, 64 base32 characters. */
export const newTotpSeed = () => base32Encode(randomBytes(40));

/** The RFC 4226 HOTP value of `counter`, zero-padded to six digits. */
export function hotp(key: Buffer, counter: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const digest = createHmac('sha1', key).update(message).digest();
  const offset = (digest[digest.length - 1] ?? 0) & 0x0f;
  const code = (digest.readUInt32BE(offset) & 0x7fffffff) % 10 ** DIGITS;
  return code.toString().padStart(DIGITS, '0');
}

/** The TOTP code of `seed` (base32) at `timeMs`. */
export const totp = (seed: string, timeMs: number) =>
  hotp(base32Decode(seed), Math.floor(timeMs / 1000 / STEP_SECONDS));

/**
 * Whether `first` and `second` are the codes of two consecutive time steps of `seed`, the later one
 * within `stepsBehind` steps before now or one step ahead (clock skew). EnableMFADevice asks for
 * two consecutive codes; the usual case is the previous and the current code.
 */
export function areConsecutiveCodes(
  seed: string,
  first: string,
  second: string,
  timeMs: number,
  stepsBehind = 2,
): boolean {
  const key = base32Decode(seed);
  const now = Math.floor(timeMs / 1000 / STEP_SECONDS);
  for (let step = now - stepsBehind; step <= now + 1; step++) {
    if (same(hotp(key, step - 1), first) && same(hotp(key, step), second)) return true;
  }
  return false;
}

const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
