import { resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { IamMode } from './authz/authorizer';
import { startStack } from './stack';

const port = (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535)
    throw new InvalidArgumentError('not a port number');
  return parsed;
};

const program = new Command('npm start --')
  .description(
    'Runs the whole onboarding on this machine: AWS endpoint, SES, webhook and functions, on 127.0.0.1 only.',
  )
  .option('--data-dir <dir>', 'where state survives restarts', resolve(__dirname, '..', '.data'))
  .option('--reset', 'delete all local state before starting', false)
  .option('--aws-port <port>', 'AWS endpoint (IAM, STS, Secrets Manager, Step Functions, SES)', port, 4566)
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
  .option(
    '--webhook-secret <secret>',
    'local webhook signing secret',
    process.env.ONBOARDING_WEBHOOK_SECRET ?? 'local-webhook-secret',
  )
  .parse();

const IAM_MODES: Record<IamMode, string> = {
  enforce: "enforced: every call is evaluated against the caller's policies, as in AWS",
  soft: 'soft: denials are logged, not refused',
  off: 'off: no signature verification, no policy evaluation',
};

async function main(): Promise<void> {
  const options = program.opts<{
    dataDir: string;
    reset: boolean;
    awsPort: number;
    webhookPort: number;
    sesPort: number;
    consolePort: number;
    webhookSecret: string;
    iam: IamMode;
  }>();
  const started = Date.now();
  const stack = await startStack({ ...options, dataDir: options.dataDir });
  const env = Object.entries(stack.shellEnvironment)
    .map(
      ([name, value]) =>
        `  export ${name}=${/^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`}`,
    )
    .join('\n');
  console.log(`iam-onboarding local stack ready in ${Date.now() - started} ms (state in ${options.dataDir})

  Webhook          POST ${stack.urls.webhook}/hires  (signing secret: ${stack.webhookSecret})
  AWS endpoint     ${stack.urls.aws}  (IAM, STS, Secrets Manager, Step Functions, SES)
  Mailbox          ${stack.urls.ses}
  Ops console      ${stack.urls.console}
  State machine    ${stack.stateMachineArn}
  Fault injection  ${stack.urls.aws}/_local/faults
  IAM              ${IAM_MODES[options.iam]}
  Policy stream    ${stack.urls.aws}/_local/policy-stream

Point the aws CLI, any SDK and npx iam-onboarding at it, as the ops admin (AdministratorAccess):
${env}

Try it: npm run demo      Stop: Ctrl+C`);

  const shutdown = () => {
    stack.stop().finally(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
