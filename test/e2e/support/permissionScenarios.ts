import { AttachUserPolicyCommand, CreateUserCommand } from '@aws-sdk/client-iam';
import { StopExecutionCommand } from '@aws-sdk/client-sfn';
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
 * The onboarding runs that, together, exercise every permission the deployed roles grant: the
 * happy path of each kind of profile, name clashes, adoption, crashes and reruns, permanent
 * failures, and a resent event. Each returns how its execution ended (or the webhook's status when
 * no execution started), and can run again on the same stack.
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
