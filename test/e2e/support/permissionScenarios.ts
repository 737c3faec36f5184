import {
  AttachUserPolicyCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  GetUserCommand,
} from '@aws-sdk/client-iam';
import { GetExecutionHistoryCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { giveEveryDependent, releaseSigningCertificates } from '../../support/userDependents';
import {
  endWhileNotifying,
  failAtNotifyUser,
  loginProfileOf,
  MAX_AGE_HOURS,
  secretOf,
  userNameOf,
} from './abandonedRuns';
import { hireEvent, type TestStack } from './testStack';

/**
 * The runs that, together, exercise every permission the deployed roles grant: the happy path of
 * each kind of profile, name clashes, adoption, crashes and reruns, permanent failures, a resent
 * event, and the lifecycle (a move, a renamed mover, a leaver with every dependent after the
 * retention, a termination during onboarding, a rehire). Each returns how its (last) execution ended
 * (or the webhook's status when no execution started), and can run again on the same stack.
 */
export type Scenario = {
  name: string;
  /** How the run ends when every permission is there. */
  ends: 'SUCCEEDED' | 'FAILED' | 'duplicate' | 'revoked' | 'read back';
  run(stack: TestStack): Promise<string>;
};

const TEMPLATE_USER = 'audit-template';

/** A hire run with faults armed by `arm`, cleared afterwards whatever happens. */
async function hireWithFaults(stack: TestStack, arm: (faults: TestStack['faults']) => void): Promise<string> {
  arm(stack.faults);
  try {
    return await hire(stack, hireEvent());
  } finally {
    stack.faults.clear();
  }
}

/** 'revoked' when the user's temporary password is gone, secret and login profile alike. */
async function revokedOrNot(stack: TestStack, userName: string): Promise<string> {
  const secret = await secretOf(stack, userName);
  const profile = await loginProfileOf(stack, userName);
  return secret === undefined && profile === undefined ? 'revoked' : 'not revoked';
}

async function hire(stack: TestStack, event: ReturnType<typeof hireEvent>): Promise<string> {
  const { status, json } = await stack.postHire(event);
  if (status !== 202) return `HTTP ${status}`;
  return String((await stack.settle(String(json.executionArn))).status);
}

/** GET /events/{eventId} until it is no longer running (or fails): `<HTTP status> <event status>`. */
async function statusOf(stack: TestStack, eventId: string): Promise<string> {
  for (let waited = 0; ; waited += 20) {
    const { status, json } = await stack.getStatus(eventId);
    if (status !== 200 || json.status !== 'running' || waited > 10_000)
      return `${status} ${String(json.status)}`;
    await new Promise((wait) => setTimeout(wait, 20));
  }
}

type Hire = ReturnType<typeof hireEvent>;

/** Posts any HR event to POST /events and answers how its execution ended. */
async function lifecycleEvent(stack: TestStack, event: object): Promise<string> {
  const { status, json } = await stack.postEvent(event);
  if (status !== 202) return `HTTP ${status}`;
  return String((await stack.settle(String(json.executionArn))).status);
}

const updateOf = (event: Hire, employee: Record<string, unknown>) => ({
  eventId: `${event.eventId}-update`,
  type: 'employee.updated',
  occurredAt: '2026-11-29T09:00:00Z',
  employee: { ...event.employee, ...employee },
});

const terminationOf = (event: Hire) => ({
  eventId: `${event.eventId}-termination`,
  type: 'employee.terminated',
  occurredAt: '2026-11-30T09:00:00Z',
  employee: { id: event.employee.id },
});

/** The template user Internal Audit copies, with its allow-listed policy. */
async function ensureTemplateUser(stack: TestStack): Promise<void> {
  await stack.iam
    .send(new CreateUserCommand({ UserName: TEMPLATE_USER }))
    .catch((error: Error) =>
      error.name === 'EntityAlreadyExistsException' ? undefined : Promise.reject(error),
    );
  await stack.iam.send(
    new AttachUserPolicyCommand({
      UserName: TEMPLATE_USER,
      PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
    }),
  );
}

/** Posts a termination and answers its execution once it waits out the retention (or has ended). */
async function terminateUntilRetention(stack: TestStack, event: Hire): Promise<string | undefined> {
  const { status, json } = await stack.postEvent(terminationOf(event));
  if (status !== 202) return undefined;
  const executionArn = String(json.executionArn);
  for (let waited = 0; waited < 30_000; waited += 20) {
    const { events = [] } = await stack.sfn.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 5 }),
    );
    const last = events[0];
    if (last?.type?.startsWith('Execution') && last.type !== 'ExecutionStarted') return executionArn;
    if (last?.stateEnteredEventDetails?.name === 'WaitForRetention') return executionArn;
    await new Promise((wait) => setTimeout(wait, 20));
  }
  throw new Error(`the termination of ${event.employee.id} never reached WaitForRetention`);
}

/** Ends the leaver's retention now (if it waits) and answers how it ended. */
async function endRetention(stack: TestStack, executionArn: string): Promise<string> {
  await stack.endWait(executionArn).catch(() => undefined); // it may have failed before the Wait
  return String((await stack.settle(executionArn)).status);
}

export const SCENARIOS = {
  hire: {
    name: 'an Engineering hire',
    ends: 'SUCCEEDED',
    run: (stack) => hire(stack, hireEvent()),
  },
  copyFromTemplate: {
    name: 'an Internal Audit hire, copying the template user',
    ends: 'SUCCEEDED',
    async run(stack) {
      await ensureTemplateUser(stack);
      return hire(stack, hireEvent({ employee: { department: 'Internal Audit' } }));
    },
  },
  nameClash: {
    name: "a hire whose first user name is another employee's",
    ends: 'SUCCEEDED',
    async run(stack) {
      const event = hireEvent();
      const taken = `${event.employee.givenName}.${event.employee.familyName}`.toLowerCase();
      await stack.iam.send(
        new CreateUserCommand({
          UserName: taken,
          Path: '/onboarded/',
          Tags: [{ Key: 'employeeId', Value: 'E-OTHER' }],
        }),
      );
      return hire(stack, event);
    },
  },
  adoptWithoutBoundary: {
    name: 'a hire that adopts an unfinished user of this employee without a boundary',
    ends: 'SUCCEEDED',
    async run(stack) {
      const event = hireEvent();
      const userName = `${event.employee.givenName}.${event.employee.familyName}`.toLowerCase();
      await stack.iam.send(
        new CreateUserCommand({
          UserName: userName,
          Path: '/onboarded/',
          Tags: [
            { Key: 'employeeId', Value: event.employee.id },
            { Key: 'managedBy', Value: 'iam-onboarding' },
          ],
        }),
      );
      return hire(stack, event);
    },
  },
  passwordRerun: {
    name: 'generatePassword crashes after its side effects and runs again',
    ends: 'SUCCEEDED',
    run: (stack) =>
      hireWithFaults(stack, (faults) => faults.addCrash({ function: 'generatePassword', count: 1 })),
  },
  notifyRerun: {
    name: 'notifyUser crashes after both emails and runs again: the user is found notified',
    ends: 'SUCCEEDED',
    run: (stack) => hireWithFaults(stack, (faults) => faults.addCrash({ function: 'notifyUser', count: 1 })),
  },
  passwordRejected: {
    name: 'IAM rejects the password for good: the stored password is discarded, ops are told',
    ends: 'FAILED',
    run: (stack) =>
      hireWithFaults(stack, (faults) =>
        faults.addRule({
          service: 'iam',
          action: 'CreateLoginProfile',
          code: 'PasswordPolicyViolation',
          count: 1,
        }),
      ),
  },
  emailRejected: {
    name: 'SES rejects the password email for good: the stored password is discarded',
    ends: 'FAILED',
    run: (stack) =>
      hireWithFaults(stack, (faults) =>
        faults.addRule({ service: 'ses', action: 'SendEmail', code: 'MessageRejected', count: 1, skip: 1 }),
      ),
  },
  resend: {
    name: 'HR resends an event whose onboarding has ended',
    ends: 'duplicate',
    async run(stack) {
      const event = hireEvent();
      await hire(stack, event);
      const { status, json } = await stack.postHire(event);
      return status === 202 ? String(json.status) : `HTTP ${status}`;
    },
  },
  swept: {
    name: 'the sweep finds the password of a run that failed at NotifyUser past the maximum age',
    ends: 'revoked',
    async run(stack) {
      const event = hireEvent();
      await failAtNotifyUser(stack, event);
      const time = new Date(Date.now() + (MAX_AGE_HOURS + 1) * 3_600_000);
      await stack.runSchedule('sweepTemporaryPasswords', time).catch(() => undefined);
      return revokedOrNot(stack, userNameOf(event));
    },
  },
  stopped: {
    name: 'ops stop a run whose password is stored but not sent: it is revoked, ops are told',
    ends: 'revoked',
    async run(stack) {
      const event = hireEvent();
      await endWhileNotifying(stack, event, 'stop');
      return revokedOrNot(stack, userNameOf(event));
    },
  },
  move: {
    name: 'an Internal Audit employee moves to Finance: the copied policy is detached, the old group left',
    ends: 'SUCCEEDED',
    async run(stack) {
      await ensureTemplateUser(stack);
      const event = hireEvent({ employee: { department: 'Internal Audit' } });
      await hire(stack, event);
      return lifecycleEvent(stack, updateOf(event, { department: 'Finance' }));
    },
  },
  moveRenamed: {
    name: 'an employee whose name changed moves: the user is found by its employee id tag',
    ends: 'SUCCEEDED',
    async run(stack) {
      const event = hireEvent();
      await hire(stack, event);
      return lifecycleEvent(stack, updateOf(event, { familyName: `${event.employee.familyName}Renamed` }));
    },
  },
  leave: {
    name: 'a leaver with one of every dependent (a console password given again meanwhile): disabled at once, deleted once the retention ends',
    ends: 'SUCCEEDED',
    async run(stack) {
      const event = hireEvent();
      const UserName = userNameOf(event);
      await hire(stack, event);
      await giveEveryDependent(stack.iam, UserName, {
        groupName: 'HandMadeGroup',
        policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
        loginProfile: false,
      });
      const leaver = await terminateUntilRetention(stack, event);
      // During the retention someone gives the disabled user a console password again.
      await stack.iam
        .send(new CreateLoginProfileCommand({ UserName, Password: 'Correct-Horse-Battery-7' }))
        .catch((error: Error) =>
          error.name === 'EntityAlreadyExistsException' ? undefined : Promise.reject(error),
        );
      const ended = leaver ? await endRetention(stack, leaver) : 'HTTP error';
      await releaseSigningCertificates(stack.iam, UserName);
      return ended;
    },
  },
  leaveDuringOnboarding: {
    name: 'a termination while the onboarding still runs: it is stopped and the user deleted',
    ends: 'SUCCEEDED',
    async run(stack) {
      const event = hireEvent();
      stack.faults.addRule({ service: 'iam', action: 'CreateLoginProfile', code: 'Throttling', count: 1000 });
      try {
        await stack.postHire(event);
        for (let waited = 0; waited < 20_000; waited += 20) {
          const user = await stack.iam
            .send(new GetUserCommand({ UserName: userNameOf(event) }))
            .catch(() => undefined);
          if (user) break;
          await new Promise((wait) => setTimeout(wait, 20));
        }
        // Stopped by the leaver, or (without the permission to stop it) left to finish once the
        // faults are cleared: either way it ends before the next run.
        return await lifecycleEvent(stack, terminationOf(event));
      } finally {
        stack.faults.clear();
      }
    },
  },
  rehire: {
    name: 'a rehire during the retention: the same user back with a fresh password, the deletion cancelled',
    ends: 'SUCCEEDED',
    async run(stack) {
      const event = hireEvent();
      await hire(stack, event);
      const leaver = await terminateUntilRetention(stack, event);
      const rehired = await lifecycleEvent(stack, {
        ...event,
        eventId: `${event.eventId}-rehire`,
        occurredAt: '2026-12-01T09:00:00Z',
      });
      if (leaver) await endRetention(stack, leaver);
      return rehired;
    },
  },
  status: {
    name: "HR reads back a hire's status (user and sign-in URL) and a leaver's waiting for its effectiveAt",
    ends: 'read back',
    async run(stack) {
      const event = hireEvent();
      await hire(stack, event);
      const hired = await statusOf(stack, event.eventId);
      const { signInUrl } = (await stack.getStatus(event.eventId)).json;
      const termination = {
        eventId: `${event.eventId}-t`,
        type: 'employee.terminated',
        occurredAt: '2026-11-30T09:00:00Z',
        effectiveAt: '2099-01-01T00:00:00Z',
        employee: { id: event.employee.id },
      };
      const { status, json } = await stack.postEvent(termination);
      if (status !== 202) return `HTTP ${status}`;
      try {
        const left = await statusOf(stack, termination.eventId);
        return hired === '200 succeeded' && typeof signInUrl === 'string' && left === '200 waiting'
          ? 'read back'
          : `hire ${hired}, leaver ${left}`;
      } finally {
        // The leaver would wait until 2099: stopped before it runs a step, so no lifecycle role acts.
        await stack.sfn.send(new StopExecutionCommand({ executionArn: String(json.executionArn) }));
      }
    },
  },
} satisfies Record<string, Scenario>;

export type ScenarioName = keyof typeof SCENARIOS;
