import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { BENCHMARKS, type BenchReport, formatTable } from '../../bench/run';

type LoadResult = { requests: number; statusCodes: Record<string, number> };

// Runs `npm run bench` in its tiny mode (a few requests, hires and loads), in its own process as
// npm would, to check that every benchmark runs and reports a well-formed result. No timing is
// asserted: the numbers come from `npm run bench` on a quiet machine, never from a test.
describe('npm run bench', () => {
  describe('in tiny mode', () => {
    const root = resolve(__dirname, '../..');
    const dir = mkdtempSync(join(tmpdir(), 'iam-onboarding-bench-test-'));
    let report: BenchReport;
    const data = (name: string) => report.results.find((result) => result.name === name)?.data;

    beforeAll(async () => {
      const out = join(dir, 'report.json');
      await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'bench/run.ts', '--tiny', '--out', out],
        {
          cwd: root,
          timeout: 240_000,
          maxBuffer: 16 * 1024 * 1024,
        },
      );
      report = JSON.parse(readFileSync(out, 'utf8')) as BenchReport;
    }, 300_000);

    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('runs every benchmark once, in order, and names the machine', () => {
      expect(report.mode).toBe('tiny');
      expect(report.results.map((result) => result.name)).toEqual(Object.keys(BENCHMARKS));
      expect(report.machine).toMatchObject({ cores: expect.any(Number), node: process.version });
    });

    it('reports rows with a metric and a measured value, and a verdict wherever there is a target', () => {
      for (const result of report.results) {
        expect(result.rows.length).toBeGreaterThan(0);
        for (const row of result.rows) {
          expect(row.value).toMatch(/\d/);
          expect(row.met === undefined).toBe(row.target === undefined);
        }
      }
    });

    it('loads the webhook, its bare and SDK-only references with answers that are all 202', () => {
      const loads = data('webhook') as Record<string, LoadResult>;
      for (const load of [
        loads.bare,
        loads.sdkOnly,
        loads.webhook,
        loads.webhookOneConnection,
        loads.unique,
      ]) {
        expect(load?.requests).toBeGreaterThan(0);
        expect(load?.statusCodes).toEqual({ '202': load?.requests });
      }
    });

    it('onboards every hire end to end with both emails', () => {
      expect(data('e2e')).toMatchObject({ hires: 5, missingEmails: 0, medianMs: expect.any(Number) });
    });

    it('drains the throttled burst with every hire accounted for and the IAM requests counted', () => {
      const burst = data('burst') as Record<string, unknown> & { iam: { passed: number; throttled: number } };
      expect(burst).toMatchObject({ hires: 20, executions: 20, notAccepted: 0, duplicateExecutions: 0 });
      expect(burst.iam.passed).toBeGreaterThanOrEqual(20 * Number(burst.iamCallsPerHire));
      expect(burst.floorSeconds).toBe(burst.iam.passed / Number(burst.iamRate));
    });

    it('times the init of one bundled handler, of its SDK-only bundle and of it without Ajv', () => {
      const { timings } = data('coldInit') as { timings: object[] };
      expect(timings).toEqual([
        expect.objectContaining({
          handlerMs: expect.any(Number),
          noAjvMs: expect.any(Number),
          sdkOnlyMs: expect.any(Number),
        }),
      ]);
    });

    it('prices 1,000 onboardings from counted quantities and states the prices', () => {
      expect(data('cost')).toMatchObject({
        region: 'us-east-1',
        pricesAsOf: expect.any(String),
        perHire: { transitions: 7, invocations: 6, emails: 2, secretsCreated: 1 },
        totalUsd: expect.any(Number),
      });
    });

    it('prints one table line per row, under a header', () => {
      const rows = report.results.flatMap((result) => result.rows);
      const table = formatTable(report.results).split('\n');
      expect(table).toHaveLength(rows.length + 2);
      expect(table[0]).toMatch(/^\| Benchmark +\| Measured +\| Target +\| Met +\|$/);
    });
  });
});
