import { randomBytes, scrypt } from 'node:crypto';
import { promisify } from 'node:util';
import { passwordPolicyViolation } from './errors';
import type { PasswordPolicyRecord } from './model';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

/** The non-alphanumeric characters IAM counts as symbols. */
const SYMBOLS = new Set("!@#$%^&*()_+-=[]{}|'");

const CLASSES = {
  uppercase: (c: string) => c >= 'A' && c <= 'Z',
  lowercase: (c: string) => c >= 'a' && c <= 'z',
  number: (c: string) => c >= '0' && c <= '9',
  symbol: (c: string) => SYMBOLS.has(c),
} as const;

const has = (password: string, test: (c: string) => boolean) => [...password].some(test);

/**
 * Throws PasswordPolicyViolation unless `password` satisfies the account's policy or, when none is
 * set, AWS's default: at least 8 characters from at least three of the four classes.
 */
export function checkPassword(password: string, policy: PasswordPolicyRecord | undefined): void {
  if (!satisfies(password, policy)) throw passwordPolicyViolation();
}

function satisfies(password: string, policy: PasswordPolicyRecord | undefined): boolean {
  if (!policy) {
    const classes = Object.values(CLASSES).filter((test) => has(password, test)).length;
    return password.length >= 8 && classes >= 3;
  }
  return (
    password.length >= policy.minimumPasswordLength &&
    (!policy.requireUppercaseCharacters || has(password, CLASSES.uppercase)) &&
    (!policy.requireLowercaseCharacters || has(password, CLASSES.lowercase)) &&
    (!policy.requireNumbers || has(password, CLASSES.number)) &&
    (!policy.requireSymbols || has(password, CLASSES.symbol))
  );
}

/** A salted scrypt hash: the only form in which a password reaches the journal. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, 32);
  return `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`;
}
