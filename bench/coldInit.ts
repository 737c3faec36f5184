import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { loadServiceConfig } from '../local/serverlessConfig';
import { type BenchResult, fixed, type Mode, median } from './support';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..');
const TARGET_RATIO = 1.2;
const SIZES: Record<Mode, { repetitions: number; functions?: number }> = {
  full: { repetitions: 31 },
  short: { repetitions: 7 },
  tiny: { repetitions: 2, functions: 1 },
};

/** The SDK v3 client classes a handler may construct, by package. */
const CLIENTS: Record<string, string> = {
  '@aws-sdk/client-iam': 'IAMClient',
  '@aws-sdk/client-secrets-manager': 'SecretsManagerClient',
  '@aws-sdk/client-sesv2': 'SESv2Client',
  '@aws-sdk/client-sfn': 'SFNClient',
  '@aws-sdk/client-sts': 'STSClient',
};

/**
 * What Lambda's Node runtime does at INIT for a CommonJS handler, timed in a fresh process: require
 * the bundle (compile + run its module scope). Node's own start-up is outside the timer.
 */
const LOADER = `const t = process.hrtime.bigint(); require(process.argv[1]);
process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));`;

/** The environment Lambda gives a function (what the modules may read at import), as deployed. */
const LAMBDA_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_LAMBDA_FUNCTION_NAME: 'iam-onboarding-bench',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  PATH: process.env.PATH ?? '',
};

export type InitTiming = {
  function: string;
  handlerMs: number;
  sdkOnlyMs: number;
  ratio: number;
  handlerBytes: number;
  sdkOnlyBytes: number;
  clients: string[];
  /** The first invocation's extra cost over a warm one, when measured (see firstInvocation). */
};

/**
 * Cold init of each bundled handler next to a bundle that only constructs the same SDK clients.
 * Each functions/<name>.ts is bundled as serverless-esbuild does with this serverless.yml (bundle,
 * platform node, target node22, format cjs, source maps, nothing external) and loaded with
 * `--enable-source-maps` (NODE_OPTIONS in serverless.yml); the SDK-only bundle imports the client
 * packages the handler's bundle contains and constructs each client once, with the options of
 * functions/shared/clients.ts. Loads alternate handler / SDK-only, `repetitions` times each, in fresh
 * processes; medians are reported.
 */
export async function runColdInit(mode: Mode): Promise<BenchResult> {
  const { repetitions, functions: limit } = SIZES[mode];
  const config = loadServiceConfig(ROOT, { stage: 'bench', region: 'us-east-1' });
  const names = config.functions.map((fn) => fn.key).slice(0, limit);
  const dir = mkdtempSync(join(tmpdir(), 'iam-onboarding-init-'));
  try {
    const timings: InitTiming[] = [];
    for (const name of names) {
      const fn = config.functions.find((f) => f.key === name);
      const source = resolve(ROOT, `${fn?.handler.slice(0, fn.handler.lastIndexOf('.'))}.ts`);
      const handler = await bundle(source, join(dir, `${name}.js`));
      const clients = Object.keys(CLIENTS).filter((pkg) => handler.inputs.some((input) => input.includes(`/${pkg}/`)));
      const sdkOnly = await bundle({ contents: sdkOnlySource(clients) }, join(dir, `${name}.sdk.js`));
      const handlerMs: number[] = [];
      const sdkOnlyMs: number[] = [];
      for (let i = 0; i < repetitions; i += 1) {
        handlerMs.push(await loadTime(handler.file));
        sdkOnlyMs.push(await loadTime(sdkOnly.file));
      }
      timings.push({
        function: name,
        handlerMs: median(handlerMs),
        sdkOnlyMs: median(sdkOnlyMs),
        ratio: median(handlerMs) / median(sdkOnlyMs),
        handlerBytes: handler.bytes,
        sdkOnlyBytes: sdkOnly.bytes,
        clients: clients.map((pkg) => CLIENTS[pkg] ?? pkg),
      });
    }
    const worst = timings.reduce((a, b) => (b.ratio > a.ratio ? b : a));
    return {
      name: 'coldInit',
      rows: timings.map((t) => ({
        metric: `Init ${t.function} (handler / SDK-only, ms)`,
        value: `${fixed(t.handlerMs)} / ${fixed(t.sdkOnlyMs)} = ${fixed(t.ratio, 2)}x`,
        target: `<= ${TARGET_RATIO}x`,
        met: t.ratio <= TARGET_RATIO,
      })),
      data: { repetitions, worstRatio: worst.ratio, timings },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Bundles `entry` (a file, or source code resolved from the project root) as serverless-esbuild does. */
async function bundle(
  entry: string | { contents: string },
  outfile: string,
): Promise<{ file: string; bytes: number; inputs: string[] }> {
  const result = await build({
    ...(typeof entry === 'string'
      ? { entryPoints: [entry] }
      : { stdin: { contents: entry.contents, resolveDir: ROOT, loader: 'ts', sourcefile: 'sdkOnly.ts' } }),
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    sourcemap: true,
    minify: false,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: ROOT,
  });
  const output = Object.entries(result.metafile.outputs).find(([path]) => path.endsWith('.js'))?.[1];
  return { file: outfile, bytes: output?.bytes ?? 0, inputs: Object.keys(result.metafile.inputs) };
}

function sdkOnlySource(packages: string[]): string {
  const imports = packages.map((pkg) => `import { ${CLIENTS[pkg]} } from '${pkg}';`);
  // The options of functions/shared/clients.ts.
  const clients = packages.map(
    (pkg) => `new ${CLIENTS[pkg]}({ maxAttempts: ${pkg === '@aws-sdk/client-sfn' ? 3 : 1} })`,
  );
  return `${imports.join('\n')}\nexport const clients = [${clients.join(', ')}];\n`;
}

async function loadTime(file: string): Promise<number> {
  const { stdout } = await run(process.execPath, ['--enable-source-maps', '-e', LOADER, file], {
    env: LAMBDA_ENV,
    cwd: tmpdir(),
  });
  return Number(stdout);
}
