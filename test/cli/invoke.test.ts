import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { GetUserCommand } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { CliError } from '../../cli/errors';
import { decodeLogResult, type InvokeOptions, invokeFunction } from '../../cli/invoke';
import type { Output } from '../../cli/output';
import { hireEvent, startTestStack, type TestStack } from '../e2e/support/testStack';
import { runCli } from './support/runCli';

const SAMPLE_EVENT = 'test/fixtures/events/engineering-hire.json';
/** The functions of serverless.yml, in its order. */
const FUNCTIONS =
  'webhook, eventStatus, createUser, ensureGroups, attachPolicies, generatePassword, notifyUser, notifyOps, findUser, removeOldAccess, recordEvent, disableUser, deleteUser, sweepTemporaryPasswords, revokeAbandonedPassword';

const START = /^ {19}createUser {7}START RequestId: [0-9a-f-]{36} Version: \$LATEST$/;
const END = /^ {19}createUser {7}END RequestId: [0-9a-f-]{36}$/;
const REPORT = /^ {19}createUser {7}REPORT RequestId: [0-9a-f-]{36}\tDuration: [\d.]+ ms\t/;

function capture(options: { json?: boolean } = {}) {
  const printed: string[] = [];
  const warned: string[] = [];
  const out: Output = {
    print: (text) => printed.push(text),
    warn: (text) => warned.push(text),
    json: options.json ?? false,
    color: false,
  };
  return { out, printed, warned };
}

function eventFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'iam-onboarding-invoke-')), 'event.json');
  writeFileSync(file, text);
  return file;
}

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as { port: number };
  await new Promise((closed) => server.close(closed));
  return port;
}

/** The lines of `text`, without the SDK's NodeVersionSupportWarning that Node 20 gets on stderr. */
const linesOf = (text: string) => text.split('\n').filter((line) => line !== '');

describe('iam-onboarding invoke, against the local stack', () => {
  let stack: TestStack;
  let lambda: LambdaClient;

  beforeAll(async () => {
    // The functions at serverless.yml's level (INFO); their lines reach the CLI through LogResult only.
    stack = await startTestStack({
      functionEnvironment: { POWERTOOLS_LOG_LEVEL: 'INFO' },
      log: () => undefined,
    });
    lambda = new LambdaClient({ ...stack.clientConfig, maxAttempts: 1 });
  });

  afterAll(async () => {
    lambda.destroy();
    await stack.close();
  });

  const invoke = (options: Partial<InvokeOptions> & { event: string }, out: Output) =>
    invokeFunction(lambda, { functionKey: 'createUser', stage: 'local', ...options }, out);

  describe('when the function succeeds', () => {
    it('runs it under its own role, prints its result as JSON on stdout and its log, pretty, on stderr', async () => {
      stack.resetPolicyStream();

      const { status, stdout, stderr } = await runCli(
        ['invoke', 'createUser', SAMPLE_EVENT],
        stack.shellEnvironment,
      );

      expect(status).toBe(0);
      expect(JSON.parse(stdout)).toEqual({
        userName: 'ada.lovelace',
        userArn: 'arn:aws:iam::000000000000:user/onboarded/ada.lovelace',
        adopted: false,
        rehired: false,
      });
      const log = linesOf(stderr).filter((line) => line.includes('createUser'));
      expect(log).toEqual([
        expect.stringMatching(START),
        expect.stringMatching(
          /^\d\d:\d\d:\d\d\.\d{3} INFO {2}createUser {7}User created {2}userName=ada\.lovelace$/,
        ),
        expect.stringMatching(END),
        expect.stringMatching(REPORT),
      ]);
      // The ops admin only invoked it; IAM's CreateUser came from the function's role session.
      const stream = await stack.policyStream();
      const admin = stream.find((entry) => entry.principal.endsWith(':user/local-admin'));
      const role = stream.find((entry) => /:role\/.*CreateUser/.test(entry.principal));
      expect(admin?.used).toEqual(['lambda:InvokeFunction']);
      expect(role?.used).toContain('iam:CreateUser');
      const { User } = await stack.iam.send(new GetUserCommand({ UserName: 'ada.lovelace' }));
      expect(User?.Tags).toContainEqual({ Key: 'employeeId', Value: 'E1001' });
    }, 60_000);

    it("reads the event from stdin with '-'", async () => {
      const event = hireEvent();

      const { status, stdout } = await runCli(
        ['invoke', 'createUser', '-'],
        stack.shellEnvironment,
        JSON.stringify(event),
      );

      expect(status).toBe(0);
      const result = JSON.parse(stdout) as { userName: string; adopted: boolean };
      expect(result.adopted).toBe(false);
      const { User } = await stack.iam.send(new GetUserCommand({ UserName: result.userName }));
      expect(User?.Tags).toContainEqual({ Key: 'employeeId', Value: event.employee.id });
    }, 60_000);

    it('prints the log lines as the function wrote them with --json', async () => {
      const { out, printed, warned } = capture({ json: true });

      const code = await invoke({ event: eventFile(JSON.stringify(hireEvent())) }, out);

      expect(code).toBe(0);
      expect(JSON.parse(printed.join('\n'))).toMatchObject({ adopted: false });
      const records = warned.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
      expect(records).toEqual([
        expect.objectContaining({
          level: 'INFO',
          message: 'User created',
          function_name: 'iam-onboarding-local-createUser',
        }),
      ]);
    });
  });

  describe('when the function fails', () => {
    it('exits 1 with its errorType and errorMessage, after its log', async () => {
      const event = hireEvent({ employee: { department: 'Nowhere' } });

      const { status, stdout, stderr } = await runCli(
        ['invoke', 'createUser', '-'],
        stack.shellEnvironment,
        JSON.stringify(event),
      );

      expect(status).toBe(1);
      expect(stdout).toBe('');
      const lines = linesOf(stderr);
      expect(lines).toContainEqual(
        expect.stringMatching(
          /^\d\d:\d\d:\d\d\.\d{3} ERROR createUser {7}Task failed {2}error="UnknownDepartmentError: No access profile for department \\"Nowhere\\""$/,
        ),
      );
      expect(lines.at(-1)).toBe(
        'createUser failed (Unhandled): UnknownDepartmentError: No access profile for department "Nowhere"',
      );
    }, 60_000);
  });

  describe('refuses, with a message saying why', () => {
    it('a function serverless.yml does not have, listing those it has', async () => {
      const { out } = capture();

      await expect(invoke({ functionKey: 'CreateUser', event: SAMPLE_EVENT }, out)).rejects.toThrow(
        new CliError(`No function 'CreateUser' in serverless.yml. Its functions: ${FUNCTIONS}.`),
      );
    });

    it('a missing event file', async () => {
      const { out } = capture();

      await expect(invoke({ event: 'no/such/event.json' }, out)).rejects.toThrow(
        new CliError('No such file: no/such/event.json'),
      );
    });

    it.each([
      ['a file', (text: string) => ({ event: eventFile(text) })],
      ['stdin', (text: string) => ({ event: '-', stdin: Readable.from([Buffer.from(text)]) })],
    ])('an event in %s that is not JSON', async (_where, source) => {
      const { out } = capture();
      const options = source('{"eventId": ');

      await expect(invoke(options, out)).rejects.toThrow(
        new RegExp(
          `^The event in ${options.event === '-' ? 'stdin' : options.event} is not JSON: Unexpected end of JSON input$`,
        ),
      );
    });

    it('a stage whose function the endpoint does not have', async () => {
      const { status, stdout, stderr } = await runCli(
        ['invoke', 'createUser', SAMPLE_EVENT, '--stage', 'prod'],
        stack.shellEnvironment,
      );

      expect(status).toBe(1);
      expect(stdout).toBe('');
      expect(linesOf(stderr).at(-1)).toBe(
        'No function iam-onboarding-prod-createUser at the endpoint: is --stage prod the stage deployed there?',
      );
    }, 60_000);

    it('an endpoint where no stack runs', async () => {
      const endpoint = `http://127.0.0.1:${await closedPort()}`;

      const { status, stdout, stderr } = await runCli(['invoke', 'createUser', SAMPLE_EVENT], {
        ...stack.shellEnvironment,
        AWS_ENDPOINT_URL: endpoint,
        AWS_ENDPOINT_URL_LAMBDA: endpoint, // the test stack exported it to this process's environment
      });

      expect(status).toBe(1);
      expect(stdout).toBe('');
      expect(linesOf(stderr).slice(-2)).toEqual([
        `connect ECONNREFUSED ${endpoint.slice('http://'.length)}`,
        'Nothing answers at the endpoint: is the local stack running (npm start)?',
      ]);
    }, 60_000);
  });
});

describe('decodeLogResult', () => {
  const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

  it('splits the log into its lines', () => {
    expect(
      decodeLogResult(base64('START RequestId: 1 Version: $LATEST\n{"level":"INFO"}\nEND RequestId: 1\n')),
    ).toEqual(['START RequestId: 1 Version: $LATEST', '{"level":"INFO"}', 'END RequestId: 1']);
  });

  it('says that the beginning was cut when the 4 KB tail does not start at START', () => {
    expect(decodeLogResult(base64('vel":"INFO","message":"m"}\nEND RequestId: 1\n'))).toEqual([
      '… (Lambda returns the last 4 KB of the log: its beginning is cut)',
      'END RequestId: 1',
    ]);
  });

  it('has no lines without a LogResult', () => {
    expect(decodeLogResult(undefined)).toEqual([]);
  });
});
