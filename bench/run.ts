/**
 * `npm run bench` (full, minutes) or `npm run bench:short` (CI-sized): runs the benchmarks of issue 5
 * part 6 in one process, prints a table, and writes bench/results/<time>-<mode>.json and latest.json.
 * `--only webhook,e2e,burst,coldInit,cost` runs a subset; `--tiny` is the smoke-test size;
 * `--out <file>` writes the JSON report there instead of bench/results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { runBurst } from './burst';
import { runColdInit } from './coldInit';
import { runCost } from './cost';
import { runE2eLatency } from './e2eLatency';
import { type BenchResult, type Mode, machine, type Row } from './support';
import { runWebhookLoad } from './webhookLoad';

export const BENCHMARKS: Record<string, (mode: Mode) => Promise<BenchResult>> = {
  webhook: runWebhookLoad,
  e2e: runE2eLatency,
  burst: (mode) => runBurst(mode),
  coldInit: runColdInit,
  cost: runCost,
};

export type BenchReport = {
  mode: Mode;
  startedAt: string;
  durationSeconds: number;
  machine: ReturnType<typeof machine> & { loadAverageBefore: number[]; loadAverageAfter: number[] };
  results: BenchResult[];
};

/** Runs the named benchmarks one after another (never in parallel: they would measure each other). */
export async function runBenchmarks(
  mode: Mode,
  names = Object.keys(BENCHMARKS),
  log: (line: string) => void = () => undefined,
): Promise<BenchReport> {
  const started = Date.now();
  const loadAverageBefore = loadavg();
  const results: BenchResult[] = [];
  for (const name of names) {
    const bench = BENCHMARKS[name];
    if (!bench) throw new Error(`unknown benchmark ${name}; known: ${Object.keys(BENCHMARKS).join(', ')}`);
    log(`running ${name} (${mode})...`);
    const began = Date.now();
    results.push(await bench(mode));
    log(`  ${name} done in ${((Date.now() - began) / 1000).toFixed(1)} s`);
  }
  return {
    mode,
    startedAt: new Date(started).toISOString(),
    durationSeconds: (Date.now() - started) / 1000,
    machine: { ...machine(), loadAverageBefore, loadAverageAfter: loadavg() },
    results,
  };
}

/** The results as a Markdown table: metric, measured, target, met. */
export function formatTable(results: readonly BenchResult[]): string {
  const rows: Row[] = results.flatMap((result) => result.rows);
  const cells = rows.map((row) => [
    row.metric,
    row.value,
    row.target ?? '',
    row.met === undefined ? '' : row.met ? 'yes' : 'NO',
  ]);
  const header = ['Benchmark', 'Measured', 'Target', 'Met'];
  const widths = header.map((title, i) =>
    Math.max(title.length, ...cells.map((cell) => (cell[i] ?? '').length)),
  );
  const line = (cell: string[]) => `| ${cell.map((text, i) => text.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const mode: Mode = args.includes('--short') ? 'short' : args.includes('--tiny') ? 'tiny' : 'full';
  const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const names = option('--only')?.split(',').filter(Boolean);
  const report = await runBenchmarks(mode, names, (line) => console.error(line));
  const json = `${JSON.stringify(report, null, 2)}\n`;
  let file = option('--out');
  if (file === undefined) {
    const dir = join(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    file = join(dir, `${report.startedAt.replace(/[:.]/g, '-')}-${mode}.json`);
    writeFileSync(join(dir, 'latest.json'), json);
  }
  writeFileSync(file, json);
  const { cores, cpuModel, node, loadAverageBefore } = report.machine;
  console.log(`\n${formatTable(report.results)}\n`);
  console.log(
    `${mode} run, ${report.durationSeconds.toFixed(0)} s on ${cores} x ${cpuModel}, Node ${node}, ` +
      `load average before ${loadAverageBefore.map((n) => n.toFixed(2)).join(' ')}; results in ${file}`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
