import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { CommanderError } from 'commander';
import { HIRES_PATH, sendHrEvent } from '../../cli/hrEventSender';
import { ADMIN_CREDENTIALS, LOCAL_REGION } from '../../local/stack';
import { type StartOptions, stackOptionsOf, startCommand } from '../../local/start';

const ROOT = resolve(__dirname, '../..');
const HIRE = readFileSync(join(ROOT, 'test/fixtures/events/engineering-hire.json'), 'utf8');
/** serverless.yml's functions, as the error message lists them. */
const FUNCTIONS =
  'webhook, eventStatus, createUser, ensureGroups, attachPolicies, generatePassword, notifyUser, notifyOps, findUser, removeOldAccess, recordEvent, disableUser, deleteUser, sweepTemporaryPasswords, revokeAbandonedPassword';

/** Parses `npm start -- <args>`; a usage error becomes the CommanderError with commander's message. */
function parse(args: string[]): StartOptions {
  const command = startCommand({})
    .exitOverride()
    .configureOutput({ writeErr: () => undefined });
  return command.parse(args, { from: 'user' }).opts<StartOptions>();
}

function usageError(args: string[]): string {
  try {
    parse(args);
  } catch (error) {
    if (error instanceof CommanderError) return error.message;
    throw error;
  }
  throw new Error('expected a usage error');
}

describe('npm start options', () => {
  it('formats the logs pretty, of every function, at the level of serverless.yml, by default', () => {
    const options = parse([]);

    expect(options).toMatchObject({ logFormat: 'pretty' });
    expect(options.logLevel).toBeUndefined();
    expect(options.logFunctions).toBeUndefined();
    expect(stackOptionsOf(options).functionEnvironment).toBeUndefined();
  });

  it('takes --log-functions as a comma-separated list of function keys', () => {
    expect(parse(['--log-functions', 'createUser, notifyOps']).logFunctions).toEqual([
      'createUser',
      'notifyOps',
    ]);
  });

  it('names an unknown function of --log-functions and lists the known ones', () => {
    expect(usageError(['--log-functions', 'createUser,iam-onboarding-local-notifyOps'])).toBe(
      "error: option '--log-functions <names>' argument 'createUser,iam-onboarding-local-notifyOps' is invalid. " +
        `unknown function iam-onboarding-local-notifyOps; the functions of serverless.yml are ${FUNCTIONS}.`,
    );
  });

  it.each([
    ['--log-level', 'verbose', 'debug, info, warn, error'],
    ['--log-format', 'text', 'pretty, json'],
  ])('refuses %s %s and names the choices', (flag, value, choices) => {
    expect(usageError([flag, value])).toContain(
      `argument '${value}' is invalid. Allowed choices are ${choices}.`,
    );
  });

  it.each([
    ['debug', 'DEBUG'],
    ['warn', 'WARN'],
  ])("sets the functions' POWERTOOLS_LOG_LEVEL with --log-level %s", (level, variable) => {
    expect(stackOptionsOf(parse(['--log-level', level])).functionEnvironment).toEqual({
      POWERTOOLS_LOG_LEVEL: variable,
    });
  });
});

type Started = { child: ChildProcess; stdout(): string; webhook: string; aws: string };

/** `npm start -- <args>` (tsx local/start.ts) on free ports, resolved once its banner is out. */
function startProcess(args: string[], dataDir: string): Promise<Started> {
  const child = spawn(
    'npx',
    [
      'tsx',
      'local/start.ts',
      ...['--aws-port', '0', '--webhook-port', '0', '--ses-port', '0', '--console-port', '0'],
      ...['--data-dir', dataDir, ...args],
    ],
    { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((started, failed) => {
    child.on('exit', (code) => failed(new Error(`npm start exited with ${code}: ${stderr}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const webhook = /POST (http:\/\/127\.0\.0\.1:\d+)\/hires/.exec(stdout)?.[1];
      const aws = /AWS endpoint {5}(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      if (webhook && aws && stdout.includes('Stop: Ctrl+C'))
        started({ child, stdout: () => stdout, webhook, aws });
    });
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return Promise.resolve();
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  process.kill(-child.pid, 'SIGTERM'); // its process group: npx, tsx and node
  return exited;
}

/** Posts the sample hire to the started stack and waits for the end of its execution. */
async function onboard(started: Started): Promise<void> {
  const answer = await sendHrEvent({
    url: started.webhook,
    path: HIRES_PATH,
    body: HIRE,
    secret: 'local-webhook-secret',
    headers: {},
  });
  expect(answer.status).toBe(202);
  const { executionArn } = answer.json as { executionArn: string };
  const sfn = new SFNClient({ endpoint: started.aws, region: LOCAL_REGION, credentials: ADMIN_CREDENTIALS });
  try {
    for (;;) {
      const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      if (execution.status !== 'RUNNING') {
        expect(execution.status).toBe('SUCCEEDED');
        return;
      }
      await new Promise((wait) => setTimeout(wait, 50));
    }
  } finally {
    sfn.destroy();
  }
}

/** The lines after the banner: what the functions wrote. */
const logLines = (stdout: string) => stdout.slice(stdout.indexOf('Stop: Ctrl+C')).split('\n').slice(1);

describe('npm start, logs of a hire', () => {
  let dataDir: string;
  let started: Started | undefined;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'iam-onboarding-start-'));
  });

  afterEach(async () => {
    if (started) await stopProcess(started.child);
    started = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints one short pretty line per record by default', async () => {
    started = await startProcess([], dataDir);

    await onboard(started);

    const lines = logLines(started.stdout());
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^\d\d:\d\d:\d\d\.\d{3} INFO {2}webhook {10}Event accepted {2}execution=evt-2025-0001-[0-9a-f]+ eventId=evt-2025-0001 type=employee.hired status=started$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^\d\d:\d\d:\d\d\.\d{3} INFO {2}createUser {7}User created {2}execution=evt-2025-0001-[0-9a-f]+ userName=ada\.lovelace$/,
      ),
    );
    expect(lines.filter((line) => line.startsWith('{'))).toEqual([]);
  }, 60_000);

  it('prints only the chosen functions, as the JSON they write, with --log-format json --log-functions', async () => {
    started = await startProcess(['--log-format', 'json', '--log-functions', 'createUser'], dataDir);

    await onboard(started);

    const records = logLines(started.stdout())
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'User created',
        function_name: 'iam-onboarding-local-createUser',
        cold_start: expect.any(Boolean),
        userName: 'ada.lovelace',
      }),
    ]);
  }, 60_000);
});
