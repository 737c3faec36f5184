import { resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { createLogSink, LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from '../cli/logLines';
import type { IamMode } from './authz/authorizer';
import { loadServiceConfig } from './serverlessConfig';
import { type StackOptions, startStack } from './stack';

const ROOT = resolve(__dirname, '..');

const port = (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535)
    throw new InvalidArgumentError('not a port number');
  return parsed;
};

/** `--log-functions createUser,notifyOps`: keys of serverless.yml's functions. */
const functionKeys = (value: string) => {
  const known = loadServiceConfig(ROOT).functions.map((fn) => fn.key);
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = names.filter((name) => !known.includes(name));
  if (names.length === 0 || unknown.length > 0) {
    const which = unknown.length > 0 ? `unknown function ${unknown.join(', ')}` : 'no function named';
    throw new InvalidArgumentError(`${which}; the functions of serverless.yml are ${known.join(', ')}.`);
  }
  return names;
};

/** The options of `npm start --`, as commander parses them. */
export type StartOptions = {
  dataDir: string;
  reset: boolean;
  awsPort: number;
  webhookPort: number;
  sesPort: number;
  consolePort: number;
  webhookSecret: string;
  iam: IamMode;
  logFormat: LogFormat;
  logLevel?: LogLevel;
  logFunctions?: string[];
};

/** `npm start --`'s command line. */
export function startCommand(env: NodeJS.ProcessEnv = process.env): Command {
  return new Command('npm start --')
    .description(
      'Runs the whole onboarding on this machine: AWS endpoint, SES, webhook and functions, on 127.0.0.1 only.',
    )
    .option('--data-dir <dir>', 'where state survives restarts', resolve(ROOT, '.data'))
    .option('--reset', 'delete all local state before starting', false)
    .option(
      '--aws-port <port>',
      'AWS endpoint (IAM, STS, Secrets Manager, Step Functions, DynamoDB, Lambda, SES)',
      port,
      4566,
    )
    .option('--webhook-port <port>', 'webhook HTTP API', port, 3000)
    .option('--ses-port <port>', 'SES emulator and its mailbox UI', port, 8005)
    .option('--console-port <port>', 'ops console (web)', port, 8080)
    .addOption(
      new Option(
        '--iam <mode>',
        'enforce: refuse what the IAM policies do not allow; soft: log denials and allow; off: no signature or policy checks',
      )
        .choices(['enforce', 'soft', 'off'])
        .default('enforce'),
    )
    .addOption(
      new Option(
        '--log-format <format>',
        "the functions' logs: pretty, one short line per record; json, the lines as they write them (as in CloudWatch)",
      )
        .choices(LOG_FORMATS)
        .default('pretty'),
    )
    .addOption(
      new Option(
        '--log-level <level>',
        "only log lines at this level or above (a line that is not JSON counts as info); sets the functions' POWERTOOLS_LOG_LEVEL (default: serverless.yml's, INFO)",
      ).choices(LOG_LEVELS),
    )
    .option(
      '--log-functions <names>',
      'only the logs of these functions, comma-separated (createUser,notifyOps)',
      functionKeys,
    )
    .option(
      '--webhook-secret <secret>',
      'local webhook signing secret',
      env.ONBOARDING_WEBHOOK_SECRET ?? 'local-webhook-secret',
    );
}

/**
 * The stack `options` ask for: the functions' lines through the log sink they choose and, with a
 * level, the functions' own POWERTOOLS_LOG_LEVEL set to it.
 */
export function stackOptionsOf(
  options: StartOptions,
  terminal: { isTTY: boolean; env: NodeJS.ProcessEnv } = { isTTY: false, env: {} },
): StackOptions {
  const { logFormat, logLevel, logFunctions, ...stackOptions } = options;
  return {
    ...stackOptions,
    log: createLogSink({
      format: logFormat,
      level: logLevel,
      functions: logFunctions,
      color: terminal.isTTY && (terminal.env.NO_COLOR ?? '') === '',
    }),
    // Filtering alone could never show a DEBUG line (the functions log at INFO) and would have
    // them build lines only to drop them: the Logger reads POWERTOOLS_LOG_LEVEL, the variable
    // serverless.yml sets (LOG_LEVEL is only its fallback, so setting it would change nothing).
    ...(logLevel !== undefined && { functionEnvironment: { POWERTOOLS_LOG_LEVEL: logLevel.toUpperCase() } }),
  };
}

const IAM_MODES: Record<IamMode, string> = {
  enforce: "enforced: every call is evaluated against the caller's policies, as in AWS",
  soft: 'soft: denials are logged, not refused',
  off: 'off: no signature verification, no policy evaluation',
};

async function main(): Promise<void> {
  const options = startCommand().parse().opts<StartOptions>();
  const started = Date.now();
  const stack = await startStack(stackOptionsOf(options, { isTTY: process.stdout.isTTY, env: process.env }));
  const env = Object.entries(stack.shellEnvironment)
    .map(
      ([name, value]) =>
        `  export ${name}=${/^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`}`,
    )
    .join('\n');
  const logs = `${options.logFormat}, ${options.logFunctions?.join(', ') ?? 'every function'}, ${options.logLevel ?? "serverless.yml's level (info)"}`;
  console.log(`iam-onboarding local stack ready in ${Date.now() - started} ms (state in ${options.dataDir})

  Webhook          POST ${stack.urls.webhook}/hires  (signing secret: ${stack.webhookSecret})
  HR status        GET  ${stack.urls.webhook}/events/{eventId}  (npx iam-onboarding status <eventId>)
  AWS endpoint     ${stack.urls.aws}  (IAM, STS, Secrets Manager, Step Functions, DynamoDB, Lambda, SES)
  Mailbox          ${stack.urls.ses}
  Ops console      ${stack.urls.console}
  State machine    ${stack.stateMachineArn}
  Fault injection  ${stack.urls.aws}/_local/faults
  IAM              ${IAM_MODES[options.iam]}
  Policy stream    ${stack.urls.aws}/_local/policy-stream
  Function logs    ${logs}  (--log-format, --log-functions, --log-level)

Point the aws CLI, any SDK and npx iam-onboarding at it, as the ops admin (AdministratorAccess):
${env}

Try it: npm run demo      Stop: Ctrl+C`);

  const shutdown = () => {
    stack.stop().finally(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
