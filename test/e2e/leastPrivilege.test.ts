import { resolve } from 'node:path';
import type { PolicyStreamEntry } from '../../local/authz/authorizer';
import { loadServiceConfig } from '../../local/serverlessConfig';
import { SCENARIOS, type ScenarioName } from './support/permissionScenarios';
import { startTestStack, type TestStack } from './support/testStack';

/**
 * Least privilege shown, not claimed: the whole surface of the onboarding runs under the enforced
 * roles of serverless.yml; no call is denied, and no action a role grants goes unused.
 */

/**
 * Grants exercised by AWS services the local stack does not emulate: the state machine's CloudWatch
 * Logs delivery (serverless.yml, statement DeliverExecutionLogs). Read from serverless.yml.
 */
function logDeliveryActions(): string[] {
  const config = loadServiceConfig(resolve(__dirname, '../..'), { stage: 'local' });
  const role = config.resources.OnboardingStateMachineRole?.Properties as {
    Policies: Array<{ PolicyDocument: { Statement: Array<{ Sid?: string; Action: string[] }> } }>;
  };
  const statement = role.Policies.flatMap((policy) => policy.PolicyDocument.Statement).find(
    (candidate) => candidate.Sid === 'DeliverExecutionLogs',
  );
  if (!statement) throw new Error('serverless.yml: no DeliverExecutionLogs statement');
  return statement.Action;
}

let stack: TestStack;
let stream: PolicyStreamEntry[];
const outcomes: Partial<Record<ScenarioName, string>> = {};

beforeAll(async () => {
  stack = await startTestStack();
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    outcomes[name as ScenarioName] = await scenario.run(stack);
  }
  stream = await stack.policyStream();
}, 240_000);

afterAll(() => stack.close());

describe('least privilege, across the whole onboarding surface', () => {
  it('runs every scenario to its expected end', () => {
    expect(outcomes).toEqual(
      Object.fromEntries(Object.entries(SCENARIOS).map(([name, scenario]) => [name, scenario.ends])),
    );
  });

  it('denies no call of any principal', () => {
    expect(
      stream.flatMap((entry) => entry.denied.map((denial) => ({ principal: entry.principal, ...denial }))),
    ).toEqual([]);
  });

  it('sees every function role and every state machine role at work', () => {
    const roles = stream.map((entry) => entry.principal).filter((arn) => arn.includes(':role/'));
    const expected = [
      'WebhookRole',
      'EventStatusRole',
      'CreateUserRole',
      'EnsureGroupsRole',
      'AttachPoliciesRole',
      'GeneratePasswordRole',
      'NotifyUserRole',
      'NotifyOpsRole',
      'SweepTemporaryPasswordsRole',
      'RevokeAbandonedPasswordRole',
      'FindUserRole',
      'RemoveOldAccessRole',
      'RecordEventRole',
      'DisableUserRole',
      'DeleteUserRole',
      'OnboardingStateMachineRole',
      'MoverStateMachineRole',
      'LeaverStateMachineRole',
    ];
    expect(expected.filter((role) => !roles.some((arn) => arn.includes(`-${role}-`)))).toEqual([]);
  });

  it('leaves no granted action unused, but the log delivery AWS does itself', () => {
    const unused = Object.fromEntries(
      stream
        .filter((entry) => entry.principal.includes(':role/'))
        .map((entry) => [entry.principal, entry.unused]),
    );
    const stateMachines = Object.keys(unused).filter((arn) => /-\w+StateMachineRole-/.test(arn));
    expect(stateMachines).toHaveLength(3);
    for (const stateMachine of stateMachines) {
      expect(unused[stateMachine]?.map((action) => action.toLowerCase()).sort()).toEqual(
        logDeliveryActions()
          .map((action) => action.toLowerCase())
          .sort(),
      );
      delete unused[stateMachine];
    }
    expect(Object.fromEntries(Object.entries(unused).filter(([, actions]) => actions.length > 0))).toEqual(
      {},
    );
  });
});
