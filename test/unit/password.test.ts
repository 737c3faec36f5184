import fc from 'fast-check';
import {
  DEFAULT_MINIMUM_PASSWORD_LENGTH,
  GENERATED_PASSWORD_LENGTH,
  generatePassword,
} from '../../functions/shared/password';

type Policy = {
  MinimumPasswordLength: number;
  RequireUppercaseCharacters: boolean;
  RequireLowercaseCharacters: boolean;
  RequireNumbers: boolean;
  RequireSymbols: boolean;
};

/**
 * IAM's character classes, from the UpdateAccountPasswordPolicy reference: uppercase and lowercase
 * "from the ISO basic Latin alphabet", numbers "0 to 9", symbols "! @ # $ % ^ & * ( ) _ + - = [ ] { } | '".
 */
const IAM = {
  uppercase: /[A-Z]/,
  lowercase: /[a-z]/,
  numbers: /[0-9]/,
  symbols: /[!@#$%^&*()_+\-=[\]{}|']/,
} as const;

const has = (password: string, characters: RegExp) => characters.test(password);

/** IAM's checks for a password policy, and AWS's default (min 8, 3 of 4 classes) without one. */
function meets(password: string, policy?: Policy): boolean {
  const classes = {
    uppercase: has(password, IAM.uppercase),
    lowercase: has(password, IAM.lowercase),
    numbers: has(password, IAM.numbers),
    symbols: has(password, IAM.symbols),
  };
  if (!policy) return password.length >= 8 && Object.values(classes).filter(Boolean).length >= 3;
  return (
    password.length >= policy.MinimumPasswordLength &&
    (!policy.RequireUppercaseCharacters || classes.uppercase) &&
    (!policy.RequireLowercaseCharacters || classes.lowercase) &&
    (!policy.RequireNumbers || classes.numbers) &&
    (!policy.RequireSymbols || classes.symbols)
  );
}

describe('generatePassword', () => {
  it('meets AWS default rules when the account has no password policy', () => {
    const password = generatePassword(DEFAULT_MINIMUM_PASSWORD_LENGTH);
    expect(meets(password)).toBe(true);
    expect(password).toHaveLength(GENERATED_PASSWORD_LENGTH);
  });

  it('always contains every character class, so it meets a policy requiring all four', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 128 }), (minimum) => {
        const password = generatePassword(minimum);
        expect(has(password, IAM.uppercase)).toBe(true);
        expect(has(password, IAM.lowercase)).toBe(true);
        expect(has(password, IAM.numbers)).toBe(true);
        expect(has(password, IAM.symbols)).toBe(true);
      }),
    );
  });

  it('meets any IAM password policy', () => {
    const policies = fc.record({
      MinimumPasswordLength: fc.integer({ min: 6, max: 128 }),
      RequireUppercaseCharacters: fc.boolean(),
      RequireLowercaseCharacters: fc.boolean(),
      RequireNumbers: fc.boolean(),
      RequireSymbols: fc.boolean(),
    });
    fc.assert(
      fc.property(policies, (policy) => {
        const password = generatePassword(policy.MinimumPasswordLength);
        expect(meets(password, policy)).toBe(true);
        expect(password).toHaveLength(Math.max(GENERATED_PASSWORD_LENGTH, policy.MinimumPasswordLength));
      }),
    );
  });

  it('uses only characters of the classes IAM counts, so no character is wasted or refused', () => {
    const counted = new RegExp(
      `^(${Object.values(IAM)
        .map((c) => c.source)
        .join('|')})+$`,
    );
    for (let i = 0; i < 50; i++) expect(generatePassword(128)).toMatch(counted);
  });

  it('never exceeds IAM maximum length of 128', () => {
    expect(generatePassword(500)).toHaveLength(128);
  });

  it('differs from one call to the next', () => {
    const passwords = new Set(Array.from({ length: 50 }, () => generatePassword()));
    expect(passwords.size).toBe(50);
  });

  it('places the guaranteed characters anywhere, not always first', () => {
    // Without the shuffle the first character would always be the guaranteed uppercase letter.
    const firstIsUppercase = Array.from({ length: 200 }, () => generatePassword()).filter((p) =>
      IAM.uppercase.test(p.charAt(0)),
    );
    expect(firstIsUppercase.length).toBeLessThan(150);
  });
});
