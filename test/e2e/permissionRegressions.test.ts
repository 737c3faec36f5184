import type { Statement } from '../../local/authz/policyEvaluation';
import type { Role } from '../../local/authz/principals';
import {
  executionHistory,
  isCurrentPassword,
  passwordIn,
  secretNames,
  usersOfEmployee,
} from './support/inspect';
import { SCENARIOS } from './support/permissionScenarios';
import { startStackWithEditableRoles, statementsOf } from './support/roleEdits';
import { hireEvent, type TestStack } from './support/testStack';

/**
 * The faults the permissions enforcement found in the deployed roles, and the adoption fault, as
 * regression tests: each runs with today's serverless.yml, and (where it was a role fault) again with
 * the statement as it was, to show the enforcement would have caught it.
 */

const OPS_EMAIL = 'ops@example.com'; // serverless.yml params.default.opsEmail
const TEMPORARY_PASSWORDS = 'iam-onboarding/local/temporary-password/';

let stack: TestStack;
let roles: Map<string, Role>;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ stack, roles, close } = await startStackWithEditableRoles());
});
afterAll(() => close());

/** Replaces the statement `sid` of `logicalId` while `run` runs (after recycling the containers). */
async function withStatement<T>(
  logicalId: string,
  sid: string,
  edit: (statement: Statement) => Statement,
  run: () => Promise<T>,
): Promise<T> {
  const statement = statementsOf(roles.get(logicalId) as Role).find((candidate) => candidate.Sid === sid);
  if (!statement) throw new Error(`${logicalId} has no statement ${sid}`);
  const original = { ...statement };
  await stack.recycleFunctions();
  Object.assign(statement, edit(statement));
  try {
    return await run();
  } finally {
    for (const key of Object.keys(statement)) delete (statement as Record<string, unknown>)[key];
    Object.assign(statement, original);
  }
}

async function failedStep(executionArn: string): Promise<{ error?: string; cause?: string }> {
  const events = await executionHistory(stack.sfn, executionArn);
  const failed = events.findLast((event) => event.type === 'LambdaFunctionFailed');
  return failed?.lambdaFunctionFailedEventDetails ?? {};
}

describe('createUser tags the new user', () => {
  it('is allowed iam:TagUser by the tag keys, the only condition keys AWS documents for TagUser', async () => {
    const { json } = await stack.postHire(hireEvent());
    expect((await stack.settle(String(json.executionArn))).status).toBe('SUCCEEDED');
  });

  it('would have been denied iam:TagUser under the old iam:PermissionsBoundary condition', async () => {
    const old = await withStatement(
      'CreateUserRole',
      'TagNewUsersWithOnboardingTags',
      (statement) => ({
        ...statement,
        Condition: {
          StringEquals: {
            'iam:PermissionsBoundary': 'arn:aws:iam::000000000000:policy/iam-onboarding-boundary',
          },
        },
      }),
      async () => {
        const { json } = await stack.postHire(hireEvent());
        const executionArn = String(json.executionArn);
        return { execution: await stack.settle(executionArn), failure: await failedStep(executionArn) };
      },
    );
    expect(old.execution.status).toBe('FAILED');
    expect(old.failure.error).toBe('AccessDeniedError');
    expect(old.failure.cause).toContain(
      'is not authorized to perform: iam:TagUser on resource: arn:aws:iam::000000000000:user/onboarded/',
    );
  });
});

describe('generatePassword after a permanent failure', () => {
  it('deletes the stored password', async () => {
    const before = (await secretNames(stack.secrets)).filter((name) => name.startsWith(TEMPORARY_PASSWORDS));
    expect(await SCENARIOS.passwordRejected.run(stack)).toBe('FAILED');
    await stack.whenIdle();
    const after = (await secretNames(stack.secrets)).filter((name) => name.startsWith(TEMPORARY_PASSWORDS));
    expect(after).toEqual(before);
  });

  it('would have kept it without secretsmanager:DeleteSecret, the denial logged', async () => {
    const before = (await secretNames(stack.secrets)).filter((name) => name.startsWith(TEMPORARY_PASSWORDS));
    stack.resetPolicyStream();
    await withStatement(
      'GeneratePasswordRole',
      'StoreTemporaryPasswords',
      (statement) => ({
        ...statement,
        Action: (statement.Action as string[]).filter((action) => action !== 'secretsmanager:DeleteSecret'),
      }),
      async () => {
        await SCENARIOS.passwordRejected.run(stack);
        await stack.whenIdle();
      },
    );
    const after = (await secretNames(stack.secrets)).filter((name) => name.startsWith(TEMPORARY_PASSWORDS));
    expect(after.length).toBe(before.length + 1);
    const denied = (await stack.policyStream()).flatMap((entry) =>
      entry.denied.map((denial) => denial.action),
    );
    expect(denied).toEqual(['secretsmanager:DeleteSecret']);
  });
});

describe('a second employee.hired for an onboarded employee', () => {
  it('changes nothing: no new group, no password reset, no email to the new address; ops are alerted', async () => {
    // Arrange: Ada is onboarded in Engineering.
    const first = hireEvent();
    const { json: started } = await stack.postHire(first);
    expect((await stack.settle(String(started.executionArn))).status).toBe('SUCCEEDED');
    const [before] = await usersOfEmployee(stack.iam, first.employee.id);
    const [passwordEmail] = await stack.emailsTo(first.employee.managerEmail);
    const password = passwordIn(passwordEmail) ?? '';
    const alertsBefore = (await stack.emailsTo(OPS_EMAIL)).length;
    const welcomesBefore = (await stack.emailsTo(first.employee.workEmail)).length;

    // Act: a new eventId, Finance, another manager.
    const second = hireEvent({
      employee: { ...first.employee, department: 'Finance', managerEmail: 'attacker@example.com' },
    });
    const { json } = await stack.postHire(second);
    const executionArn = String(json.executionArn);
    const execution = await stack.settle(executionArn);

    // Assert
    expect(execution.status).toBe('FAILED');
    expect((await failedStep(executionArn)).error).toBe('UserAdoptionRefusedError');
    expect(await usersOfEmployee(stack.iam, first.employee.id)).toEqual([before]);
    expect(before?.groups).toEqual(['Developers']);
    expect(isCurrentPassword(stack.dataDir, before?.userName ?? '', password)).toBe(true);
    expect(await stack.emailsTo('attacker@example.com')).toEqual([]);
    expect(await stack.emailsTo(first.employee.workEmail)).toHaveLength(welcomesBefore);
    const alerts = await stack.emailsTo(OPS_EMAIL);
    expect(alerts.length).toBe(alertsBefore + 1);
    expect(alerts.at(-1)?.body.text).toContain('UserAdoptionRefusedError');
  });
});
