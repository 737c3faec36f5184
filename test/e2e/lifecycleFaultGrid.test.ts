import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateUserCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListUserTagsCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import type { FaultRule } from '../../local/faults';
import { giveEveryDependent, releaseSigningCertificates } from '../support/userDependents';
import { attempts, executionHistory, redriveAndSettle, statesEntered } from './support/inspect';
import { hireEvent, startTestStack, type TestStack } from './support/testStack';

/**
 * The fault grid of the mover and the leaver: every Task step they add, under throttling, a service
 * failure that outlasts the retries (then a redrive), and a crash after the step's side effects.
 * Every run converges: the mover leaves exactly the new profile's access with the password
 * untouched, the leaver leaves no user, and nothing reaches NotifyOps.
 */

type Workflow = 'mover' | 'leaver';
type Cell = {
  workflow: Workflow;
  step: string;
  fault: 'Throttling' | 'ServiceFailure' | 'crash after the side effect';
  what: string;
  rules: FaultRule[];
  crash?: string;
  /** The error name the step's failed attempts carry. */
  error: string;
  /** The fault outlasts the step's retries: the execution fails there and is redriven. */
  exhausts?: boolean;
};

const iam = (action: string, code: string, count: number): FaultRule => ({
  service: 'iam',
  action,
  code,
  count,
});
const OUTAGE = 100;
const throttled = (workflow: Workflow, step: string, action: string): Cell => ({
  workflow,
  step,
  fault: 'Throttling',
  what: `${action} Throttling x3`,
  rules: [iam(action, 'Throttling', 3)],
  error: 'IamThrottledError',
});
const failing = (workflow: Workflow, step: string, action: string): Cell => ({
  workflow,
  step,
  fault: 'ServiceFailure',
  what: `${action} ServiceFailure until redrive`,
  rules: [iam(action, 'ServiceFailure', OUTAGE)],
  error: 'IamServiceError',
  exhausts: true,
});
const crashing = (workflow: Workflow, step: string, fn: string): Cell => ({
  workflow,
  step,
  fault: 'crash after the side effect',
  what: `${fn} crashes once`,
  rules: [],
  crash: fn,
  error: 'Lambda.Unknown',
});

const GRID: Cell[] = [
  // The mover (an Internal Audit employee to Finance): FindUser GetUser; RemoveOldAccess
  // ListGroupsForUser, RemoveUserFromGroup, DetachUserPolicy; RecordEvent TagUser.
  throttled('mover', 'FindUser', 'GetUser'),
  failing('mover', 'FindUser', 'GetUser'),
  crashing('mover', 'FindUser', 'findUser'),
  throttled('mover', 'RemoveOldAccess', 'RemoveUserFromGroup'),
  failing('mover', 'RemoveOldAccess', 'DetachUserPolicy'),
  crashing('mover', 'RemoveOldAccess', 'removeOldAccess'),
  throttled('mover', 'RecordEvent', 'TagUser'),
  failing('mover', 'RecordEvent', 'TagUser'),
  crashing('mover', 'RecordEvent', 'recordEvent'),
  // The leaver (retention 0, a user with every dependent): FindUser ListUsers/ListUserTags;
  // DisableUser DeleteLoginProfile, UpdateAccessKey, TagUser; DeleteUser every List/Delete.
  throttled('leaver', 'FindUser', 'ListUsers'),
  failing('leaver', 'FindUser', 'ListUserTags'),
  crashing('leaver', 'FindUser', 'findUser'),
  throttled('leaver', 'DisableUser', 'DeleteLoginProfile'),
  failing('leaver', 'DisableUser', 'UpdateAccessKey'),
  crashing('leaver', 'DisableUser', 'disableUser'),
  throttled('leaver', 'DeleteUser', 'DeleteSSHPublicKey'),
  failing('leaver', 'DeleteUser', 'DeactivateMFADevice'),
  throttled('leaver', 'DeleteUser', 'DeleteUser'),
  crashing('leaver', 'DeleteUser', 'deleteUser'),
];

const SELF_SERVICE = 'arn:aws:iam::000000000000:policy/iam-onboarding-self-service';
const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({
    functionEnvironment: { POWERTOOLS_LOG_LEVEL: 'SILENT', LEAVER_RETENTION_DAYS: '0' },
  });
  // Internal Audit copies this template user's policy onto its hires: the mover must detach it.
  await stack.iam.send(new CreateUserCommand({ UserName: 'audit-template' }));
  await stack.iam.send(new AttachUserPolicyCommand({ UserName: 'audit-template', PolicyArn: READ_ONLY }));
});

afterEach(() => stack.faults.clear());

afterAll(() => stack.close());

async function onboard(department: string) {
  const hire = hireEvent({ employee: { department } });
  const { json } = await stack.postHire(hire);
  expect((await stack.settle(String(json.executionArn))).status).toBe('SUCCEEDED');
  return { hire, userName: `ada.${hire.employee.familyName.toLowerCase()}` };
}

async function grants(UserName: string) {
  const { Groups = [] } = await stack.iam.send(new ListGroupsForUserCommand({ UserName }));
  const { AttachedPolicies = [] } = await stack.iam.send(new ListAttachedUserPoliciesCommand({ UserName }));
  return {
    groups: Groups.map((group) => group.GroupName).sort(),
    policies: AttachedPolicies.map((policy) => policy.PolicyArn).sort(),
  };
}

async function userExists(UserName: string): Promise<boolean> {
  return stack.iam.send(new GetUserCommand({ UserName })).then(
    () => true,
    (error: Error) => (error instanceof NoSuchEntityException ? false : Promise.reject(error)),
  );
}

/** Runs the cell's event with its faults armed; redrives once the faults are gone if they outlast the retries. */
async function runWithFaults(cell: Cell, event: object) {
  for (const rule of cell.rules) stack.faults.addRule(rule);
  if (cell.crash) stack.faults.addCrash({ function: cell.crash, count: 1 });
  const { json } = await stack.postEvent(event);
  const executionArn = String(json.executionArn);
  let execution = await stack.settle(executionArn);
  if (cell.exhausts) {
    expect(execution).toMatchObject({ status: 'FAILED', error: cell.error });
    expect(statesEntered(await executionHistory(stack.sfn, executionArn)).at(-1)).toBe(cell.step);
    stack.faults.clear();
    execution = await redriveAndSettle(stack, executionArn);
  }
  expect(execution.status).toBe('SUCCEEDED');
  // The fault hit this step (every injected fault was used) and nothing reached NotifyOps.
  const history = await executionHistory(stack.sfn, executionArn);
  const failed = attempts(history).filter((attempt) => attempt.outcome === 'failed');
  expect(failed.length).toBeGreaterThan(0);
  expect(failed.every((attempt) => attempt.state === cell.step)).toBe(true);
  expect(failed.map((attempt) => attempt.error)).toContain(cell.error);
  expect(stack.faults.describe()).toEqual({ rules: [], crashes: [], rates: {} });
  expect(statesEntered(history)).not.toContain('NotifyOps');
  return JSON.parse(execution.output ?? '{}') as Record<string, unknown>;
}

describe('lifecycle fault grid: every step the mover and the leaver add, under every kind of fault', () => {
  it.each(GRID.filter((cell) => cell.workflow === 'mover'))(
    'mover $step converges under $fault ($what): exactly the new access, password untouched',
    async (cell) => {
      const { hire, userName } = await onboard('Internal Audit');
      expect(await grants(userName)).toEqual({ groups: ['Auditors'], policies: [SELF_SERVICE, READ_ONLY] });
      const { LoginProfile: before } = await stack.iam.send(
        new GetLoginProfileCommand({ UserName: userName }),
      );
      const update = {
        eventId: `${hire.eventId}-move`,
        type: 'employee.updated',
        occurredAt: '2026-11-29T09:00:00Z',
        employee: { ...hire.employee, department: 'Finance' },
      };

      await runWithFaults(cell, update);

      expect(await grants(userName)).toEqual({ groups: ['Finance'], policies: [SELF_SERVICE] });
      const { LoginProfile: after } = await stack.iam.send(
        new GetLoginProfileCommand({ UserName: userName }),
      );
      expect(after).toEqual(before);
      const { Tags = [] } = await stack.iam.send(new ListUserTagsCommand({ UserName: userName }));
      expect(Object.fromEntries(Tags.map((tag) => [tag.Key, tag.Value]))).toMatchObject({
        department: 'Finance',
        'lifecycle:lastEventId': update.eventId,
      });
    },
  );

  it.each(GRID.filter((cell) => cell.workflow === 'leaver'))(
    'leaver $step converges under $fault ($what): the user and every dependent gone',
    async (cell) => {
      const { hire, userName } = await onboard('Engineering');
      await giveEveryDependent(stack.iam, userName, {
        groupName: 'HandMadeGroup',
        policyArn: READ_ONLY,
        loginProfile: false,
      });
      await stack.iam.send(new CreateAccessKeyCommand({ UserName: userName }));
      const termination = {
        eventId: `${hire.eventId}-leave`,
        type: 'employee.terminated',
        occurredAt: '2026-11-30T09:00:00Z',
        employee: { id: hire.employee.id },
      };

      try {
        const output = await runWithFaults(cell, termination);

        expect(await userExists(userName)).toBe(false);
        expect(output).toMatchObject({ disabled: { deleteNow: true } });
        expect(output.deletion).toMatchObject(
          cell.crash === 'deleteUser' ? { deleted: false, reason: 'already gone' } : { deleted: true },
        );
      } finally {
        await releaseSigningCertificates(stack.iam, userName);
      }
    },
  );
});
