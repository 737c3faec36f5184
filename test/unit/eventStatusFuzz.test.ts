import fc from 'fast-check';
import { statusCase } from '../fuzz/arbitraries';
import { createStatusFuzzer, statusProperty } from '../fuzz/statusProperty';

// A short run for every `npm test`; `npm run fuzz` runs the same property for 10,000+ cases.
const NUM_RUNS = 300;

let fuzzer: ReturnType<typeof createStatusFuzzer>;

beforeEach(() => {
  fuzzer = createStatusFuzzer();
});

afterEach(() => {
  fuzzer.restore();
});

describe('eventStatus', () => {
  describe('when fuzzed with random, mis-encoded and mis-signed GET /events/{eventId}', () => {
    it(`keeps every invariant for ${NUM_RUNS} cases: no 5xx but a throttled IAM, the documented shape, no personal data`, async () => {
      await fc.assert(statusProperty(fuzzer), { numRuns: NUM_RUNS });
    });

    it('reaches every answer, so that no invariant holds vacuously', async () => {
      const answers = new Map<number | string, number>();
      for (const fuzzCase of fc.sample(statusCase, { numRuns: 600, seed: 42 })) {
        const answer = await fuzzer.run(fuzzCase);
        answers.set(answer, (answers.get(answer) ?? 0) + 1);
      }

      for (const status of [200, 400, 401, 404]) expect(answers.get(status) ?? 0).toBeGreaterThan(20);
      expect(answers.get(503) ?? 0).toBeGreaterThan(0);
    });
  });
});
