import { randomInt } from 'node:crypto';

/** The character classes an IAM password policy can require; symbols are those IAM accepts. */
const PASSWORD_CHARACTERS = {
  uppercase: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  lowercase: 'abcdefghijklmnopqrstuvwxyz',
  numbers: '0123456789',
  symbols: "!@#$%^&*()_+-=[]{}|'",
} as const;

/** AWS's rule when the account has no password policy: at least 8 characters (and 3 of the 4 classes). */
export const DEFAULT_MINIMUM_PASSWORD_LENGTH = 8;
/** Even when the policy asks for less: the password is pasted from an email, never typed from memory. */
export const GENERATED_PASSWORD_LENGTH = 20;
const IAM_MAXIMUM_PASSWORD_LENGTH = 128;

const ALL_CHARACTERS = Object.values(PASSWORD_CHARACTERS).join('');

function pick(characters: string): string {
  return characters.charAt(randomInt(characters.length));
}

/**
 * A random password of max(20, minimumLength) characters with at least one character of every class,
 * so it satisfies any IAM password policy whatever classes it requires. Uses `crypto.randomInt`,
 * which is uniform (no modulo bias), for every choice including the shuffle.
 */
export function generatePassword(minimumLength = DEFAULT_MINIMUM_PASSWORD_LENGTH): string {
  const length = Math.min(Math.max(GENERATED_PASSWORD_LENGTH, minimumLength), IAM_MAXIMUM_PASSWORD_LENGTH);
  const characters = Object.values(PASSWORD_CHARACTERS).map(pick);
  while (characters.length < length) characters.push(pick(ALL_CHARACTERS));
  // Fisher-Yates, so the guaranteed characters are not always first.
  for (let i = characters.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [characters[i], characters[j]] = [characters[j] as string, characters[i] as string];
  }
  return characters.join('');
}
