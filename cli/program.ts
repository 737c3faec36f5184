import { Command, CommanderError, Option } from 'commander';
import { version } from '../package.json';
import { type Clients, createClients, destroyClients } from './awsClients';
import { describeError } from './errors';
import { DEFAULT_LIMIT, listExecutions, showExecution } from './executions';
import { DEFAULT_HIRES_URL, postHire } from './hire';
import { invokeFunction, LOCAL_STAGE } from './invoke';
import { type Output, terminalOutput } from './output';
import { parseLimit, parseSince } from './parse';
import { redrive } from './redrive';
import { DEFAULT_WEBHOOK_URL, showEventStatus } from './status';
import { stopExecution } from './stop';
import { exportUsers, ONBOARDED_PATH, showUser } from './users';

const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;
type Status = (typeof STATUSES)[number];

/** The options every command accepts. */
type Globals = { profile?: string; region?: string; stateMachine?: string; json?: boolean };
type Context = { clients: Clients; out: Output; stateMachine?: string };

/** Runs the CLI on `argv` (process.argv shape); resolves to the exit code. */
export async function run(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(env, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode; // commander printed the usage problem
    process.stderr.write(`${describeError(error)}\n`);
    return 1;
  }
  return exitCode;
}

function buildProgram(env: NodeJS.ProcessEnv, setExitCode: (code: number) => void): Command {
  const program = new Command('iam-onboarding')
    .description('Watch and repair onboardings: Step Functions executions, IAM users, test hires.')
    .version(version)
    .option('--profile <name>', 'AWS profile (default: the default credential chain)')
    .option('--region <region>', 'AWS region (default: AWS_REGION or the profile)')
    .option(
      '--state-machine <arn|name>',
      'the onboarding state machine (default: ONBOARDING_STATE_MACHINE_ARN, else the one named iam-onboarding-*)',
    )
    .option('--json', 'print JSON for scripts instead of tables')
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();

  /** Runs one command with clients and output built from the global options; errors become a message. */
  const execute = async (command: Command, body: (context: Context) => Promise<number>) => {
    const globals = command.optsWithGlobals<Globals>();
    const out = terminalOutput({ json: globals.json === true, env });
    const clients = createClients({ profile: globals.profile, region: globals.region });
    const stateMachine = globals.stateMachine ?? (env.ONBOARDING_STATE_MACHINE_ARN || undefined);
    try {
      setExitCode(await body({ clients, out, stateMachine }));
    } catch (error) {
      out.warn(describeError(error));
      setExitCode(1);
    } finally {
      destroyClients(clients);
    }
  };

  const executions = program.command('executions').description('list and inspect onboarding executions');
  executions
    .command('list')
    .description('newest executions first: employee, user, status, started, duration, failed step')
    .addOption(new Option('--status <status>', 'only executions with this status').choices(STATUSES))
    .option('--since <when>', 'only executions started since: 30m, 24h, 7d or an ISO date', (value) =>
      parseSince(value),
    )
    .option('--limit <n>', 'at most n executions', parseLimit, DEFAULT_LIMIT)
    .action((flags: { status?: Status; since?: Date; limit: number }, command: Command) =>
      execute(command, ({ clients, out, stateMachine }) =>
        listExecutions(clients, { stateMachine, ...flags }, out),
      ),
    );
  executions
    .command('show')
    .description('the steps of one execution: status, duration, retries, error and cause, console link')
    .argument('<execution>', 'execution name (of the state machine) or ARN')
    .action((execution: string, _flags: object, command: Command) =>
      execute(command, ({ clients, out, stateMachine }) =>
        showExecution(clients, { execution, stateMachine, consoleUrl: env.CONSOLE_URL || undefined }, out),
      ),
    );

  program
    .command('redrive')
    .description('resume failed executions at the step that failed (asks first unless --yes)')
    .argument('[execution]', 'execution name (of the state machine) or ARN')
    .option('--failed', 'every FAILED execution instead of one')
    .option(
      '--since <when>',
      'with --failed: started since 30m, 24h, 7d or an ISO date (default: 14d)',
      (value) => parseSince(value),
    )
    .option('-y, --yes', 'do not ask for confirmation (required without a terminal)')
    .action(
      (
        execution: string | undefined,
        flags: { failed?: boolean; since?: Date; yes?: boolean },
        command: Command,
      ) =>
        execute(command, ({ clients, out, stateMachine }) =>
          redrive(clients, { execution, stateMachine, ...flags }, out),
        ),
    );

  program
    .command('stop')
    .description('stop a RUNNING execution (it can be redriven later)')
    .argument('<execution>', 'execution name (of the state machine) or ARN')
    .option('--cause <text>', 'why, recorded in the execution history')
    .action((execution: string, flags: { cause?: string }, command: Command) =>
      execute(command, ({ clients, out, stateMachine }) =>
        stopExecution(clients, { execution, stateMachine, ...flags }, out),
      ),
    );

  program
    .command('hire')
    .description('sign an HR event file and POST its exact bytes to the webhook, as the HR system does')
    .argument('<event.json>', 'the employee.hired event to send')
    .option('--url <url>', 'the webhook (https, or http to loopback only)', DEFAULT_HIRES_URL)
    .option('--secret <secret>', 'signing secret (prefer ONBOARDING_WEBHOOK_SECRET: arguments show in ps)')
    .option(
      '--rehearsal',
      'send it as a new hire of a new person (fresh eventId and employee id, suffix -r<tag>): rehearsals after the demo',
    )
    .action((file: string, flags: { url: string; secret?: string; rehearsal?: boolean }, command: Command) =>
      execute(command, ({ out }) =>
        postHire(
          {
            file,
            url: flags.url,
            secret: flags.secret ?? env.ONBOARDING_WEBHOOK_SECRET,
            rehearsal: flags.rehearsal,
          },
          out,
        ),
      ),
    );

  program
    .command('status')
    .description("read an HR event's status back as the HR system does: signed GET /events/{eventId}")
    .argument('<eventId>', "the HR event's eventId")
    .option('--url <url>', 'the webhook base URL (https, or http to loopback only)', DEFAULT_WEBHOOK_URL)
    .option('--secret <secret>', 'signing secret (prefer ONBOARDING_WEBHOOK_SECRET: arguments show in ps)')
    .action((eventId: string, flags: { url: string; secret?: string }, command: Command) =>
      execute(command, ({ out }) =>
        showEventStatus(
          { eventId, url: flags.url, secret: flags.secret ?? env.ONBOARDING_WEBHOOK_SECRET },
          out,
        ),
      ),
    );

  program
    .command('invoke')
    .description(
      "run one function through Lambda's Invoke, under its own role: print its logs (stderr) and its result (stdout)",
    )
    .argument('<function>', 'the function, by its key in serverless.yml (createUser, notifyOps...)')
    .argument('<event.json>', "the event it gets, a JSON file ('-': read it from stdin)")
    .option(
      '--stage <stage>',
      'the stage the function is deployed in: it is named iam-onboarding-<stage>-<function>',
      LOCAL_STAGE,
    )
    .action((functionKey: string, event: string, flags: { stage: string }, command: Command) =>
      execute(command, ({ clients, out }) =>
        invokeFunction(clients.lambda, { functionKey, event, stage: flags.stage }, out),
      ),
    );

  const users = program.command('users').description('IAM users created by the onboarding');
  users
    .command('show')
    .description('one user: path, ARN, created, tags, groups, policies, boundary, console access')
    .argument('<name>', 'IAM user name')
    .action((userName: string, _flags: object, command: Command) =>
      execute(command, ({ clients, out }) => showUser(clients, { userName }, out)),
    );
  users
    .command('export')
    .description("users with a console password, as the IAM console's credentials CSV (never a password)")
    .option('--csv', 'CSV with the header User name,Console sign-in URL')
    .option('--path-prefix <prefix>', 'IAM path of the users', ONBOARDED_PATH)
    .action((flags: { csv?: boolean; pathPrefix: string }, command: Command) =>
      execute(command, ({ clients, out }) => exportUsers(clients, flags, out)),
    );

  return program;
}
