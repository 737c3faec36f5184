import fc from 'fast-check';
import { webhookCase } from '../fuzz/arbitraries';
import { createWebhookFuzzer, expectedStatus, signatureFor, webhookProperty } from '../fuzz/webhookProperty';

// A short run for every `npm test`; `npm run fuzz` runs the same property for 10,000+ cases.
const NUM_RUNS = 300;

let fuzzer: ReturnType<typeof createWebhookFuzzer>;

beforeEach(() => {
  fuzzer = createWebhookFuzzer();
});

afterEach(() => {
  fuzzer.restore();
});

describe('webhook', () => {
  describe('when fuzzed with random, mutated and valid requests', () => {
    it(`keeps every invariant for ${NUM_RUNS} cases: no 5xx, the documented shape, executions only for valid signed events`, async () => {
      await fc.assert(webhookProperty(fuzzer), { numRuns: NUM_RUNS });
    });
  });

  describe('the generated cases', () => {
    it('reach every answer, valid hires included, so that no invariant holds vacuously', () => {
      const statuses = fc.sample(webhookCase, { numRuns: 1000, seed: 42 }).map((fuzzCase) => {
        const body = Buffer.from(fuzzCase.body);
        const headers = {
          'content-type': fuzzCase.contentType,
          'onboarding-signature': signatureFor(fuzzCase.signature, body),
        };
        return expectedStatus(body, headers, fuzzCase.existing).status;
      });
      const count = (status: number) => statuses.filter((s) => s === status).length;

      expect(count(202)).toBeGreaterThan(100);
      expect(count(400)).toBeGreaterThan(100);
      for (const status of [401, 409, 413, 415]) expect(count(status)).toBeGreaterThan(10);
    });
  });
});
