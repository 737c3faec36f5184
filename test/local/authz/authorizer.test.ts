import { Authorizer } from '../../../local/authz/authorizer';
import type { PolicyDocument, Statement } from '../../../local/authz/policyEvaluation';
import type { Principal } from '../../../local/authz/principals';

const ROLE_ARN = 'arn:aws:iam::123456789012:role/CreateUserRole';
const SESSION_ARN = 'arn:aws:sts::123456789012:assumed-role/CreateUserRole/createUser';
const USER = 'arn:aws:iam::123456789012:user/onboarded/ada';

const doc = (...Statement: Statement[]): PolicyDocument => ({ Version: '2012-10-17', Statement });
const principal = (identity: PolicyDocument, boundary?: PolicyDocument): Principal => ({
  arn: SESSION_ARN,
  principalArn: ROLE_ARN,
  type: 'AssumedRole',
  userId: 'AROAEXAMPLE:createUser',
  accountId: '123456789012',
  credentials: { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' },
  policies: () => ({
    identity: [{ name: 'CreateUserRole/createUser', document: identity }],
    ...(boundary && { boundary: { name: 'boundary', document: boundary } }),
  }),
});
const allow = (
  Action: string | string[],
  Resource: string | string[] = '*',
  Condition?: Statement['Condition'],
) => ({
  Effect: 'Allow' as const,
  Action,
  Resource,
  ...(Condition && { Condition }),
});

let logged: string[];
const authorizer = (mode: 'enforce' | 'soft' = 'enforce') =>
  new Authorizer(mode, 'us-east-1', (line) => logged.push(line));
beforeEach(() => {
  logged = [];
});

describe('Authorizer', () => {
  describe("answers AWS's AccessDenied message", () => {
    it.each([
      {
        when: 'no identity-based policy allows the action',
        identity: doc(allow('iam:GetUser')),
        boundary: undefined,
        ending: 'because no identity-based policy allows the iam:CreateUser action',
      },
      {
        when: 'an identity-based policy denies it',
        identity: doc(allow('iam:*'), { Effect: 'Deny', Action: 'iam:CreateUser', Resource: '*' }),
        boundary: undefined,
        ending: 'with an explicit deny in an identity-based policy',
      },
      {
        when: 'the permissions boundary does not allow it',
        identity: doc(allow('iam:*')),
        boundary: doc(allow('iam:GetUser')),
        ending: 'because no permissions boundary allows the iam:CreateUser action',
      },
      {
        when: 'the permissions boundary denies it',
        identity: doc(allow('iam:*')),
        boundary: doc(allow('*'), { Effect: 'Deny', Action: 'iam:Create*', Resource: '*' }),
        ending: 'with an explicit deny in a permissions boundary',
      },
    ])('when $when', async ({ identity, boundary, ending }) => {
      const message = await authorizer().deniedMessage(principal(identity, boundary), [
        { action: 'iam:CreateUser', resource: USER },
      ]);
      expect(message).toBe(
        `User: ${SESSION_ARN} is not authorized to perform: iam:CreateUser on resource: ${USER} ${ending}`,
      );
    });
  });

  describe('builds the request context AWS builds for the action', () => {
    it('drops condition keys AWS does not document for the action (TagUser has no iam:PermissionsBoundary)', async () => {
      const identity = doc(
        allow('iam:TagUser', USER, {
          StringEquals: { 'iam:PermissionsBoundary': 'arn:aws:iam::123456789012:policy/b' },
        }),
      );
      const keys = { 'iam:PermissionsBoundary': 'arn:aws:iam::123456789012:policy/b' };
      const message = await authorizer().deniedMessage(principal(identity), [
        { action: 'iam:TagUser', resource: USER, keys },
      ]);
      expect(message).toContain('iam:TagUser');
    });

    it('keeps the keys it documents (CreateUser has iam:PermissionsBoundary)', async () => {
      const identity = doc(
        allow('iam:CreateUser', USER, {
          StringEquals: { 'iam:PermissionsBoundary': 'arn:aws:iam::123456789012:policy/b' },
        }),
      );
      const keys = { 'iam:PermissionsBoundary': 'arn:aws:iam::123456789012:policy/b' };
      await expect(
        authorizer().deniedMessage(principal(identity), [{ action: 'iam:CreateUser', resource: USER, keys }]),
      ).resolves.toBeUndefined();
    });

    it('keeps tag keys by their documented pattern (aws:RequestTag/<key>)', async () => {
      const identity = doc(
        allow('iam:TagUser', USER, { StringEquals: { 'aws:RequestTag/managedBy': 'iam-onboarding' } }),
      );
      const tagged = (value: string) =>
        authorizer().deniedMessage(principal(identity), [
          { action: 'iam:TagUser', resource: USER, keys: { 'aws:RequestTag/managedBy': value } },
        ]);
      await expect(tagged('iam-onboarding')).resolves.toBeUndefined();
      await expect(tagged('someone-else')).resolves.toContain('not authorized');
    });

    it('adds the global keys: aws:PrincipalArn is the role, aws:userid the session', async () => {
      const identity = doc(
        allow('sts:GetCallerIdentity', '*', {
          ArnEquals: { 'aws:PrincipalArn': ROLE_ARN },
          StringLike: { 'aws:userid': 'AROAEXAMPLE:*' },
        }),
      );
      await expect(
        authorizer().deniedMessage(principal(identity), [{ action: 'sts:GetCallerIdentity', resource: '*' }]),
      ).resolves.toBeUndefined();
    });

    it('refuses to evaluate an action AWS does not have', async () => {
      await expect(
        authorizer().deniedMessage(principal(doc(allow('*'))), [
          { action: 'iam:CreateUsers', resource: USER },
        ]),
      ).rejects.toThrow(/CreateUsers/);
    });
  });

  describe('in soft mode', () => {
    it('logs the denial with the principal, action, resource and why, and allows the call', async () => {
      const message = await authorizer('soft').deniedMessage(principal(doc(allow('iam:GetUser'))), [
        { action: 'iam:CreateUser', resource: USER },
      ]);
      expect(message).toBeUndefined();
      expect(logged).toEqual([
        `iam would deny (soft mode): ${SESSION_ARN} iam:CreateUser on ${USER}: no identity-based policy statement allows it`,
      ]);
    });
  });

  describe('the policy stream', () => {
    it('lists per principal the actions used, the granted ones unused, and the denials', async () => {
      const checks = authorizer();
      const caller = principal(doc(allow(['iam:CreateUser', 'iam:GetUser', 'iam:TagUser'])));
      await checks.deniedMessage(caller, [{ action: 'iam:CreateUser', resource: USER }]);
      await checks.deniedMessage(caller, [{ action: 'iam:DeleteUser', resource: USER }]);
      expect(await checks.policyStream()).toEqual([
        {
          principal: ROLE_ARN,
          used: ['iam:CreateUser'],
          unused: ['iam:GetUser', 'iam:TagUser'],
          denied: [
            {
              action: 'iam:DeleteUser',
              resource: USER,
              reason: 'no identity-based policy statement allows it',
            },
          ],
        },
      ]);
    });

    it('expands wildcards in what a policy grants to the documented actions', async () => {
      const checks = authorizer();
      const caller = principal(doc(allow('iam:*LoginProfile')));
      await checks.deniedMessage(caller, [{ action: 'iam:GetLoginProfile', resource: USER }]);
      const [entry] = await checks.policyStream();
      expect(entry?.unused).toEqual([
        'iam:CreateLoginProfile',
        'iam:DeleteLoginProfile',
        'iam:UpdateLoginProfile',
      ]);
    });
  });
});
