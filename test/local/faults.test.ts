import { Faults } from '../../local/faults';

/** The outcome of each of `n` calls of ses:SendEmail: 'ok' or the injected error code. */
function outcomes(faults: Faults, n: number): string[] {
  return Array.from({ length: n }, () => {
    try {
      faults.check('ses', 'SendEmail');
      return 'ok';
    } catch (error) {
      return (error as { code: string }).code;
    }
  });
}

describe('Faults', () => {
  describe('when a rule has a skip', () => {
    it('lets that many matching calls through, then fails the next count calls, then disarms', () => {
      const faults = new Faults();
      faults.addRule({ service: 'ses', action: 'SendEmail', code: 'MessageRejected', count: 2, skip: 1 });

      expect(outcomes(faults, 4)).toEqual(['ok', 'MessageRejected', 'MessageRejected', 'ok']);
      expect(faults.describe().rules).toEqual([]);
    });

    it('rejects a skip that is not a whole number', () => {
      const faults = new Faults();
      expect(() =>
        faults.addRule({ service: 'ses', action: 'SendEmail', code: 'MessageRejected', count: 1, skip: -1 }),
      ).toThrow('whole number');
    });
  });

  describe('when a rule has no skip', () => {
    it('fails the next count calls at once', () => {
      const faults = new Faults();
      faults.addRule({ service: 'ses', action: 'SendEmail', code: 'Throttling', count: 1 });

      expect(outcomes(faults, 2)).toEqual(['Throttling', 'ok']);
    });
  });
});
