import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateAccountAliasCommand, CreateUserCommand, DeleteAccountAliasCommand } from '@aws-sdk/client-iam';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { type Clients, createClients, destroyClients } from '../../cli/awsClients';
import { CliError, describeError } from '../../cli/errors';
import { type ExecutionRow, listExecutions, showExecution } from '../../cli/executions';
import { postHire } from '../../cli/hire';
import type { Output } from '../../cli/output';
import { type RedriveResult, redrive } from '../../cli/redrive';
import { stopExecution } from '../../cli/stop';
import { exportUsers, showUser, type UserReport } from '../../cli/users';
import { hireEvent, startTestStack, type TestStack } from '../e2e/support/testStack';
import { runCli } from './support/runCli';

const SIGN_IN_URL = 'https://000000000000.signin.aws.amazon.com/console';

/** An Output that collects what a command prints; `confirm` answers the redrive prompt (none: no terminal). */
function capture(options: { json?: boolean; confirm?: (question: string) => Promise<boolean> } = {}) {
  const printed: string[] = [];
  const warned: string[] = [];
  const out: Output = {
    print: (text) => printed.push(text),
    warn: (text) => warned.push(text),
    json: options.json ?? false,
    color: false,
    confirm: options.confirm,
  };
  return { out, text: () => printed.join('\n'), warnings: () => warned.join('\n') };
}

function parsed<T>(text: string): T {
  return JSON.parse(text) as T;
}

function nameOf(executionArn: string): string {
  return executionArn.slice(executionArn.lastIndexOf(':') + 1);
}

describe('iam-onboarding CLI, against the local stack', () => {
  let stack: TestStack;
  let clients: Clients;
  let succeeded: { executionArn: string; userName: string; event: ReturnType<typeof hireEvent> };

  /** Posts a hire and waits for the end of its execution. */
  async function onboard(event = hireEvent()) {
    const { status, json } = await stack.postHire(event);
    expect(status).toBe(202);
    const execution = await stack.settle(String(json.executionArn));
    return { executionArn: String(json.executionArn), execution, event };
  }

  /** A hire whose CreateUser fails with ServiceFailure until its retries run out: FAILED at CreateUser. */
  async function failedOnboarding() {
    stack.faults.addRule({ service: 'iam', action: 'CreateUser', code: 'ServiceFailure', count: 100 });
    try {
      const result = await onboard();
      expect(result.execution.status).toBe('FAILED');
      return result;
    } finally {
      stack.faults.clear();
    }
  }

  beforeAll(async () => {
    stack = await startTestStack({ functionEnvironment: { POWERTOOLS_LOG_LEVEL: 'SILENT' } });
    clients = createClients(); // the endpoint variables the stack set, as in a shell
    const { executionArn, execution, event } = await onboard();
    const output = parsed<{ user: { userName: string } }>(execution.output ?? '{}');
    succeeded = { executionArn, userName: output.user.userName, event };
  });

  afterAll(async () => {
    destroyClients(clients);
    await stack.close();
  });

  describe('executions list', () => {
    it('lists only the executions with --status, with employee, user name and duration', async () => {
      const failed = await failedOnboarding();
      const { out, text } = capture({ json: true });

      const code = await listExecutions(clients, { status: 'SUCCEEDED' }, out);

      expect(code).toBe(0);
      const rows = parsed<ExecutionRow[]>(text());
      expect(rows.every((row) => row.status === 'SUCCEEDED')).toBe(true);
      expect(rows.map((row) => row.executionArn)).not.toContain(failed.executionArn);
      const row = rows.find((candidate) => candidate.executionArn === succeeded.executionArn);
      expect(row).toMatchObject({
        name: nameOf(succeeded.executionArn),
        employee: {
          id: succeeded.event.employee.id,
          name: `Ada ${succeeded.event.employee.familyName}`,
        },
        userName: succeeded.userName,
        redriveCount: 0,
      });
      expect(row?.durationMs).toBeGreaterThan(0);
      expect(row?.failedStep).toBeUndefined();
    });

    it('names the failed step of a FAILED execution in its table', async () => {
      const failed = await failedOnboarding();
      const { out, text } = capture();

      await listExecutions(clients, { status: 'FAILED', limit: 1 }, out);

      const [header, row, ...more] = text().split('\n');
      expect(header).toMatch(/^EMPLOYEE\s+USER\s+STATUS\s+STARTED\s+DURATION\s+FAILED STEP\s+EXECUTION$/);
      expect(row).toContain(`(${failed.event.employee.id})`);
      expect(row).toMatch(/\sFAILED\s.*\sCreateUser\s/);
      expect(row).toContain(nameOf(failed.executionArn));
      expect(more).toHaveLength(0);
    });

    it('names the user an execution created before a later step failed, and that step', async () => {
      stack.faults.addRule({ service: 'iam', action: 'CreateGroup', code: 'ServiceFailure', count: 100 });
      const event = hireEvent({ employee: { givenName: 'Ida', familyName: 'Rhodes' } });
      const failed = await onboard(event).finally(() => stack.faults.clear());
      expect(failed.execution.status).toBe('FAILED');
      const { out, text } = capture({ json: true });

      await listExecutions(clients, { status: 'FAILED', limit: 1 }, out);

      expect(parsed<ExecutionRow[]>(text())).toEqual([
        expect.objectContaining({
          executionArn: failed.executionArn,
          employee: { id: event.employee.id, name: 'Ida Rhodes', department: 'Engineering' },
          userName: 'ida.rhodes',
          failedStep: 'EnsureGroups',
        }),
      ]);
    });

    it('stops at --since', async () => {
      const { out, text } = capture({ json: true });

      await listExecutions(clients, { since: new Date(Date.now() + 60_000) }, out);

      expect(parsed<ExecutionRow[]>(text())).toEqual([]);
    });

    it('explains an unknown --state-machine with the state machines there are', async () => {
      const listing = listExecutions(clients, { stateMachine: 'no-such-machine' }, capture().out);

      await expect(listing).rejects.toThrow(CliError);
      await expect(listing).rejects.toThrow(/No state machine named 'no-such-machine'.*iam-onboarding-local/);
    });
  });

  describe('executions show', () => {
    it('shows the steps of a succeeded execution in order, with a link to the Step Functions console', async () => {
      const { out, text } = capture({ json: true });

      const code = await showExecution(clients, { execution: nameOf(succeeded.executionArn) }, out);

      expect(code).toBe(0);
      const report = parsed<{
        status: string;
        userName: string;
        link: string;
        failedStep?: unknown;
        steps: { name: string; status: string; retries: number }[];
      }>(text());
      expect(report.status).toBe('SUCCEEDED');
      expect(report.userName).toBe(succeeded.userName);
      expect(report.failedStep).toBeUndefined();
      expect(report.steps.map((step) => step.name)).toEqual([
        'CreateUser',
        'EnsureGroups',
        'AttachPolicies',
        'Adopted',
        'GeneratePassword',
        'NotifyUser',
        'Onboarded',
      ]);
      expect(report.steps.every((step) => step.status === 'SUCCEEDED' && step.retries === 0)).toBe(true);
      expect(report.link).toBe(
        `https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1#/v2/executions/details/${succeeded.executionArn}`,
      );
    });

    it('shows the failed step of a failed execution with its retries, error, cause and a link to the local console', async () => {
      const failed = await failedOnboarding();
      const { out, text } = capture();

      await showExecution(
        clients,
        { execution: failed.executionArn, consoleUrl: 'http://127.0.0.1:4566/console' },
        out,
      );

      const shown = text();
      expect(shown).toMatch(/^Status: +FAILED$/m);
      expect(shown).toMatch(/^Redrivable: +yes$/m);
      expect(shown).toContain(
        `http://127.0.0.1:4566/console/executions/${encodeURIComponent(failed.executionArn)}`,
      );
      // CreateUser: the first attempt and its 6 retries (MaxAttempts 6 for IamServiceError) all failed.
      expect(shown).toMatch(/^1 +CreateUser +FAILED +\S+ \S+ +\S+ +6$/m);
      expect(shown).toMatch(/^Failed step: +CreateUser$/m);
      expect(shown).toMatch(/^Error: +IamServiceError$/m);
      expect(shown).toMatch(
        /^Cause: +IAM CreateUser failed: ServiceFailure: Injected fault: ServiceFailure$/m,
      );
    });

    it('rejects an unknown execution with ExecutionDoesNotExist, described in one line and a hint', async () => {
      const showing = showExecution(clients, { execution: 'no-such-execution' }, capture().out);

      await expect(showing).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
      const message = describeError(await showing.catch((error: unknown) => error));
      expect(message).toMatch(/^ExecutionDoesNotExist: .*no-such-execution/);
      expect(message).not.toMatch(/\n\s+at /);
    });
  });

  describe('redrive', () => {
    it('refuses without --yes when there is no terminal to ask on, and leaves the execution FAILED', async () => {
      const failed = await failedOnboarding();

      const redriving = redrive(clients, { execution: nameOf(failed.executionArn) }, capture().out);

      await expect(redriving).rejects.toThrow(/without confirmation.*Pass --yes/);
      const execution = await stack.sfn.send(
        new DescribeExecutionCommand({ executionArn: failed.executionArn }),
      );
      expect(execution.status).toBe('FAILED');
    });

    it('redrives nothing when the answer to the prompt is no', async () => {
      const failed = await failedOnboarding();
      const questions: string[] = [];
      const { out, warnings } = capture({
        confirm: async (question) => {
          questions.push(question);
          return false;
        },
      });

      const code = await redrive(clients, { execution: failed.executionArn }, out);

      expect(code).toBe(1);
      expect(questions).toEqual(['Redrive 1 execution?']);
      expect(warnings()).toMatch(/resumes at CreateUser/);
      const execution = await stack.sfn.send(
        new DescribeExecutionCommand({ executionArn: failed.executionArn }),
      );
      expect(execution.redriveCount).toBe(0);
    });

    it('redrives the injected failure from CreateUser to SUCCEEDED once the fault is gone', async () => {
      const failed = await failedOnboarding();
      const { out, text } = capture({ json: true, confirm: async () => true });

      const code = await redrive(clients, { execution: nameOf(failed.executionArn) }, out);

      expect(code).toBe(0);
      expect(parsed<RedriveResult[]>(text())).toEqual([
        expect.objectContaining({
          executionArn: failed.executionArn,
          result: 'REDRIVEN',
          resumesAt: 'CreateUser',
        }),
      ]);
      const execution = await stack.settle(failed.executionArn);
      expect(execution.status).toBe('SUCCEEDED');
      expect(execution.redriveCount).toBe(1);
    });

    it('explains why a SUCCEEDED execution cannot be redriven and exits non-zero', async () => {
      const { out, text } = capture();

      const code = await redrive(clients, { execution: succeeded.executionArn, yes: true }, out);

      expect(code).toBe(1);
      expect(text()).toMatch(/NOT_REDRIVABLE .*Execution is SUCCEEDED and cannot be redriven/);
    });

    it('with --failed, redrives every failed execution and skips the ones that failed permanently', async () => {
      const retriesRanOut = await failedOnboarding();
      stack.faults.addRule({ service: 'iam', action: 'CreateUser', code: 'InvalidInput', count: 1 });
      const permanent = await onboard();
      stack.faults.clear();
      const { out, text } = capture({ json: true });

      const code = await redrive(
        clients,
        { failed: true, since: new Date(Date.now() - 60_000), yes: true },
        out,
      );

      expect(code).toBe(0);
      const results = parsed<RedriveResult[]>(text());
      const resultOf = (executionArn: string) =>
        results.find((result) => result.executionArn === executionArn);
      expect(resultOf(retriesRanOut.executionArn)).toMatchObject({ result: 'REDRIVEN' });
      expect(resultOf(permanent.executionArn)).toMatchObject({
        result: 'SKIPPED',
        resumesAt: 'OnboardingFailed',
        reason: expect.stringContaining('IamRequestRejectedError at CreateUser'),
      });
      expect((await stack.settle(retriesRanOut.executionArn)).status).toBe('SUCCEEDED');
    });
  });

  describe('stop', () => {
    it('changes nothing and exits non-zero for an execution that already ended', async () => {
      const { out, warnings } = capture();

      const code = await stopExecution(clients, { execution: nameOf(succeeded.executionArn) }, out);

      expect(code).toBe(1);
      expect(warnings()).toMatch(/is already SUCCEEDED: nothing to stop/);
    });
  });

  describe('hire', () => {
    const eventFile = (event: object) => {
      const file = join(mkdtempSync(join(tmpdir(), 'iam-onboarding-cli-')), 'event.json');
      writeFileSync(file, `${JSON.stringify(event, null, 4)}\n`); // not compact: the signature covers these bytes
      return file;
    };

    it('signs and posts the event file: 202 with the execution ARN', async () => {
      const { out, text } = capture({ json: true });

      const code = await postHire(
        { file: eventFile(hireEvent()), url: `${stack.urls.webhook}/hires`, secret: stack.webhookSecret },
        out,
      );

      expect(code).toBe(0);
      const answer = parsed<{ status: number; body: { status: string; executionArn: string } }>(text());
      expect(answer.status).toBe(202);
      expect(answer.body.status).toBe('started');
      expect(answer.body.executionArn).toMatch(/^arn:aws:states:.*:execution:iam-onboarding-local:/);
      await stack.settle(answer.body.executionArn);
    });

    it('prints the 401 and exits non-zero with a wrong secret', async () => {
      const { out, text } = capture();

      const code = await postHire(
        { file: eventFile(hireEvent()), url: `${stack.urls.webhook}/hires`, secret: 'wrong-secret' },
        out,
      );

      expect(code).toBe(1);
      expect(text()).toMatch(/^HTTP 401 Unauthorized\n/);
    });

    it('refuses to post without a secret', async () => {
      const posting = postHire(
        { file: eventFile(hireEvent()), url: `${stack.urls.webhook}/hires` },
        capture().out,
      );

      await expect(posting).rejects.toThrow(/ONBOARDING_WEBHOOK_SECRET/);
    });
  });

  describe('users show', () => {
    it("shows the onboarded user's path, ARN, boundary, groups, policies, tags and pending password reset", async () => {
      const { out, text } = capture({ json: true });

      const code = await showUser(clients, { userName: succeeded.userName }, out);

      expect(code).toBe(0);
      const user = parsed<UserReport>(text());
      expect(user).toMatchObject({
        userName: succeeded.userName,
        path: '/onboarded/',
        arn: `arn:aws:iam::000000000000:user/onboarded/${succeeded.userName}`,
        permissionsBoundary: 'arn:aws:iam::000000000000:policy/iam-onboarding-boundary',
        groups: [
          expect.objectContaining({
            name: 'Developers',
            policies: ['AmazonEC2FullAccess', 'AmazonS3ReadOnlyAccess'],
          }),
        ],
        attachedPolicies: [
          {
            name: 'iam-onboarding-self-service',
            arn: 'arn:aws:iam::000000000000:policy/iam-onboarding-self-service',
          },
        ],
        loginProfile: { exists: true, passwordResetRequired: true },
      });
      expect(user.tags).toEqual(
        expect.arrayContaining([
          { key: 'employeeId', value: succeeded.event.employee.id },
          { key: 'eventId', value: succeeded.event.eventId },
        ]),
      );
    });

    it('says so in one line when the user does not exist', async () => {
      const showing = showUser(clients, { userName: 'no.such.user' }, capture().out);

      const message = describeError(await showing.catch((error: unknown) => error));
      expect(message).toMatch(/^NoSuchEntity: The user with name no.such.user cannot be found.\n/);
    });
  });

  describe('users export', () => {
    it('exports the console sign-in details as CSV, without any password column or value', async () => {
      const [passwordEmail] = await stack.emailsTo(succeeded.event.employee.managerEmail);
      const password = /Temporary password:\s*(\S+)/.exec(passwordEmail?.body.text ?? '')?.[1];
      expect(password).toBeDefined();
      const { out, text } = capture();

      const code = await exportUsers(clients, { csv: true }, out);

      expect(code).toBe(0);
      const [header, ...rows] = text().split('\n');
      expect(header).toBe('User name,Console sign-in URL');
      expect(rows).toContain(`${succeeded.userName},${SIGN_IN_URL}`);
      expect(text()).not.toMatch(/password/i);
      expect(text()).not.toContain(String(password));
    });

    it('leaves out users without a console password', async () => {
      await stack.iam.send(new CreateUserCommand({ UserName: 'no.console', Path: '/onboarded/' }));
      const { out, text } = capture({ json: true });

      await exportUsers(clients, {}, out);

      const userNames = parsed<{ userName: string }[]>(text()).map((row) => row.userName);
      expect(userNames).toContain(succeeded.userName);
      expect(userNames).not.toContain('no.console');
    });

    it("uses the account's alias in the sign-in URL when it has one", async () => {
      await stack.iam.send(new CreateAccountAliasCommand({ AccountAlias: 'acme-corp' }));
      const { out, text } = capture({ json: true });
      try {
        await exportUsers(clients, {}, out);
      } finally {
        await stack.iam.send(new DeleteAccountAliasCommand({ AccountAlias: 'acme-corp' }));
      }

      const rows = parsed<{ consoleSignInUrl: string }[]>(text());
      expect(rows.length).toBeGreaterThan(0);
      expect(
        rows.every((row) => row.consoleSignInUrl === 'https://acme-corp.signin.aws.amazon.com/console'),
      ).toBe(true);
    });
  });

  describe('the iam-onboarding command', () => {
    it('prints parseable JSON with --json and exits 0', async () => {
      const run = await runCli(
        ['executions', 'list', '--status', 'SUCCEEDED', '--limit', '1', '--json'],
        stack.environment,
      );

      expect(run.status).toBe(0);
      const rows = parsed<ExecutionRow[]>(run.stdout);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.status).toBe('SUCCEEDED');
    });

    it('refuses to redrive without --yes when stdin is not a terminal: exit 1, one message, no stack trace', async () => {
      const failed = await failedOnboarding();

      const run = await runCli(['redrive', nameOf(failed.executionArn)], stack.environment);

      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('Refusing to redrive 1 execution without confirmation');
      expect(run.stderr).not.toMatch(/\n\s+at /);
    });
  });
});
