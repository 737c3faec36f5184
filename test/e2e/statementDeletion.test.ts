import type { Role } from '../../local/authz/principals';
import type { CapturedOutput } from './support/captureOutput';
import { SCENARIOS, type ScenarioName } from './support/permissionScenarios';
import { actionsOf, removeStatement, startStackWithEditableRoles, statementsOf } from './support/roleEdits';
import type { TestStack } from './support/testStack';

/**
 * Every permission is needed, and enforcement is real: remove one statement of one role at a time
 * (in the running stack's copy of serverless.yml's roles), run the workflow that needs it, and see
 * the call denied, naming an action of that statement.
 */

/** What the run shows without the statement: it fails, or (Lambda's own log writes) it only loses its logs, or ops get no alert. */
type Effect = 'fails' | 'loses its logs' | 'leaves ops untold';
type Row = { scenario: ScenarioName; effect: Effect };

const logs: Row = { scenario: 'hire', effect: 'loses its logs' };
const fails = (scenario: ScenarioName): Row => ({ scenario, effect: 'fails' });

/** `<role logical id>/<statement Sid>` -> the run that needs the statement. */
const ROWS: Record<string, Row> = {
  'WebhookRole/WriteOwnLogs': logs,
  'WebhookRole/StartWorkflowExecutions': fails('hire'),
  'WebhookRole/DescribeWorkflowExecutions': fails('hire'),
  'WebhookRole/ReadWebhookSigningSecret': fails('hire'),
  'EventStatusRole/WriteOwnLogs': { scenario: 'status', effect: 'loses its logs' },
  'EventStatusRole/DescribeWorkflowExecutions': fails('status'),
  'EventStatusRole/ReadLeaverExecutionHistory': fails('status'),
  'EventStatusRole/ReadAccountAlias': fails('status'),
  'EventStatusRole/ReadWebhookSigningSecret': fails('status'),
  'CreateUserRole/WriteOwnLogs': logs,
  'CreateUserRole/CreateOnlyBoundedUsersUnderOnboardedPath': fails('hire'),
  'CreateUserRole/TagNewUsersWithOnboardingTags': fails('hire'),
  'CreateUserRole/ReadUsersToResolveNameClashes': fails('nameClash'),
  'CreateUserRole/RehireDisabledUsers': fails('rehire'),
  'EnsureGroupsRole/WriteOwnLogs': logs,
  'EnsureGroupsRole/ManageOnboardedGroups': fails('hire'),
  'EnsureGroupsRole/AttachOnlyAllowListedPoliciesToGroups': fails('hire'),
  'EnsureGroupsRole/ReadTemplateUsers': fails('copyFromTemplate'),
  'EnsureGroupsRole/CopyAllowListedPoliciesFromTemplates': fails('copyFromTemplate'),
  'AttachPoliciesRole/WriteOwnLogs': logs,
  'AttachPoliciesRole/AttachOnlyAllowListedPolicies': fails('hire'),
  'AttachPoliciesRole/SetOnlyProfileBoundaries': fails('adoptWithoutBoundary'),
  'AttachPoliciesRole/ReadOnboardedUsers': fails('hire'),
  'GeneratePasswordRole/WriteOwnLogs': logs,
  'GeneratePasswordRole/ReadPasswordPolicy': fails('hire'),
  'GeneratePasswordRole/SetOnboardedLoginProfiles': fails('hire'),
  'GeneratePasswordRole/StoreTemporaryPasswords': fails('hire'),
  'NotifyUserRole/WriteOwnLogs': logs,
  'NotifyUserRole/ReadAccountAlias': fails('hire'),
  'NotifyUserRole/ReadOnboardedUserTags': fails('notifyRerun'),
  'NotifyUserRole/RecordNotified': fails('hire'),
  'NotifyUserRole/ReadAndDiscardTemporaryPasswords': fails('hire'),
  'NotifyUserRole/SendAsSender': fails('hire'),
  'NotifyOpsRole/WriteOwnLogs': { scenario: 'passwordRejected', effect: 'loses its logs' },
  'NotifyOpsRole/SendAsSender': { scenario: 'passwordRejected', effect: 'leaves ops untold' },
  'SweepTemporaryPasswordsRole/WriteOwnLogs': { scenario: 'swept', effect: 'loses its logs' },
  'SweepTemporaryPasswordsRole/FindTemporaryPasswords': fails('swept'),
  'SweepTemporaryPasswordsRole/DeleteTemporaryPasswords': fails('swept'),
  'SweepTemporaryPasswordsRole/ReadUsersToCheckOwnership': fails('swept'),
  'SweepTemporaryPasswordsRole/RevokeOnboardedFirstLoginPasswords': fails('swept'),
  'RevokeAbandonedPasswordRole/WriteOwnLogs': { scenario: 'stopped', effect: 'loses its logs' },
  'RevokeAbandonedPasswordRole/DescribeOnboardingExecutions': fails('stopped'),
  'RevokeAbandonedPasswordRole/FindTemporaryPasswords': fails('stopped'),
  'RevokeAbandonedPasswordRole/DeleteTemporaryPasswords': fails('stopped'),
  'RevokeAbandonedPasswordRole/ReadUsersToCheckOwnership': fails('stopped'),
  'RevokeAbandonedPasswordRole/RevokeOnboardedFirstLoginPasswords': fails('stopped'),
  'RevokeAbandonedPasswordRole/SendAsSender': { scenario: 'stopped', effect: 'leaves ops untold' },
  'FindUserRole/WriteOwnLogs': { scenario: 'move', effect: 'loses its logs' },
  'FindUserRole/ReadUsersByName': fails('move'),
  'FindUserRole/ListUsers': fails('moveRenamed'),
  'FindUserRole/ReadOnboardedUserTags': fails('moveRenamed'),
  'RemoveOldAccessRole/WriteOwnLogs': { scenario: 'move', effect: 'loses its logs' },
  'RemoveOldAccessRole/ReadManagedUsersGrants': fails('move'),
  'RemoveOldAccessRole/RemoveFromOnboardedGroups': fails('move'),
  'RemoveOldAccessRole/DetachOnlyAllowListedPolicies': fails('move'),
  'RecordEventRole/WriteOwnLogs': { scenario: 'move', effect: 'loses its logs' },
  'RecordEventRole/TagManagedUsersWithTheirRecord': fails('move'),
  'DisableUserRole/WriteOwnLogs': { scenario: 'leave', effect: 'loses its logs' },
  'DisableUserRole/ReadOnboardedUsers': fails('leave'),
  'DisableUserRole/DisableManagedUsers': fails('leave'),
  'DisableUserRole/TagManagedUsersDisabled': fails('leave'),
  'DisableUserRole/StopUnfinishedOnboardings': fails('leaveDuringOnboarding'),
  'DeleteUserRole/WriteOwnLogs': { scenario: 'leave', effect: 'loses its logs' },
  'DeleteUserRole/ReadUsersEvenOnceDeleted': fails('leave'),
  'DeleteUserRole/DeleteManagedUsersAndTheirDependents': fails('leave'),
  'DeleteUserRole/DeleteDeactivatedVirtualMfaDevices': fails('leave'),
  'DeleteUserRole/RemoveManagedUsersFromGroups': fails('leave'),
  'OnboardingStateMachineRole/InvokeTheWorkflowFunctions': fails('hire'),
  'MoverStateMachineRole/InvokeTheWorkflowFunctions': fails('move'),
  'LeaverStateMachineRole/InvokeTheWorkflowFunctions': fails('leave'),
};

/** Exercised by AWS itself, not by any call the local stack receives (see the least-privilege test). */
const AWS_ONLY = [
  'OnboardingStateMachineRole/DeliverExecutionLogs',
  'MoverStateMachineRole/DeliverExecutionLogs',
  'LeaverStateMachineRole/DeliverExecutionLogs',
];

let stack: TestStack;
let roles: Map<string, Role>;
let output: CapturedOutput;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ stack, roles, output, close } = await startStackWithEditableRoles());
});
afterAll(() => close());

describe('removing one statement of one role', () => {
  it('has a row for every statement of every role in serverless.yml', () => {
    const statements = [...roles.values()].flatMap((role) =>
      statementsOf(role).map((statement) => `${role.logicalId}/${statement.Sid ?? '(no Sid)'}`),
    );
    expect(statements.sort()).toEqual([...Object.keys(ROWS), ...AWS_ONLY].sort());
  });

  it.each(Object.entries(ROWS))(
    '%s: the run is denied an action of it',
    async (key, { scenario, effect }) => {
      // Arrange
      const [logicalId = '', sid = ''] = key.split('/');
      const role = roles.get(logicalId);
      if (!role) throw new Error(`no role ${logicalId}`);
      const removed = statementsOf(role).find((statement) => statement.Sid === sid);
      if (!removed) throw new Error(`no statement ${key}`);
      await stack.whenIdle();
      await stack.recycleFunctions(); // no container may answer from what it read before
      stack.resetPolicyStream();
      const logged = output.text().length;
      const restore = removeStatement(role, sid);

      // Act
      let end: string;
      try {
        end = await SCENARIOS[scenario].run(stack);
        await stack.whenIdle();
      } finally {
        restore();
      }

      // Assert
      const stream = await stack.policyStream();
      const denied = stream
        .filter((entry) => entry.principal === role.arn)
        .flatMap((entry) => entry.denied.map((denial) => denial.action.toLowerCase()));
      expect(denied.length).toBeGreaterThan(0);
      expect(actionsOf(removed).map((action) => action.toLowerCase())).toEqual(
        expect.arrayContaining(denied),
      );
      const log = output.text().slice(logged);
      expect(log).toMatch(
        new RegExp(
          `iam DENIED: arn:aws:sts::000000000000:assumed-role/${role.name}/\\S+ ${denied[0]} on \\S+: `,
          'i',
        ),
      );
      if (effect === 'fails') expect(end).not.toBe(SCENARIOS[scenario].ends);
      else expect(end).toBe(SCENARIOS[scenario].ends);
    },
  );
});
