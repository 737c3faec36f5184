import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build, type Plugin } from 'esbuild';
import { esbuildOptions } from '../local/lambdaBundles';
import { loadServiceConfig } from '../local/serverlessConfig';
import { type BenchResult, fixed, type Mode, median } from './support';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..');
const TARGET_RATIO = 1.2;
const SIZES: Record<Mode, { repetitions: number; functions?: number }> = {
  full: { repetitions: 21 },
  short: { repetitions: 5 },
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
 * Timed in a fresh process: what Lambda's Node runtime does at INIT for a CommonJS handler (require
 * the bundle: compile + run its module scope; Node's own start-up is outside the timer), then two
 * invocations. AWS is unreachable (a closed loopback port), so each invocation runs until its first
 * AWS call fails: the first one pays whatever was deferred to first use (the SDK's lazy set-up, and
 * anything a module compiles on first use), the second is warm. The SDK-only bundle's "invocation"
 * is the same first AWS call on the client the handler calls first.
 */
const LOADER = `const now = () => Number(process.hrtime.bigint()) / 1e6;
const [file, event] = process.argv.slice(1);
const t0 = now();
const mod = require(file);
const init = now() - t0;
const context = { functionName: 'iam-onboarding-bench', functionVersion: '$LATEST', memoryLimitInMB: '256',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:iam-onboarding-bench',
  awsRequestId: 'bench', logGroupName: 'bench', logStreamName: 'bench', callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 10000 };
const invoke = () => (mod.handler ? mod.handler(JSON.parse(event), context) : mod.firstCall());
(async () => {
  const times = [];
  let thrown;
  for (let i = 0; i < 2; i += 1) {
    const t = now();
    try { await invoke(); } catch (error) { thrown = error; }
    times.push(now() - t);
  }
  // Nothing formatted a stack trace so far (errors are not logged): the first one maps the bundle's frames.
  const t = now();
  const stack = thrown instanceof Error && String(thrown.stack).length > 0 ? now() - t : null;
  process.stdout.write('\\nBENCH ' + JSON.stringify({ init, first: times[0], second: times[1], stack }) + '\\n');
})();`;

/** The environment Lambda gives a function (what the modules may read), as deployed; AWS unreachable. */
const LAMBDA_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  AWS_LAMBDA_FUNCTION_NAME: 'iam-onboarding-bench',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
  // Errors unlogged: the first logged stack trace would parse the bundle's source map (measured apart).
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  ACCOUNT_ID: '000000000000',
  SECRET_PREFIX: 'iam-onboarding/bench/temporary-password/',
  TEMPORARY_PASSWORD_MAX_AGE_HOURS: '24',
  SENDER_EMAIL: 'onboarding@example.com',
  OPS_EMAIL: 'ops@example.com',
  STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:iam-onboarding-bench',
  WEBHOOK_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:iam-onboarding/bench/webhook',
  PATH: process.env.PATH ?? '',
};

const EMPLOYEE = {
  id: 'E1',
  givenName: 'Ada',
  familyName: 'Lovelace',
  workEmail: 'ada@example.com',
  department: 'Engineering',
  managerEmail: 'boss@example.com',
};
const EXECUTION = 'arn:aws:states:us-east-1:000000000000:execution:iam-onboarding-bench:e1';
const BODY = JSON.stringify({
  eventId: 'e1',
  type: 'employee.hired',
  occurredAt: '2026-11-28T09:00:00Z',
  employee: EMPLOYEE,
});

const IAM = '@aws-sdk/client-iam';
const SECRETS = '@aws-sdk/client-secrets-manager';
const SES = '@aws-sdk/client-sesv2';
const SFN = '@aws-sdk/client-sfn';

/**
 * A valid event per function, the client + command its first AWS call uses, and the clients its
 * code calls (read from the handler and the shared modules it uses, not from its bundle): the true
 * floor of its INIT is a bundle that constructs exactly these.
 */
const INVOCATIONS: Record<
  string,
  { event: object; firstCall: [pkg: string, command: string, input: object]; calls: string[] }
> = {
  webhook: {
    event: {
      version: '2.0',
      routeKey: 'POST /hires',
      rawPath: '/hires',
      rawQueryString: '',
      headers: { 'content-type': 'application/json', 'onboarding-signature': 't=1,v1=00' },
      requestContext: { http: { method: 'POST', path: '/hires' }, requestId: 'bench', timeEpoch: 0 },
      body: BODY,
      isBase64Encoded: false,
    },
    firstCall: ['@aws-sdk/client-secrets-manager', 'GetSecretValueCommand', { SecretId: 'webhook' }],
    calls: [SECRETS, SFN],
  },
  createUser: {
    event: { eventId: 'e1', employee: EMPLOYEE, executionArn: EXECUTION },
    firstCall: ['@aws-sdk/client-iam', 'CreateUserCommand', { UserName: 'ada.lovelace' }],
    calls: [IAM],
  },
  ensureGroups: {
    event: { userName: 'ada.lovelace', employee: EMPLOYEE, executionArn: EXECUTION },
    firstCall: ['@aws-sdk/client-iam', 'CreateGroupCommand', { GroupName: 'Developers' }],
    calls: [IAM],
  },
  attachPolicies: {
    event: { userName: 'ada.lovelace', employee: EMPLOYEE, executionArn: EXECUTION },
    firstCall: [
      '@aws-sdk/client-iam',
      'AttachUserPolicyCommand',
      { UserName: 'ada.lovelace', PolicyArn: 'a' },
    ],
    calls: [IAM],
  },
  generatePassword: {
    event: { userName: 'ada.lovelace', eventId: 'e1', employee: EMPLOYEE, executionArn: EXECUTION },
    firstCall: ['@aws-sdk/client-iam', 'GetAccountPasswordPolicyCommand', {}],
    calls: [IAM, SECRETS],
  },
  notifyUser: {
    event: {
      userName: 'ada.lovelace',
      eventId: 'e1',
      employee: EMPLOYEE,
      secretArn: 's',
      executionArn: EXECUTION,
    },
    firstCall: ['@aws-sdk/client-iam', 'ListUserTagsCommand', { UserName: 'ada.lovelace' }],
    calls: [IAM, SECRETS, SES],
  },
  notifyOps: {
    event: {
      eventId: 'e1',
      employee: EMPLOYEE,
      failure: { CreateUser: { Error: 'UserNameConflictError', Cause: 'taken' } },
      executionArn: EXECUTION,
    },
    firstCall: [
      '@aws-sdk/client-sesv2',
      'SendEmailCommand',
      { FromEmailAddress: 'a@example.com', Destination: { ToAddresses: ['b@example.com'] }, Content: {} },
    ],
    calls: [SES],
  },
  sweepTemporaryPasswords: {
    event: {
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      time: '2026-01-01T00:00:00Z',
      detail: {},
    },
    firstCall: ['@aws-sdk/client-secrets-manager', 'ListSecretsCommand', {}],
    calls: [IAM, SECRETS],
  },
  revokeAbandonedPassword: {
    event: {
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      detail: {
        executionArn: EXECUTION,
        status: 'ABORTED',
        input: JSON.stringify({ eventId: 'e1', employee: EMPLOYEE }),
      },
    },
    firstCall: ['@aws-sdk/client-secrets-manager', 'ListSecretsCommand', {}],
    calls: [IAM, SECRETS, SES],
  },
};

export type InitTiming = {
  function: string;
  /** Medians, ms: INIT of the handler bundle, of the same bundle with Ajv stubbed, of the SDK-only bundle. */
  handlerMs: number;
  noAjvMs: number;
  sdkOnlyMs: number;
  ratio: number;
  noAjvRatio: number;
  /** The first invocation (up to its first AWS call) and a warm one; the SDK-only bundle's first call. */
  handlerFirstMs: number;
  handlerWarmMs: number;
  sdkOnlyFirstMs: number;
  /** (INIT + first invocation) of the handler over the same of the SDK-only bundle. */
  initPlusFirstRatio: number;
  /** The first stack trace formatted in the handler process (source maps are enabled). */
  firstStackTraceMs: number;
  handlerBytes: number;
  sdkOnlyBytes: number;
  /** The clients the handler calls (the floor constructs these) and those its bundle holds beyond them. */
  clients: string[];
  surplusClients: string[];
};

/**
 * Cold init of each bundled handler next to a bundle that only constructs the same SDK clients.
 * Each functions/<name>.ts is bundled as serverless-esbuild does with this serverless.yml (its
 * custom.esbuild options: bundle, platform node, target node22, format cjs, source maps, nothing
 * external, and its esbuild plugins, which precompile the JSON Schemas listed in
 * config/esbuildPlugins.js) and loaded with
 * `--enable-source-maps` (NODE_OPTIONS in serverless.yml). The SDK-only bundle imports the client
 * packages the handler calls (INVOCATIONS' `calls`) and constructs each client once, with the options of
 * functions/shared/*Client.ts. A third bundle is the handler with `ajv` and `ajv-formats` replaced
 * by no-op stubs: what INIT would be if no JSON Schema were compiled at import. The three load in
 * turn, `repetitions` times each, in fresh processes; medians are reported.
 */
export async function runColdInit(mode: Mode): Promise<BenchResult> {
  const { repetitions, functions: limit } = SIZES[mode];
  const config = loadServiceConfig(ROOT, { stage: 'bench', region: 'us-east-1' });
  const dir = mkdtempSync(join(tmpdir(), 'iam-onboarding-init-'));
  try {
    const timings: InitTiming[] = [];
    for (const fn of config.functions.slice(0, limit)) {
      const name = fn.key;
      const invocation = INVOCATIONS[name];
      if (!invocation) throw new Error(`bench/coldInit.ts has no sample invocation for ${name}`);
      const source = resolve(ROOT, `${fn.handler.slice(0, fn.handler.lastIndexOf('.'))}.ts`);
      const handler = await bundle(source, join(dir, `${name}.js`));
      const noAjv = await bundle(source, join(dir, `${name}.no-ajv.js`), [AJV_STUB]);
      const clients = invocation.calls;
      const bundled = Object.keys(CLIENTS).filter((pkg) =>
        handler.inputs.some((input) => input.includes(`/${pkg}/`)),
      );
      const sdkOnly = await bundle(
        { contents: sdkOnlySource(clients, invocation.firstCall) },
        join(dir, `${name}.sdk-only.js`),
      );
      const runs = { handler: [] as LoadTiming[], noAjv: [] as LoadTiming[], sdkOnly: [] as LoadTiming[] };
      for (let i = 0; i < repetitions; i += 1) {
        runs.handler.push(await loadTime(handler.file, invocation.event));
        runs.noAjv.push(await loadTime(noAjv.file, invocation.event));
        runs.sdkOnly.push(await loadTime(sdkOnly.file, {}));
      }
      const m = (list: LoadTiming[], pick: (run: LoadTiming) => number) => median(list.map(pick));
      const handlerMs = m(runs.handler, (run) => run.init);
      const noAjvMs = m(runs.noAjv, (run) => run.init);
      const sdkOnlyMs = m(runs.sdkOnly, (run) => run.init);
      timings.push({
        function: name,
        handlerMs,
        noAjvMs,
        sdkOnlyMs,
        ratio: handlerMs / sdkOnlyMs,
        noAjvRatio: noAjvMs / sdkOnlyMs,
        handlerFirstMs: m(runs.handler, (run) => run.first),
        handlerWarmMs: m(runs.handler, (run) => run.second),
        sdkOnlyFirstMs: m(runs.sdkOnly, (run) => run.first),
        initPlusFirstRatio:
          m(runs.handler, (run) => run.init + run.first) / m(runs.sdkOnly, (run) => run.init + run.first),
        firstStackTraceMs: m(runs.handler, (run) => run.stack ?? Number.NaN),
        handlerBytes: handler.bytes,
        sdkOnlyBytes: sdkOnly.bytes,
        clients: clients.map((pkg) => CLIENTS[pkg] ?? pkg),
        surplusClients: bundled.filter((pkg) => !clients.includes(pkg)).map((pkg) => CLIENTS[pkg] ?? pkg),
      });
    }
    const stackTraces = timings.map((t) => t.firstStackTraceMs).filter(Number.isFinite);
    return {
      name: 'coldInit',
      rows: [
        ...timings.map((t) => ({
          metric: `Init ${t.function}: handler / SDK-only bundle`,
          value:
            `${fixed(t.handlerMs)} / ${fixed(t.sdkOnlyMs)} ms = ${fixed(t.ratio, 2)}x ` +
            `(Ajv stubbed ${fixed(t.noAjvRatio, 2)}x; with 1st invocation ${fixed(t.initPlusFirstRatio, 2)}x; ` +
            `${kib(t.handlerBytes)} / ${kib(t.sdkOnlyBytes)} KiB; ` +
            `${t.surplusClients.length > 0 ? `surplus clients ${t.surplusClients.join(', ')}` : 'no surplus client'})`,
          target: `<= ${TARGET_RATIO}x`,
          met: t.ratio <= TARGET_RATIO,
        })),
        // Only handlers that threw have a stack to format (the webhook answers every failure).
        ...(stackTraces.length > 0
          ? [
              {
                metric: 'First stack trace formatted in a handler (source maps on)',
                value: `${fixed(median(stackTraces))} ms`,
              },
            ]
          : []),
      ],
      data: { repetitions, worstRatio: Math.max(...timings.map((t) => t.ratio)), timings },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const kib = (bytes: number) => Math.round(bytes / 1024).toLocaleString('en-US');

/** Replaces ajv and ajv-formats with stubs whose validators accept anything, compiling nothing. */
const AJV_STUB: Plugin = {
  name: 'ajv-stub',
  setup(build) {
    build.onResolve({ filter: /^ajv(-formats)?$/ }, (args) => ({ path: args.path, namespace: 'ajv-stub' }));
    build.onLoad({ filter: /.*/, namespace: 'ajv-stub' }, (args) => ({
      loader: 'js',
      contents:
        args.path === 'ajv'
          ? `class Ajv { compile() { const validate = () => true; validate.errors = null; return validate; }
               addFormat() { return this; } addKeyword() { return this; } addSchema() { return this; } }
             module.exports = Ajv; module.exports.default = Ajv;`
          : 'module.exports = (ajv) => ajv; module.exports.default = module.exports;',
    }));
  },
};

/** Bundles `entry` (a file, or source code resolved from the project root) as serverless-esbuild does. */
async function bundle(
  entry: string | { contents: string },
  outfile: string,
  extraPlugins: Plugin[] = [],
): Promise<{ file: string; bytes: number; inputs: string[] }> {
  // As the deploy and the local stack bundle the functions: custom.esbuild, its plugins loaded.
  const options = esbuildOptions(loadServiceConfig(ROOT).esbuild ?? {}, ROOT);
  const result = await build({
    format: 'cjs',
    ...options,
    plugins: [...extraPlugins, ...(options.plugins ?? [])],
    ...(typeof entry === 'string'
      ? { entryPoints: [entry] }
      : { stdin: { contents: entry.contents, resolveDir: ROOT, loader: 'ts', sourcefile: 'sdkOnly.ts' } }),
    outfile,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: ROOT,
  });
  const output = Object.entries(result.metafile.outputs).find(([path]) => path.endsWith('.js'))?.[1];
  return { file: outfile, bytes: output?.bytes ?? 0, inputs: Object.keys(result.metafile.inputs) };
}

/** Constructs the handler's clients (options of functions/shared/*Client.ts); `firstCall` makes its first AWS call. */
function sdkOnlySource(packages: string[], [firstPkg, command, input]: [string, string, object]): string {
  const imports = packages.map(
    (pkg) => `import { ${CLIENTS[pkg]}${pkg === firstPkg ? `, ${command}` : ''} } from '${pkg}';`,
  );
  const clients = packages.map(
    (pkg) => `new ${CLIENTS[pkg]}({ maxAttempts: ${pkg === '@aws-sdk/client-sfn' ? 3 : 1} })`,
  );
  const first = packages.indexOf(firstPkg);
  return `${imports.join('\n')}
export const clients = [${clients.join(', ')}];
export const firstCall = () => clients[${first}].send(new ${command}(${JSON.stringify(input)}));
`;
}

type LoadTiming = { init: number; first: number; second: number; stack: number | null };

async function loadTime(file: string, event: object): Promise<LoadTiming> {
  const { stdout } = await run(
    process.execPath,
    ['--enable-source-maps', '-e', LOADER, file, JSON.stringify(event)],
    { env: LAMBDA_ENV, cwd: tmpdir() },
  );
  const line = stdout.split('\n').find((text) => text.startsWith('BENCH '));
  if (!line) throw new Error(`no timing from ${file}: ${stdout.slice(-500)}`);
  return JSON.parse(line.slice('BENCH '.length)) as LoadTiming;
}
