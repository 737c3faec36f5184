import fc from 'fast-check';
import { userNameCandidates } from '../../functions/shared/userName';

const IAM_USER_NAME = /^[\w+=,.@-]{1,64}$/;

const employee = (
  givenName: string,
  familyName: string,
  extra: { id?: string; workEmail?: string } = {},
) => ({
  id: extra.id ?? 'E1001',
  givenName,
  familyName,
  workEmail: extra.workEmail ?? 'someone@example.com',
});

describe('userNameCandidates', () => {
  describe('the first candidate', () => {
    it.each([
      ['Ada', 'Lovelace', 'ada.lovelace'],
      ['ADA', 'LoveLace', 'ada.lovelace'],
      ['José', 'Núñez', 'jose.nunez'],
      ['Zoë', 'Brontë', 'zoe.bronte'],
      ['Søren', 'Kierkegaard', 'soren.kierkegaard'],
      ['Łukasz', 'Żółć', 'lukasz.zolc'],
      ['Ægir', 'Þórsson', 'aegir.thorsson'],
      ['Günther', 'Weiß', 'gunther.weiss'],
      ['Đorđe', 'Œuvre', 'dorde.oeuvre'],
      ['Ｆｕｌｌ', 'Ｗｉｄｔｈ', 'full.width'],
    ])('folds %s %s to ASCII as %s', (given, family, expected) => {
      expect(userNameCandidates(employee(given, family))[0]).toBe(expected);
    });

    it.each([
      ['Conan', "O'Brien", 'conan.obrien'],
      ['Jean-Luc', 'Picard', 'jeanluc.picard'],
      ['Ludwig', 'van Beethoven', 'ludwig.vanbeethoven'],
      ['AC/DC', 'Back\\Slash', 'acdc.backslash'],
      ['Smiley 😀', 'Face 🎉', 'smiley.face'],
      ['R2', 'D2', 'r2.d2'],
    ])(
      'drops apostrophes, hyphens, spaces, slashes and emoji inside a part: %s %s -> %s',
      (given, family, expected) => {
        expect(userNameCandidates(employee(given, family))[0]).toBe(expected);
      },
    );

    it('uses the part that survives folding when the other does not', () => {
      expect(userNameCandidates(employee('太郎', 'Smith'))[0]).toBe('smith');
    });

    it('falls back to the work email local part when no Latin letter or digit is left of the name', () => {
      const candidates = userNameCandidates(
        employee('太郎', '山田', { workEmail: 'Taro.Yamada+HR@example.jp' }),
      );
      expect(candidates[0]).toBe('taro.yamada+hr');
    });

    it('falls back to employee-<id> when neither the name nor the email local part has a letter or digit', () => {
      const candidates = userNameCandidates(
        employee('Иван', 'Петров', { id: 'E-42', workEmail: 'иван@пример.рф' }),
      );
      expect(candidates).toEqual(['employee-e-42']);
    });

    it('truncates to 64 characters without a trailing separator', () => {
      const name = userNameCandidates(employee('A'.repeat(40), 'B'.repeat(40)))[0];
      expect(name).toBe(`${'a'.repeat(40)}.${'b'.repeat(23)}`);
      expect(name).toHaveLength(64);
      const cut = userNameCandidates(employee('A'.repeat(63), 'Bee'))[0];
      expect(cut).toBe('a'.repeat(63));
    });

    it('is the same for the same employee (deterministic)', () => {
      expect(userNameCandidates(employee('Ada', 'Lovelace'))).toEqual(
        userNameCandidates(employee('Ada', 'Lovelace')),
      );
    });
  });

  describe('the alternative candidate', () => {
    it('appends the lower-cased employee id, so two hires with the same name get different alternatives', () => {
      const first = userNameCandidates(employee('Ada', 'Lovelace', { id: 'E1001' }));
      const second = userNameCandidates(employee('Ada', 'Lovelace', { id: 'E2002' }));
      expect(first).toEqual(['ada.lovelace', 'ada.lovelace-e1001']);
      expect(second).toEqual(['ada.lovelace', 'ada.lovelace-e2002']);
    });

    it('shortens the base, not the id, to stay within 64 characters', () => {
      const [, alternative] = userNameCandidates(employee('A'.repeat(40), 'B'.repeat(40), { id: 'E1001' }));
      expect(alternative).toBe(`${'a'.repeat(40)}.${'b'.repeat(17)}-e1001`);
      expect(alternative).toHaveLength(64);
    });

    it('is left out when it would repeat the first candidate', () => {
      const candidates = userNameCandidates(employee('X'.repeat(64), '李', { id: 'X'.repeat(64) }));
      expect(candidates).toEqual(['x'.repeat(64)]);
    });

    it('is the id alone when the id leaves no room for the base', () => {
      const id = `E${'9'.repeat(63)}`;
      const [, alternative] = userNameCandidates(employee('Ada', 'Lovelace', { id }));
      expect(alternative).toBe(id.toLowerCase());
    });
  });

  it('always yields distinct names IAM accepts, whatever the input', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 120 }),
        fc.string({ unit: 'grapheme', maxLength: 120 }),
        fc.string({ unit: 'binary', maxLength: 80 }),
        fc.string({ maxLength: 70 }),
        (givenName, familyName, local, id) => {
          const candidates = userNameCandidates({
            id,
            givenName,
            familyName,
            workEmail: `${local}@example.com`,
          });
          expect(candidates.length).toBeGreaterThan(0);
          for (const name of candidates) expect(name).toMatch(IAM_USER_NAME);
          expect(new Set(candidates).size).toBe(candidates.length);
        },
      ),
      { numRuns: 500 },
    );
  });
});
