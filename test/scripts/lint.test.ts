import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { lintedFiles } from '../../scripts/lint';

const ROOT = resolve(__dirname, '../..');
const BAD = 'export const value: any = 1;\n'; // noExplicitAny
const GOOD = "export const value = 'ok';\n";

/** A git checkout with this project's biome.json: committed, staged, untracked and deleted files. */
function checkout(files: {
  committed: Record<string, string>;
  staged?: Record<string, string>;
  untracked?: Record<string, string>;
}) {
  const dir = mkdtempSync(join(tmpdir(), 'iam-onboarding-lint-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  copyFileSync(join(ROOT, 'biome.json'), join(dir, 'biome.json'));
  for (const [name, text] of Object.entries(files.committed)) writeFileSync(join(dir, name), text);
  git('add', '.');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'init');
  for (const [name, text] of Object.entries(files.staged ?? {})) {
    writeFileSync(join(dir, name), text);
    git('add', name);
  }
  for (const [name, text] of Object.entries(files.untracked ?? {})) writeFileSync(join(dir, name), text);
  return dir;
}

const lint = (cwd: string) =>
  spawnSync(process.execPath, [require.resolve('tsx/cli'), join(ROOT, 'scripts/lint.ts')], {
    cwd,
    encoding: 'utf8',
  });

describe('npm run lint', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the committed and staged files, not untracked or deleted ones', () => {
    dir = checkout({
      committed: { 'a.ts': GOOD, 'gone.ts': GOOD },
      staged: { 'b.ts': GOOD },
      untracked: { 'scratch.ts': BAD },
    });
    rmSync(join(dir, 'gone.ts'));

    expect(lintedFiles(dir)?.sort()).toEqual(['a.ts', 'b.ts', 'biome.json']);
  });

  it('passes with a broken untracked scratch file', () => {
    dir = checkout({ committed: { 'a.ts': GOOD }, untracked: { 'scratch.ts': BAD } });

    expect(lint(dir).status).toBe(0);
  });

  it('fails on a broken staged file, naming it', () => {
    dir = checkout({ committed: { 'a.ts': GOOD }, staged: { 'new.ts': BAD } });

    const result = lint(dir);

    expect(result.status).toBe(1);
    expect(result.stderr + result.stdout).toContain('new.ts');
    expect(result.stderr + result.stdout).toContain('noExplicitAny');
  });

  it('checks the whole folder outside a git checkout', () => {
    dir = mkdtempSync(join(tmpdir(), 'iam-onboarding-lint-'));
    copyFileSync(join(ROOT, 'biome.json'), join(dir, 'biome.json'));
    writeFileSync(join(dir, 'loose.ts'), BAD);

    expect(lintedFiles(dir)).toBeUndefined();
    expect(lint(dir).status).toBe(1);
  });
});
