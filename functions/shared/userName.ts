import type { Employee } from './hrEvent';

/** IAM's limit on user names. */
export const MAX_USER_NAME_LENGTH = 64;

// Letters that NFKD does not decompose into an ASCII letter plus marks.
const LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  œ: 'oe',
  ı: 'i',
};

/** Lower-case ASCII for a Latin-script text: `Żółć Ærø` -> `zolc aero`; other scripts pass through. */
function fold(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[ßæøłđðþœı]/g, (letter) => LETTERS[letter] ?? letter);
}

/**
 * One part of a name as `[a-z0-9]*`. Apostrophes, hyphens and spaces inside a part are dropped,
 * not turned into separators: `O'Brien` -> `obrien`, `Jean-Luc` -> `jeanluc`, `van der Berg` ->
 * `vanderberg`, so the only `.` in a name is the one between given and family name.
 */
function namePart(text: string): string {
  return fold(text).replace(/[^a-z0-9]/g, '');
}

/** Characters IAM accepts, without leading or trailing punctuation; empty when no letter or digit is left. */
function sanitise(text: string): string {
  const cleaned = fold(text)
    .replace(/[^\w+=,.@-]/g, '')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return /[a-z0-9]/.test(cleaned) ? cleaned : '';
}

function truncate(name: string, length: number): string {
  return name.slice(0, length).replace(/[^a-z0-9]+$/, '');
}

/** HR's employee id, lower-cased, as IAM accepts it (the HR schema already restricts its characters). */
function idPart(id: string): string {
  return id.toLowerCase().replace(/[^\w+=,.@-]/g, '') || 'unknown';
}

function localPart(email: string): string {
  const at = email.lastIndexOf('@');
  return at >= 0 ? email.slice(0, at) : email;
}

/**
 * The IAM user names to try for an employee, best first; deterministic, so a retry or a concurrent
 * execution derives the same list. The first is `given.family` folded to ASCII, else the work email's
 * local part, else `employee-<id>`. The second, for when the first belongs to someone else, appends
 * the employee id: two hires with the same name never compete for the same alternative.
 */
export function userNameCandidates(
  employee: Pick<Employee, 'id' | 'givenName' | 'familyName' | 'workEmail'>,
): string[] {
  const id = idPart(employee.id);
  const fromName = [namePart(employee.givenName), namePart(employee.familyName)].filter(Boolean).join('.');
  const base = fromName || sanitise(localPart(employee.workEmail));
  if (!base) return [truncate(`employee-${id}`, MAX_USER_NAME_LENGTH)];
  const room = MAX_USER_NAME_LENGTH - id.length - 1;
  const alternative = room > 0 ? `${truncate(base, room)}-${id}` : id.slice(0, MAX_USER_NAME_LENGTH);
  return [...new Set([truncate(base, MAX_USER_NAME_LENGTH), alternative])];
}
