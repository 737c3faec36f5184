import { CreateLoginProfileCommand, CreateUserCommand } from '@aws-sdk/client-iam';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import {
  endWhileNotifying,
  failAtNotifyUser,
  loginProfileOf,
  MAX_AGE_HOURS,
  OPS_EMAIL,
  SECRET_PREFIX,
  secretOf,
  userNameOf,
} from './support/abandonedRuns';
import { redriveAndSettle } from './support/inspect';
import { hireEvent, startTestStack, type TestStack } from './support/testStack';

/**
 * The temporary-password lifecycle on the local stack, every function under its enforced role:
 * the scheduled sweep, and the revocation when a run is stopped or times out.
 */

const HOUR_MS = 3_600_000;
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ functionEnvironment: { POWERTOOLS_LOG_LEVEL: 'SILENT' } });
});
afterEach(() => stack.faults.clear());
afterAll(() => stack.close());

describe('the temporary-password sweep', () => {
  const stale = hireEvent();
  const fresh = hireEvent();
  const contractor = `contractor-${Date.now().toString(36)}`;
  let staleArn: string;
  let output: unknown;

  beforeAll(async () => {
    // Arrange: a run that failed at NotifyUser and was never redriven; a user not managed by this
    // project whose name a secret under the prefix claims; then a run that failed just now.
    staleArn = await failAtNotifyUser(stack, stale);
    await stack.iam.send(new CreateUserCommand({ UserName: contractor }));
    await stack.iam.send(
      new CreateLoginProfileCommand({
        UserName: contractor,
        Password: 'Contractor-Pw-1!',
        PasswordResetRequired: true,
      }),
    );
    await stack.secrets.send(
      new CreateSecretCommand({
        Name: `${SECRET_PREFIX}${contractor}`,
        SecretString: 'not-a-password-this-project-set',
        Tags: [
          { Key: 'purpose', Value: 'temporary-password' },
          { Key: 'employeeId', Value: 'E-CONTRACTOR' },
        ],
      }),
    );
    // EventBridge's event time is to the second: the fresh secret is made in the next second.
    const boundary =
      Math.ceil(((await secretOf(stack, contractor))?.LastChangedDate?.getTime() ?? 0) / 1000) * 1000;
    while (Date.now() <= boundary) await new Promise((wait) => setTimeout(wait, boundary + 1 - Date.now()));
    await failAtNotifyUser(stack, fresh);
    const staleChanged = (await secretOf(stack, contractor))?.LastChangedDate?.getTime() ?? 0;
    const freshChanged = (await secretOf(stack, userNameOf(fresh)))?.LastChangedDate?.getTime() ?? 0;
    expect(staleChanged).toBeLessThanOrEqual(boundary);
    expect(freshChanged).toBeGreaterThan(boundary);

    // Act: the schedule fires when the older secrets are past the maximum age and the fresh one is not.
    const time = new Date(boundary + MAX_AGE_HOURS * HOUR_MS);
    output = await stack.runSchedule('sweepTemporaryPasswords', time);
  });

  it('uses the documented default maximum age, 24 hours (serverless.yml)', () => {
    expect(MAX_AGE_HOURS).toBe(24);
  });

  it('deletes the stale secret and the login profile its password was set on', async () => {
    expect(await secretOf(stack, userNameOf(stale))).toBeUndefined();
    expect(await loginProfileOf(stack, userNameOf(stale))).toBeUndefined();
  });

  it('leaves a fresh secret and its login profile alone', async () => {
    expect(await secretOf(stack, userNameOf(fresh))).toBeDefined();
    expect(await loginProfileOf(stack, userNameOf(fresh))).toMatchObject({ PasswordResetRequired: true });
  });

  it('deletes a stale secret naming a user it does not manage, but never touches that user', async () => {
    expect(await secretOf(stack, contractor)).toBeUndefined();
    expect(await loginProfileOf(stack, contractor)).toMatchObject({ UserName: contractor });
  });

  it('reports what it did', () => {
    expect(output).toEqual({
      swept: expect.arrayContaining([
        { userName: userNameOf(stale), revocation: 'login profile deleted' },
        { userName: contractor, revocation: 'user not managed by this project' },
      ]),
      kept: expect.any(Number),
    });
  });

  describe('when ops then redrive the run whose password was swept', () => {
    it('fails permanently at NotifyUser, tells ops, and emails no password', async () => {
      const redriven = await redriveAndSettle(stack, staleArn);

      expect(redriven).toMatchObject({ status: 'FAILED', error: 'PasswordSecretMissingError' });
      expect(await stack.emailsTo(stale.employee.managerEmail)).toEqual([]);
      const alerts = (await stack.emailsTo(OPS_EMAIL)).filter((email) =>
        email.subject.includes(`(${stale.employee.id}) failed at NotifyUser`),
      );
      expect(alerts).toHaveLength(1);
      expect(alerts[0]?.body.text).toContain('new employee.hired event');
    });
  });
});

describe('a run stopped while its password is stored but not sent', () => {
  const event = hireEvent();
  let status: string | undefined;

  beforeAll(async () => {
    ({ status } = await endWhileNotifying(stack, event, 'stop'));
  });

  it('ends ABORTED', () => {
    expect(status).toBe('ABORTED');
  });

  it('has its secret deleted and its login profile removed', async () => {
    expect(await secretOf(stack, userNameOf(event))).toBeUndefined();
    expect(await loginProfileOf(stack, userNameOf(event))).toBeUndefined();
  });

  it('sends no password, and tells ops the password was revoked', async () => {
    expect(await stack.emailsTo(event.employee.managerEmail)).toEqual([]);
    const alerts = (await stack.emailsTo(OPS_EMAIL)).filter((email) =>
      email.subject.includes(`(${event.employee.id}) was stopped`),
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.body.text).toContain(
      `Temporary password of ${userNameOf(event)} revoked: login profile deleted.`,
    );
  });
});

describe('a run that times out while its password is stored but not sent', () => {
  const event = hireEvent();
  let timing: TestStack;
  let status: string | undefined;

  beforeAll(async () => {
    // The same workflow with a 6-second execution timeout instead of an hour (the first hire's cold
    // starts take about 2 s before NotifyUser; NotifyUser then hangs on the failing TagResource).
    timing = await startTestStack({
      functionEnvironment: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
      editStateMachine: (definition) => {
        definition.TimeoutSeconds = 6;
      },
    });
    ({ status } = await endWhileNotifying(timing, event, 'timeout'));
  });
  afterAll(() => timing.close());

  it('ends TIMED_OUT, its secret and login profile gone, ops told', async () => {
    expect(status).toBe('TIMED_OUT');
    expect(await secretOf(timing, userNameOf(event))).toBeUndefined();
    expect(await loginProfileOf(timing, userNameOf(event))).toBeUndefined();
    expect(await timing.emailsTo(event.employee.managerEmail)).toEqual([]);
    const alerts = (await timing.emailsTo(OPS_EMAIL)).filter((email) =>
      email.subject.includes(`(${event.employee.id}) timed out`),
    );
    expect(alerts).toHaveLength(1);
  });
});
