/**
 * The long fuzz run of the webhook: `npm run fuzz [-- --runs 10000] [-- --seed 42]`. Runs the property
 * of test/unit/webhookFuzz.test.ts (same arbitraries, same invariants) for many more cases and prints
 * the cases run, the answers seen, any failure with its seed and shrunk counterexample, and the time.
 */
import fc from 'fast-check';
import type { WebhookCase } from '../test/fuzz/arbitraries';
import { createWebhookFuzzer, webhookProperty } from '../test/fuzz/webhookProperty';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<number> {
  const numRuns = Number(option('runs') ?? process.env.FUZZ_RUNS ?? 10_000);
  const seed = Number(option('seed') ?? process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
  const answers = new Map<number, number>();
  const fuzzer = createWebhookFuzzer();
  const started = performance.now();
  let details: fc.RunDetails<[WebhookCase]>;
  try {
    details = await fc.check(
      webhookProperty(fuzzer, (status) => answers.set(status, (answers.get(status) ?? 0) + 1)),
      { numRuns, seed },
    );
  } finally {
    fuzzer.restore();
  }
  const seconds = (performance.now() - started) / 1000;

  const tally = [...answers].sort(([a], [b]) => a - b).map(([status, count]) => `${status}: ${count}`);
  console.log(`webhook fuzz: ${details.numRuns} cases run (seed ${details.seed}) in ${seconds.toFixed(1)} s`);
  console.log(`answers: ${tally.join(', ')}`);
  if (!details.failed) {
    console.log('failures: 0');
    return 0;
  }
  console.log(`failures: 1 after ${details.numRuns} cases, shrunk ${details.numShrinks} times`);
  console.log(`reproduce: npm run fuzz -- --seed ${details.seed} --runs ${numRuns}`);
  const counterexample = fc.stringify(details.counterexample);
  console.log(
    `counterexample: ${counterexample.length > 4000 ? `${counterexample.slice(0, 4000)}... (${counterexample.length} characters)` : counterexample}`,
  );
  console.log(
    `error: ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`,
  );
  return 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  },
);
