import { resolve } from 'node:path';
import { evaluate, type PolicyDocument } from '../../local/authz/policyEvaluation';
import { loadServiceConfig, resolveIntrinsics } from '../../local/serverlessConfig';

/**
 * The permissions boundary of serverless.yml, evaluated on its own: the ceiling of every onboarded
 * user. Expected decisions are the design's: self-service of password and MFA (AWS's
 * self-manage-MFA example), nothing else of IAM, Organizations or account settings.
 */

const ACCOUNT = '123456789012';
const config = loadServiceConfig(resolve(__dirname, '../..'), { stage: 'test' });
const boundary = resolveIntrinsics(config.resources.OnboardingBoundaryPolicy?.Properties?.PolicyDocument, {
  accountId: ACCOUNT,
  region: 'us-east-1',
  refs: {},
}) as PolicyDocument;
const ada = `arn:aws:iam::${ACCOUNT}:user/onboarded/ada`;
const keys = { 'aws:username': 'ada' };

const decide = (action: string, resource: string, extra: Record<string, string> = {}) =>
  evaluate(
    { action, resource, keys: { ...keys, ...extra } },
    { identity: [{ name: 'boundary', document: boundary }] },
  ).decision;

describe('the onboarding permissions boundary', () => {
  it.each([
    ['iam:ChangePassword', ada],
    ['iam:GetAccountPasswordPolicy', '*'],
    ['iam:CreateVirtualMFADevice', `arn:aws:iam::${ACCOUNT}:mfa/ada`],
    ['iam:EnableMFADevice', ada],
    ['iam:ListMFADevices', ada],
    ['ec2:RunInstances', `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/*`],
    ['s3:GetObject', 'arn:aws:s3:::bucket/key'],
  ])('allows %s on %s', (action, resource) => {
    expect(decide(action, resource)).toBe('Allow');
  });

  it.each([
    ['iam:ChangePassword', `arn:aws:iam::${ACCOUNT}:user/onboarded/grace`],
    ['iam:EnableMFADevice', `arn:aws:iam::${ACCOUNT}:user/onboarded/grace`],
    ['iam:DeleteVirtualMFADevice', `arn:aws:iam::${ACCOUNT}:mfa/grace`],
    ['iam:DeactivateMFADevice', ada],
    ['iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/x`],
    ['iam:PutUserPermissionsBoundary', ada],
    ['iam:CreateAccessKey', ada],
    ['iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/admin`],
    ['organizations:LeaveOrganization', '*'],
    ['account:PutAlternateContact', '*'],
  ])('does not allow %s on %s', (action, resource) => {
    expect(decide(action, resource)).toBe('ImplicitDeny');
  });

  it('allows deactivating the own MFA device only in an MFA-authenticated session', () => {
    expect(decide('iam:DeactivateMFADevice', ada, { 'aws:MultiFactorAuthPresent': 'true' })).toBe('Allow');
  });

  it('was the fault the enforcement found: the old boundary left no way to set up MFA', () => {
    const old: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
        {
          Effect: 'Allow',
          Action: ['iam:ChangePassword', 'iam:GetAccountPasswordPolicy', 'iam:GetUser'],
          Resource: '*',
        },
      ],
    };
    const withOld = evaluate(
      { action: 'iam:CreateVirtualMFADevice', resource: `arn:aws:iam::${ACCOUNT}:mfa/ada`, keys },
      { identity: [{ name: 'old', document: old }] },
    );
    expect(withOld.decision).toBe('ImplicitDeny');
  });
});
