import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

type Retrier = { ErrorEquals: string[]; MaxAttempts?: number };
type State = { Type: string; Retry?: Retrier[] };

const root = resolve(__dirname, '../..');
const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
const { States } = parse(readFileSync(resolve(root, 'statemachines/onboarding.asl.yml'), 'utf8')) as {
  States: Record<string, State>;
};
const diagram = /```mermaid\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
/** The README's "Errors and retries" table: the Retry column of the row naming `error`. */
const retryColumn = (error: string) =>
  readme
    .split('\n')
    .find((line) => line.startsWith('| ') && line.split('|')[1]?.includes(`\`${error}\``))
    ?.split('|')[4]
    ?.trim();

describe('the README against the state machine', () => {
  it('draws every state of the definition in its diagram', () => {
    expect(Object.keys(States).length).toBeGreaterThanOrEqual(9);
    expect(Object.keys(States).filter((name) => !new RegExp(`\\b${name}\\b`).test(diagram))).toEqual([]);
  });

  it("gives each retried error the Retry rule's MaxAttempts as retries (the console's count)", () => {
    const rules = Object.values(States).flatMap((state) => state.Retry ?? []);
    expect(rules.length).toBeGreaterThan(0);
    const documented = new Map(
      rules.flatMap((rule) => rule.ErrorEquals.map((error) => [error, retryColumn(error)] as const)),
    );
    // Some names share a row (the platform errors are one row): check every name that has one.
    const rows = [...documented].filter(([, column]) => column !== undefined);
    expect(rows.map(([error]) => error)).toEqual(
      expect.arrayContaining(['IamThrottledError', 'IamServiceError', 'Sandbox.Timedout']),
    );
    for (const rule of rules)
      for (const error of rule.ErrorEquals) {
        const column = documented.get(error);
        if (column !== undefined)
          expect([error, column]).toEqual([
            error,
            expect.stringMatching(new RegExp(`^${rule.MaxAttempts} retries`)),
          ]);
      }
  });
});
