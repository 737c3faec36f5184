import { expectOnboarded } from './support/expectOnboarded';
import {
  attempts,
  executionHistory,
  invocationsByState,
  redriveAndSettle,
  sinceLastRedrive,
  statesEntered,
  usersOfEmployee,
} from './support/inspect';
import { hireEvent, startTestStack, type TestStack } from './support/testStack';

const OPS_EMAIL = 'ops@example.com'; // serverless.yml params.default.opsEmail

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ functionEnvironment: { POWERTOOLS_LOG_LEVEL: 'SILENT' } });
});

afterEach(() => {
  stack.faults.clear();
});

afterAll(async () => {
  await stack.close();
});

/** Posts a hire and returns its execution ARN once the webhook has accepted it. */
async function start(event: object): Promise<string> {
  const { status, json } = await stack.postHire(event);
  expect(status).toBe(202);
  return String(json.executionArn);
}

describe('onboarding under failures, end to end', () => {
  describe('when IAM throttles CreateUser twice', () => {
    it('retries the step to SUCCEEDED and the history shows both failed attempts before the success', async () => {
      const event = hireEvent();
      stack.faults.addRule({ service: 'iam', action: 'CreateUser', code: 'Throttling', count: 2 });

      const arn = await start(event);
      const execution = await stack.settle(arn);

      expect(execution.status).toBe('SUCCEEDED');
      const createUser = attempts(await executionHistory(stack.sfn, arn)).filter(
        (a) => a.state === 'CreateUser',
      );
      expect(createUser).toEqual([
        { state: 'CreateUser', outcome: 'failed', error: 'IamThrottledError' },
        { state: 'CreateUser', outcome: 'failed', error: 'IamThrottledError' },
        { state: 'CreateUser', outcome: 'succeeded' },
      ]);
      await expectOnboarded(stack, event);
    });
  });

  describe('when AttachUserPolicy keeps failing until the retries run out', () => {
    it('fails at AttachPolicies, then a redrive resumes there and succeeds without re-running earlier steps', async () => {
      const event = hireEvent();
      stack.faults.addRule({
        service: 'iam',
        action: 'AttachUserPolicy',
        code: 'ServiceFailure',
        count: 100,
      });

      const arn = await start(event);
      const failed = await stack.settle(arn);

      expect(failed).toMatchObject({
        status: 'FAILED',
        error: 'IamServiceError',
        redriveStatus: 'REDRIVABLE',
      });
      const before = await executionHistory(stack.sfn, arn);
      expect(statesEntered(before)).toEqual(['CreateUser', 'EnsureGroups', 'AttachPolicies']);
      // The first attempt and MaxAttempts (6) retries, all failed.
      expect(invocationsByState(before)).toEqual({ CreateUser: 1, EnsureGroups: 1, AttachPolicies: 7 });

      stack.faults.clear();
      const redriven = await redriveAndSettle(stack, arn);

      expect(redriven).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
      const after = await executionHistory(stack.sfn, arn);
      expect(after.slice(0, before.length)).toEqual(before);
      expect(invocationsByState(sinceLastRedrive(after))).toEqual({
        AttachPolicies: 1,
        GeneratePassword: 1,
        NotifyUser: 1,
      });
      expect(statesEntered(after)).not.toContain('NotifyOps');
      await expectOnboarded(stack, event);
    });
  });

  describe('when SES rejects the welcome email', () => {
    it('alerts ops with the employee, the failed step, the error and a link, and fails with MailRejectedError', async () => {
      const event = hireEvent();
      stack.faults.addRule({ service: 'ses', action: 'SendEmail', code: 'MessageRejected', count: 1 });

      const arn = await start(event);
      const execution = await stack.settle(arn);

      expect(execution.status).toBe('FAILED');
      expect(execution.error).toBe('MailRejectedError');
      expect(execution.cause).toContain('MessageRejected');
      const history = await executionHistory(stack.sfn, arn);
      expect(statesEntered(history).slice(-3)).toEqual(['NotifyUser', 'NotifyOps', 'OnboardingFailed']);
      // A permanent error is caught at once, never retried.
      expect(invocationsByState(history).NotifyUser).toBe(1);

      const alerts = (await stack.emailsTo(OPS_EMAIL)).filter((email) =>
        email.subject.includes(event.employee.id),
      );
      expect(alerts).toHaveLength(1);
      const text = alerts[0]?.body.text ?? '';
      expect(alerts[0]?.subject).toContain('failed at NotifyUser');
      expect(text).toContain(
        `${event.employee.givenName} ${event.employee.familyName} (${event.employee.id})`,
      );
      expect(text).toMatch(/Step:\s+NotifyUser/);
      expect(text).toMatch(/Error:\s+MailRejectedError/);
      expect(text).toContain(event.eventId);
      const link = /Execution:\s*(\S+)/.exec(text)?.[1] ?? '';
      // NotifyOps links to this stack's ops console (its CONSOLE_URL).
      expect(link.slice(0, stack.urls.console.length + 1)).toBe(`${stack.urls.console}/`);
      expect(decodeURIComponent(link)).toContain(arn);

      expect(await stack.emailsTo(event.employee.workEmail)).toHaveLength(0);
      expect(await stack.emailsTo(event.employee.managerEmail)).toHaveLength(0);
      expect(await usersOfEmployee(stack.iam, event.employee.id)).toHaveLength(1);
    });
  });
});
