import {
  AttachUserPolicyCommand,
  type ContextEntry,
  CreateUserCommand,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import profiles from '../../config/access-profiles.json';
import { LOCAL_ACCOUNT_ID } from '../../local/stack';
import { hireEvent, startTestStack, type TestStack } from './support/testStack';

/**
 * What an onboarded user may do, for every access profile, as IAM's policy simulator answers it
 * (the user's group and user policies within the permissions boundary). Expected decisions are the
 * design's promises: self-service of the password and an MFA device (AWS's self-manage-MFA example),
 * never account administration.
 */

const ACCOUNT = LOCAL_ACCOUNT_ID;
const OTHER_USER = `arn:aws:iam::${ACCOUNT}:user/onboarded/someone.else`;
const MFA_PRESENT: ContextEntry[] = [
  { ContextKeyName: 'aws:MultiFactorAuthPresent', ContextKeyType: 'boolean', ContextKeyValues: ['true'] },
];

type Check = {
  action: string;
  resource: (user: { arn: string; name: string }) => string;
  context?: ContextEntry[];
};
const own = (user: { arn: string }) => user.arn;
const any = () => '*';

const ALLOWED: Check[] = [
  { action: 'iam:ChangePassword', resource: own },
  { action: 'iam:GetAccountPasswordPolicy', resource: any },
  { action: 'iam:GetUser', resource: own },
  { action: 'iam:ListVirtualMFADevices', resource: any },
  { action: 'iam:CreateVirtualMFADevice', resource: (user) => `arn:aws:iam::${ACCOUNT}:mfa/${user.name}` },
  { action: 'iam:EnableMFADevice', resource: own },
  { action: 'iam:ListMFADevices', resource: own },
  { action: 'iam:ResyncMFADevice', resource: own },
  { action: 'iam:DeactivateMFADevice', resource: own, context: MFA_PRESENT },
  { action: 'iam:DeleteVirtualMFADevice', resource: (user) => `arn:aws:iam::${ACCOUNT}:mfa/${user.name}` },
];

const DENIED: Check[] = [
  { action: 'iam:DeactivateMFADevice', resource: own },
  { action: 'iam:ChangePassword', resource: () => OTHER_USER },
  { action: 'iam:EnableMFADevice', resource: () => OTHER_USER },
  { action: 'iam:PutUserPermissionsBoundary', resource: own },
  { action: 'iam:DeleteUserPermissionsBoundary', resource: own },
  { action: 'iam:AttachUserPolicy', resource: own },
  { action: 'iam:PutUserPolicy', resource: own },
  {
    action: 'iam:CreatePolicyVersion',
    resource: () => `arn:aws:iam::${ACCOUNT}:policy/iam-onboarding-boundary`,
  },
  { action: 'iam:CreateUser', resource: () => `arn:aws:iam::${ACCOUNT}:user/intruder` },
  { action: 'iam:CreateRole', resource: () => `arn:aws:iam::${ACCOUNT}:role/intruder` },
  { action: 'iam:CreateAccessKey', resource: () => OTHER_USER },
  { action: 'iam:CreateAccessKey', resource: own },
  { action: 'iam:CreateLoginProfile', resource: () => OTHER_USER },
  { action: 'iam:UpdateAccountPasswordPolicy', resource: any },
  { action: 'iam:CreateAccountAlias', resource: any },
  { action: 'organizations:LeaveOrganization', resource: any },
  { action: 'account:PutAlternateContact', resource: any },
];

let stack: TestStack;
const users: Array<{ profile: string; arn: string; name: string }> = [];

beforeAll(async () => {
  stack = await startTestStack();
  // The Internal Audit profile copies the permissions of this template user.
  await stack.iam.send(new CreateUserCommand({ UserName: 'audit-template' }));
  await stack.iam.send(
    new AttachUserPolicyCommand({
      UserName: 'audit-template',
      PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
    }),
  );
  for (const profile of profiles.profiles) {
    const event = hireEvent({
      employee: {
        department: profile.department,
        ...(profile.jobTitle ? { jobTitle: profile.jobTitle } : {}),
      },
    });
    const { json } = await stack.postHire(event);
    const execution = await stack.settle(String(json.executionArn));
    if (execution.status !== 'SUCCEEDED') throw new Error(`${profile.department}: ${execution.status}`);
    const { user } = JSON.parse(execution.output ?? '{}') as { user: { userName: string; userArn: string } };
    users.push({
      profile: `${profile.department} ${profile.jobTitle ?? ''}`.trim(),
      arn: user.userArn,
      name: user.userName,
    });
  }
}, 60_000);

afterAll(() => stack.close());

async function decision(user: { arn: string; name: string }, check: Check): Promise<string | undefined> {
  const { EvaluationResults } = await stack.iam.send(
    new SimulatePrincipalPolicyCommand({
      PolicySourceArn: user.arn,
      ActionNames: [check.action],
      ResourceArns: [check.resource(user)],
      ContextEntries: check.context,
    }),
  );
  return EvaluationResults?.[0]?.EvalDecision;
}

describe('an onboarded user', () => {
  it('exists for every access profile', () => {
    expect(users).toHaveLength(profiles.profiles.length);
  });

  describe.each(ALLOWED.map((check) => [check.action, check] as const))('may %s', (_action, check) => {
    it.each(profiles.profiles.map((_, index) => [index]))('(profile %#)', async (index) => {
      const user = users[index];
      if (!user) throw new Error('no user for this profile');
      expect(await decision(user, check)).toBe('allowed');
    });
  });

  describe.each(DENIED.map((check) => [check.action, check] as const))('may not %s', (_action, check) => {
    it.each(profiles.profiles.map((_, index) => [index]))('(profile %#)', async (index) => {
      const user = users[index];
      if (!user) throw new Error('no user for this profile');
      expect(await decision(user, check)).not.toBe('allowed');
    });
  });

  it('keeps the work its groups grant inside the boundary: a developer may describe EC2 instances, finance may not', async () => {
    const developer = users.find((user) => user.profile === 'Engineering');
    const finance = users.find((user) => user.profile === 'Finance');
    if (!developer || !finance) throw new Error('missing profile users');
    const describe: Check = { action: 'ec2:DescribeInstances', resource: any };
    expect(await decision(developer, describe)).toBe('allowed');
    expect(await decision(finance, describe)).toBe('implicitDeny');
  });

  it('reports what the permissions boundary decided', async () => {
    const [user] = users;
    if (!user) throw new Error('no user');
    const { EvaluationResults } = await stack.iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: user.arn,
        ActionNames: ['iam:CreateUser', 'iam:ChangePassword'],
        ResourceArns: [user.arn],
      }),
    );
    expect(EvaluationResults?.map((result) => result.PermissionsBoundaryDecisionDetail)).toEqual([
      { AllowedByPermissionsBoundary: false },
      { AllowedByPermissionsBoundary: true },
    ]);
  });
});
