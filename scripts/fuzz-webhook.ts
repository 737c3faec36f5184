/**
 * The long fuzz run of the HR routes: `npm run fuzz [-- --runs 10000] [-- --seed 42] [-- --route R]`.
 * Runs the properties of test/unit/webhookFuzz.test.ts (POST /hires) and eventStatusFuzz.test.ts
 * (GET /events/{eventId}) for many more cases, each route `--runs` cases (`--route hires` or
 * `--route status` runs one), and prints the cases run, the answers seen, any failure with its seed
 * and shrunk counterexample, and the time.
 */
import fc from 'fast-check';
import { createStatusFuzzer, statusProperty } from '../test/fuzz/statusProperty';
import { createWebhookFuzzer, webhookProperty } from '../test/fuzz/webhookProperty';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

type Answer = number | string;

/** Each route: a fuzzer and its property, which tallies every answer it sees. */
const ROUTES = {
  hires: (tally: (answer: Answer) => void) => {
    const fuzzer = createWebhookFuzzer();
    return { property: webhookProperty(fuzzer, tally), restore: fuzzer.restore };
  },
  status: (tally: (answer: Answer) => void) => {
    const fuzzer = createStatusFuzzer();
    return { property: statusProperty(fuzzer, tally), restore: fuzzer.restore };
  },
} as const;
type Route = keyof typeof ROUTES;

async function fuzz(route: Route, numRuns: number, seed: number): Promise<boolean> {
  const answers = new Map<Answer, number>();
  const { property, restore } = ROUTES[route]((answer) =>
    answers.set(answer, (answers.get(answer) ?? 0) + 1),
  );
  const started = performance.now();
  let details: fc.RunDetails<[unknown]>;
  try {
    details = (await fc.check(property as fc.IAsyncProperty<[unknown]>, { numRuns, seed })) as fc.RunDetails<
      [unknown]
    >;
  } finally {
    restore();
  }
  const seconds = (performance.now() - started) / 1000;

  const tally = [...answers]
    .sort(([a], [b]) => String(a).localeCompare(String(b)))
    .map(([a, n]) => `${a}: ${n}`);
  console.log(
    `${route} fuzz: ${details.numRuns} cases run (seed ${details.seed}) in ${seconds.toFixed(1)} s`,
  );
  console.log(`answers: ${tally.join(', ')}`);
  if (!details.failed) {
    console.log('failures: 0');
    return true;
  }
  console.log(`failures: 1 after ${details.numRuns} cases, shrunk ${details.numShrinks} times`);
  console.log(`reproduce: npm run fuzz -- --route ${route} --seed ${details.seed} --runs ${numRuns}`);
  const counterexample = fc.stringify(details.counterexample);
  console.log(
    `counterexample: ${counterexample.length > 4000 ? `${counterexample.slice(0, 4000)}... (${counterexample.length} characters)` : counterexample}`,
  );
  console.log(
    `error: ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`,
  );
  return false;
}

async function main(): Promise<number> {
  const numRuns = Number(option('runs') ?? process.env.FUZZ_RUNS ?? 10_000);
  const seed = Number(option('seed') ?? process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
  const only = option('route');
  if (only !== undefined && !(only in ROUTES))
    throw new Error(`--route must be one of: ${Object.keys(ROUTES).join(', ')}`);
  const routes = only === undefined ? (Object.keys(ROUTES) as Route[]) : [only as Route];
  let passed = true;
  for (const route of routes) passed = (await fuzz(route, numRuns, seed)) && passed;
  return passed ? 0 : 1;
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
