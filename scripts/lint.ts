import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm run lint`: Biome on the files git tracks (committed or `git add`ed), never on untracked
 * scratch files, which .gitignore cannot list (Biome's `vcs.useIgnoreFile` honours only that).
 * Outside a git checkout (an unpacked tarball) it checks the whole folder. Extra arguments go to
 * Biome: `npm run lint -- --write`.
 */
export function lintedFiles(cwd: string): string[] | undefined {
  let listed: string;
  try {
    listed = execFileSync('git', ['ls-files', '-z'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return undefined;
  }
  // A tracked file deleted in the work tree is still listed until the deletion is staged.
  return listed.split('\0').filter((file) => file !== '' && existsSync(join(cwd, file)));
}

if (require.main === module) {
  const cwd = process.cwd();
  const files = lintedFiles(cwd) ?? ['.'];
  const biome = require.resolve('@biomejs/biome/bin/biome');
  // Files biome.json excludes (JSON, package-lock.json) are skipped, not errors.
  const args = ['check', '--no-errors-on-unmatched', ...process.argv.slice(2), ...files];
  const result = spawnSync(process.execPath, [biome, ...args], { cwd, stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
