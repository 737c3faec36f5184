import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateUserCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListUserTagsCommand,
  ListVirtualMFADevicesCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { DescribeExecutionCommand, GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { giveEveryDependent } from '../support/userDependents';
import { hireEvent, startTestStack, type TestStack } from './support/testStack';

// Retention 0: the leaver deletes at once (the retention wait has its own tests).
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({
    functionEnvironment: { POWERTOOLS_LOG_LEVEL: 'WARN', LEAVER_RETENTION_DAYS: '0' },
  });
});

afterAll(async () => {
  await stack.close();
});

type Hire = ReturnType<typeof hireEvent>;

const SELF_SERVICE = 'arn:aws:iam::000000000000:policy/iam-onboarding-self-service';
const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

/** Posts an event to POST /events and waits for its execution to end. */
async function run(event: object) {
  const { status, json } = await stack.postEvent(event);
  expect({ status, answer: json.status }).toEqual({ status: 202, answer: 'started' });
  const execution = await stack.settle(String(json.executionArn));
  return { ...execution, executionArn: String(json.executionArn) };
}

/** The last state an execution entered (where it ended, or where it is). */
async function lastState(executionArn: string, target = stack): Promise<string | undefined> {
  const { events = [] } = await target.sfn.send(
    new GetExecutionHistoryCommand({ executionArn, reverseOrder: true }),
  );
  return events.find((event) => event.stateEnteredEventDetails)?.stateEnteredEventDetails?.name;
}

async function onboard(employee: Record<string, unknown> = {}): Promise<{ hire: Hire; userName: string }> {
  const hire = hireEvent({ employee });
  const execution = await run(hire);
  expect(execution.status).toBe('SUCCEEDED');
  return {
    hire,
    userName: (JSON.parse(execution.output ?? '{}') as { user: { userName: string } }).user.userName,
  };
}

const update = (hire: Hire, employee: Record<string, unknown>, occurredAt = '2026-11-29T09:00:00Z') => ({
  eventId: `${hire.eventId}-u${Math.random().toString(36).slice(2, 8)}`,
  type: 'employee.updated',
  occurredAt,
  employee: { ...hire.employee, ...employee },
});

const termination = (hire: Hire, occurredAt = '2026-11-30T09:00:00Z') => ({
  eventId: `${hire.eventId}-t${Math.random().toString(36).slice(2, 8)}`,
  type: 'employee.terminated',
  occurredAt,
  employee: { id: hire.employee.id },
});

async function grants(userName: string) {
  const { Groups = [] } = await stack.iam.send(new ListGroupsForUserCommand({ UserName: userName }));
  const { AttachedPolicies = [] } = await stack.iam.send(
    new ListAttachedUserPoliciesCommand({ UserName: userName }),
  );
  return {
    groups: Groups.map((group) => group.GroupName).sort(),
    policies: AttachedPolicies.map((policy) => policy.PolicyArn).sort(),
  };
}

async function tags(userName: string): Promise<Record<string, string>> {
  const { Tags = [] } = await stack.iam.send(new ListUserTagsCommand({ UserName: userName }));
  return Object.fromEntries(Tags.map((tag) => [tag.Key, tag.Value]));
}

async function userExists(userName: string, target = stack): Promise<boolean> {
  try {
    await target.iam.send(new GetUserCommand({ UserName: userName }));
    return true;
  } catch (error) {
    if (error instanceof NoSuchEntityException) return false;
    throw error;
  }
}

describe('the employee lifecycle, end to end', () => {
  it('hire, then a move to Finance (old groups gone, new ones in, password untouched), then a termination deletes the user', async () => {
    const { hire, userName } = await onboard({
      department: 'Engineering',
      jobTitle: 'Site Reliability Engineer',
    });
    expect(await grants(userName)).toEqual({ groups: ['Developers', 'Operators'], policies: [SELF_SERVICE] });
    const { LoginProfile: before } = await stack.iam.send(new GetLoginProfileCommand({ UserName: userName }));
    const emailsBefore = (await stack.emailsTo(String(hire.employee.managerEmail))).length;

    const moved = await run(update(hire, { department: 'Finance', jobTitle: 'Analyst' }));

    expect(moved.status).toBe('SUCCEEDED');
    expect(await lastState(moved.executionArn)).toBe('Moved');
    expect(await grants(userName)).toEqual({ groups: ['Finance'], policies: [SELF_SERVICE] });
    const { LoginProfile: after } = await stack.iam.send(new GetLoginProfileCommand({ UserName: userName }));
    expect(after).toEqual(before);
    expect((await stack.emailsTo(String(hire.employee.managerEmail))).length).toBe(emailsBefore);
    expect(await tags(userName)).toMatchObject({
      department: 'Finance',
      'lifecycle:lastEventAt': '2026-11-29T09:00:00Z',
      employeeId: hire.employee.id,
    });

    const left = await run(termination(hire));

    expect(left.status).toBe('SUCCEEDED');
    expect(await lastState(left.executionArn)).toBe('Offboarded');
    expect(await userExists(userName)).toBe(false);
    expect(JSON.parse(left.output ?? '{}')).toMatchObject({
      disabled: { loginProfileDeleted: true, deleteNow: true },
      deletion: {
        deleted: true,
        removed: { loginProfile: false, groups: ['Finance'], managedPolicies: [SELF_SERVICE] },
      },
    });
  });

  it('deletes a leaver who has one of every kind of dependent, given through the SDK, and the virtual MFA device', async () => {
    const { hire, userName } = await onboard();
    const { accessKeyId, mfaSerial } = await giveEveryDependent(stack.iam, userName, {
      groupName: 'HandMadeGroup',
      policyArn: READ_ONLY,
      loginProfile: false,
    });

    const left = await run(termination(hire));

    expect(left.status).toBe('SUCCEEDED');
    expect(await userExists(userName)).toBe(false);
    const { removed } = (
      JSON.parse(left.output ?? '{}') as { deletion: { removed: Record<string, unknown> } }
    ).deletion;
    expect(removed).toEqual({
      // Deleted already when the user was disabled.
      loginProfile: false,
      accessKeys: [accessKeyId],
      signingCertificates: [expect.any(String)],
      sshPublicKeys: [expect.stringMatching(/^APKA/)],
      serviceSpecificCredentials: [expect.stringMatching(/^ACCA/)],
      mfaDevices: [mfaSerial],
      inlinePolicies: ['handwritten'],
      managedPolicies: [SELF_SERVICE, READ_ONLY],
      groups: ['Developers', 'HandMadeGroup'],
    });
    const { VirtualMFADevices = [] } = await stack.iam.send(new ListVirtualMFADevicesCommand({}));
    expect(VirtualMFADevices.map((device) => device.SerialNumber)).not.toContain(mfaSerial);
  });

  it('disables at once with a retention: no console password, access keys inactive, the user kept and waiting, across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'iam-onboarding-retention-'));
    const options = {
      dataDir,
      functionEnvironment: { POWERTOOLS_LOG_LEVEL: 'WARN', LEAVER_RETENTION_DAYS: '30' },
    };
    let retained = await startTestStack(options);
    try {
      const hire = hireEvent();
      const onboarding = await retained.postEvent(hire);
      expect((await retained.settle(String(onboarding.json.executionArn))).status).toBe('SUCCEEDED');
      const userName = `ada.${hire.employee.familyName.toLowerCase()}`;
      await giveEveryDependent(retained.iam, userName, {
        groupName: 'HandMadeGroup',
        policyArn: READ_ONLY,
        loginProfile: false,
      });
      const event = termination(hire);

      const { json } = await retained.postEvent(event);
      const executionArn = String(json.executionArn);
      for (let waited = 0; (await lastState(executionArn, retained)) !== 'WaitForRetention'; waited += 20) {
        if (waited > 20_000) throw new Error('the leaver never reached WaitForRetention');
        await new Promise((wait) => setTimeout(wait, 20));
      }
      // Longer than a Node timer can wait (24.8 days): the emulator must not end the wait at once.
      await new Promise((wait) => setTimeout(wait, 200));

      const still = async () =>
        (await retained.sfn.send(new DescribeExecutionCommand({ executionArn }))).status;
      expect(await still()).toBe('RUNNING');
      await expect(retained.iam.send(new GetLoginProfileCommand({ UserName: userName }))).rejects.toThrow(
        NoSuchEntityException,
      );
      const { AccessKeyMetadata = [] } = await retained.iam.send(
        new ListAccessKeysCommand({ UserName: userName }),
      );
      expect(AccessKeyMetadata.map((key) => key.Status)).toEqual(['Inactive']);
      const { Tags = [] } = await retained.iam.send(new ListUserTagsCommand({ UserName: userName }));
      const tagged = Object.fromEntries(Tags.map((tag) => [tag.Key, tag.Value]));
      expect(tagged['lifecycle:disabledBy']).toBe(event.eventId);
      const disabledAt = Date.parse(String(tagged['lifecycle:disabledAt']));
      expect(Math.abs(disabledAt - Date.now())).toBeLessThan(60_000);
      const deleteAt = (
        JSON.parse(
          String(
            (await retained.sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events?.find(
              (e) => e.stateEnteredEventDetails?.name === 'WaitForRetention',
            )?.stateEnteredEventDetails?.input,
          ),
        ) as { disabled: { deleteAt: string } }
      ).disabled.deleteAt;
      expect(Date.parse(deleteAt) - disabledAt).toBe(30 * 24 * 60 * 60 * 1000);

      // stop(), not close(): close waits for running executions, and this one waits 30 days.
      await retained.stop();
      retained = await startTestStack(options);

      expect(await still()).toBe('RUNNING');
      await new Promise((wait) => setTimeout(wait, 200));
      expect(await still()).toBe('RUNNING');
      expect(await lastState(executionArn, retained)).toBe('WaitForRetention');
      expect(await userExists(userName, retained)).toBe(true);

      // The retention's end, on the local stand-in for a clock: DeleteUser runs and the user is gone.
      await expect(retained.endWait(executionArn)).resolves.toBe('WaitForRetention');
      const offboarded = await retained.settle(executionArn);
      expect(offboarded.status).toBe('SUCCEEDED');
      expect(await lastState(executionArn, retained)).toBe('Offboarded');
      expect(await userExists(userName, retained)).toBe(false);
      expect(JSON.parse(offboarded.output ?? '{}')).toMatchObject({ deletion: { deleted: true } });
    } finally {
      await retained.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);

  it('rehires a leaver during the retention: a late hire is refused, a new one re-enables the same user with a fresh password, and the deletion is cancelled', async () => {
    const retained = await startTestStack({
      functionEnvironment: { POWERTOOLS_LOG_LEVEL: 'WARN', LEAVER_RETENTION_DAYS: '30' },
    });
    try {
      const hire = hireEvent({
        employee: { department: 'Engineering', jobTitle: 'Site Reliability Engineer' },
      });
      const manager = String(hire.employee.managerEmail);
      const onboarding = await retained.postEvent(hire);
      expect((await retained.settle(String(onboarding.json.executionArn))).status).toBe('SUCCEEDED');
      const userName = `ada.${hire.employee.familyName.toLowerCase()}`;
      const { User: before } = await retained.iam.send(new GetUserCommand({ UserName: userName }));
      const event = termination(hire, '2026-11-30T09:00:00Z');
      const leaver = String((await retained.postEvent(event)).json.executionArn);
      for (let waited = 0; (await lastState(leaver, retained)) !== 'WaitForRetention'; waited += 20) {
        if (waited > 20_000) throw new Error('the leaver never reached WaitForRetention');
        await new Promise((wait) => setTimeout(wait, 20));
      }
      const passwordEmails = async () =>
        (await retained.emailsTo(manager)).filter((email) => /password/i.test(email.subject)).length;
      const passwordsBefore = await passwordEmails();

      // A hire older than the termination (late, or resent under a new id) never re-enables the user.
      const late = { ...hire, eventId: `${hire.eventId}-late`, occurredAt: '2026-11-29T09:00:00Z' };
      const refused = await retained.settle(String((await retained.postEvent(late)).json.executionArn));
      expect({ status: refused.status, error: refused.error }).toEqual({
        status: 'FAILED',
        error: 'UserAdoptionRefusedError',
      });
      await expect(retained.iam.send(new GetLoginProfileCommand({ UserName: userName }))).rejects.toThrow(
        NoSuchEntityException,
      );

      const rehire = {
        ...hire,
        eventId: `${hire.eventId}-rehire`,
        occurredAt: '2026-12-01T09:00:00Z',
        employee: { ...hire.employee, department: 'Finance', jobTitle: 'Analyst' },
      };
      const rehired = await retained.settle(String((await retained.postEvent(rehire)).json.executionArn));

      expect(rehired.status).toBe('SUCCEEDED');
      expect(JSON.parse(rehired.output ?? '{}')).toMatchObject({
        user: { userName, adopted: true, rehired: true },
        removed: { removedFromGroups: ['Developers', 'Operators'] },
      });
      const { User: after } = await retained.iam.send(new GetUserCommand({ UserName: userName }));
      expect(after?.UserId).toBe(before?.UserId);
      const { LoginProfile } = await retained.iam.send(new GetLoginProfileCommand({ UserName: userName }));
      expect(LoginProfile?.PasswordResetRequired).toBe(true);
      expect(await passwordEmails()).toBe(passwordsBefore + 1);
      const { Groups = [] } = await retained.iam.send(new ListGroupsForUserCommand({ UserName: userName }));
      expect(Groups.map((group) => group.GroupName)).toEqual(['Finance']);
      const { Tags = [] } = await retained.iam.send(new ListUserTagsCommand({ UserName: userName }));
      const tagged = Object.fromEntries(Tags.map((tag) => [tag.Key, tag.Value]));
      expect(tagged).not.toHaveProperty('lifecycle:disabledBy');
      expect(tagged).not.toHaveProperty('lifecycle:disabledAt');
      expect(tagged).toMatchObject({
        eventId: rehire.eventId,
        department: 'Finance',
        'onboarding:notified': rehire.eventId,
        'lifecycle:lastEventId': rehire.eventId,
        'lifecycle:lastEventAt': '2026-12-01T09:00:00Z',
      });

      // The retention ends: the leaver finds the user no longer disabled by it and deletes nothing.
      await retained.endWait(leaver);
      const offboarding = await retained.settle(leaver);
      expect(offboarding.status).toBe('SUCCEEDED');
      expect(JSON.parse(offboarding.output ?? '{}')).toMatchObject({
        deletion: { deleted: false, reason: 'superseded' },
      });
      expect(await userExists(userName, retained)).toBe(true);
      await retained.iam.send(new GetLoginProfileCommand({ UserName: userName }));
    } finally {
      await retained.close();
    }
  }, 90_000);

  it('ignores an update older than the last event applied: it changes nothing', async () => {
    const { hire, userName } = await onboard();
    await run(update(hire, { department: 'Finance' }, '2026-11-29T12:00:00Z'));

    const late = await run(update(hire, { department: 'Internal Audit' }, '2026-11-29T11:59:59+00:00'));

    expect(late.status).toBe('SUCCEEDED');
    expect(await lastState(late.executionArn)).toBe('StaleEventIgnored');
    expect(await grants(userName)).toEqual({ groups: ['Finance'], policies: [SELF_SERVICE] });
  });

  it('never touches a user it does not manage, though it carries the employee id, and tells ops', async () => {
    const hire = hireEvent();
    const userName = `ada.${hire.employee.familyName.toLowerCase()}`;
    await stack.iam.send(
      new CreateUserCommand({ UserName: userName, Tags: [{ Key: 'employeeId', Value: hire.employee.id }] }),
    );

    const moved = await run(update(hire, { department: 'Finance' }));

    expect(moved.status).toBe('FAILED');
    expect(moved.error).toBe('UserNotManagedError');
    expect(await grants(userName)).toEqual({ groups: [], policies: [] });
    const alerts = await stack.emailsTo('ops@example.com');
    expect(alerts.map((email) => email.subject)).toContain(
      `Access change of Ada ${hire.employee.familyName} (${hire.employee.id}) failed at FindUser`,
    );
  });

  it('stops a running onboarding when the employee is terminated before it finished, and removes what it made', async () => {
    stack.faults.addRule({ service: 'iam', action: 'CreateLoginProfile', code: 'Throttling', count: 1000 });
    try {
      const hire = hireEvent();
      const { json } = await stack.postEvent(hire);
      const onboarding = String(json.executionArn);
      const userName = `ada.${hire.employee.familyName.toLowerCase()}`;
      for (let waited = 0; !(await userExists(userName)); waited += 20) {
        if (waited > 20_000) throw new Error('the onboarding never created the user');
        await new Promise((wait) => setTimeout(wait, 20));
      }

      const left = await run(termination(hire));

      expect(left.status).toBe('SUCCEEDED');
      expect(JSON.parse(left.output ?? '{}')).toMatchObject({
        disabled: { stoppedOnboarding: onboarding, deleteNow: true },
        deletion: { deleted: true },
      });
      expect((await stack.settle(onboarding)).status).toBe('ABORTED');
      expect(await userExists(userName)).toBe(false);
    } finally {
      stack.faults.clear();
    }
  });

  it('alerts ops when a termination names an employee who has no user', async () => {
    const hire = hireEvent();

    const left = await run(termination(hire));

    expect(left.status).toBe('FAILED');
    expect(left.error).toBe('EmployeeUserNotFoundError');
    const alerts = await stack.emailsTo('ops@example.com');
    expect(alerts.map((email) => email.subject)).toContain(
      `Offboarding of employee ${hire.employee.id} failed at FindUser`,
    );
  });
});
