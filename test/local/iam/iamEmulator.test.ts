import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachUserPolicyCommand,
  CreateAccountAliasCommand,
  CreateGroupCommand,
  CreateLoginProfileCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  DeleteAccountAliasCommand,
  DeleteAccountPasswordPolicyCommand,
  DeleteGroupCommand,
  DeleteLoginProfileCommand,
  DeletePolicyCommand,
  DeleteUserCommand,
  DeleteUserPermissionsBoundaryCommand,
  DetachUserPolicyCommand,
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  GetGroupCommand,
  GetLoginProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetUserCommand,
  IAMClient,
  ListAccountAliasesCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsCommand,
  ListGroupsForUserCommand,
  ListPoliciesCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  PutUserPermissionsBoundaryCommand,
  RemoveUserFromGroupCommand,
  TagUserCommand,
  UntagUserCommand,
  UpdateAccountPasswordPolicyCommand,
  UpdateLoginProfileCommand,
} from '@aws-sdk/client-iam';
import { ACCOUNT, failure, type IamEmulator, startIamEmulator } from './iamServer';

const AWS_POLICY = (name: string) => `arn:aws:iam::aws:policy/${name}`;
const SERVICE_ROLE_POLICY = 'arn:aws:iam::aws:policy/aws-service-role/AWSSupportServiceRolePolicy';
const STRONG_PASSWORD = 'Correct-Horse-7';
const ALLOW_ALL = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
});

/** The first 11 AWS managed policies the emulator ships, to reach the 10-per-entity quota. */
const ELEVEN_POLICIES = [
  'AdministratorAccess',
  'PowerUserAccess',
  'ReadOnlyAccess',
  'AmazonEC2FullAccess',
  'AmazonS3ReadOnlyAccess',
  'AmazonS3FullAccess',
  'CloudWatchReadOnlyAccess',
  'AWSBillingReadOnlyAccess',
  'IAMUserChangePassword',
  'IAMReadOnlyAccess',
  'job-function/ViewOnlyAccess',
].map(AWS_POLICY);

describe('IAM emulator', () => {
  let dataDir: string;
  let emulator: IamEmulator;
  let iam: IAMClient;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'iam-emulator-'));
    emulator = await startIamEmulator(dataDir);
    iam = emulator.iam;
  });

  afterEach(async () => {
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const createUser = (UserName: string, Path?: string) => iam.send(new CreateUserCommand({ UserName, Path }));
  const createGroup = (GroupName: string) => iam.send(new CreateGroupCommand({ GroupName }));

  describe('CreateUser', () => {
    it('creates a user with path, tags and permissions boundary that GetUser returns', async () => {
      const boundary = AWS_POLICY('ReadOnlyAccess');
      const created = await iam.send(
        new CreateUserCommand({
          UserName: 'Ada.Lovelace',
          Path: '/engineering/',
          PermissionsBoundary: boundary,
          Tags: [{ Key: 'employeeId', Value: 'E-1001' }],
        }),
      );

      const { User } = await iam.send(new GetUserCommand({ UserName: 'Ada.Lovelace' }));

      expect(User).toEqual(created.User);
      expect(User).toMatchObject({
        UserName: 'Ada.Lovelace',
        Path: '/engineering/',
        Arn: `arn:aws:iam::${ACCOUNT}:user/engineering/Ada.Lovelace`,
        PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: boundary },
        Tags: [{ Key: 'employeeId', Value: 'E-1001' }],
      });
      expect(User?.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
      expect(User?.CreateDate).toBeInstanceOf(Date);
    });

    it('refuses a name that differs only in case and keeps the original case', async () => {
      await createUser('Grace');

      const error = await failure(createUser('GRACE'));
      const { User } = await iam.send(new GetUserCommand({ UserName: 'grace' }));

      expect(error.name).toBe('EntityAlreadyExistsException');
      expect(error.$metadata.httpStatusCode).toBe(409);
      expect(error.message).toBe('User with name GRACE already exists.');
      expect(User?.UserName).toBe('Grace');
    });

    it('rejects a name with characters outside [\\w+=,.@-] as ValidationError', async () => {
      const error = await failure(createUser('ada lovelace'));

      expect(error.name).toBe('ValidationError');
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(error.message).toBe(
        "1 validation error detected: Value 'ada lovelace' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
      );
    });

    it('rejects a user name longer than 64 characters and a path without a trailing slash', async () => {
      const tooLong = await failure(createUser('a'.repeat(65)));
      const badPath = await failure(createUser('ada', '/engineering'));

      expect(tooLong.message).toContain('Member must have length less than or equal to 64');
      expect(badPath.name).toBe('ValidationError');
      expect(badPath.message).toContain("at 'path'");
    });

    it('answers NoSuchEntity for a permissions boundary that is not an existing policy', async () => {
      const missing = `arn:aws:iam::${ACCOUNT}:policy/no-such-boundary`;

      const error = await failure(
        iam.send(new CreateUserCommand({ UserName: 'ada', PermissionsBoundary: missing })),
      );

      expect(error.name).toBe('NoSuchEntityException');
      expect(error.message).toBe(`Scope ARN: ${missing} does not exist or is not attachable.`);
      expect((await failure(iam.send(new GetUserCommand({ UserName: 'ada' })))).name).toBe(
        'NoSuchEntityException',
      );
    });

    it('answers InvalidInput for a permissions boundary that is not a policy ARN', async () => {
      const error = await failure(
        iam.send(
          new CreateUserCommand({ UserName: 'ada', PermissionsBoundary: `arn:aws:iam::${ACCOUNT}:user/bob` }),
        ),
      );

      expect(error.name).toBe('InvalidInputException');
    });

    it('rejects more than 50 tags and duplicate tag keys', async () => {
      const tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));

      const tooMany = await failure(iam.send(new CreateUserCommand({ UserName: 'ada', Tags: tags })));
      const duplicate = await failure(
        iam.send(
          new CreateUserCommand({
            UserName: 'ada',
            Tags: [
              { Key: 'Team', Value: 'a' },
              { Key: 'team', Value: 'b' },
            ],
          }),
        ),
      );

      expect(tooMany.name).toBe('ValidationError');
      expect(duplicate.name).toBe('InvalidInputException');
    });
  });

  describe('GetUser', () => {
    it('answers NoSuchEntity with HTTP 404 for an unknown user', async () => {
      const error = await failure(iam.send(new GetUserCommand({ UserName: 'nobody' })));

      expect(error.name).toBe('NoSuchEntityException');
      expect(error.$metadata.httpStatusCode).toBe(404);
      expect(error.message).toBe('The user with name nobody cannot be found.');
    });
  });

  describe('ListUsers', () => {
    it('filters by path prefix and lists users without tags or boundary', async () => {
      await iam.send(
        new CreateUserCommand({
          UserName: 'ada',
          Path: '/engineering/',
          Tags: [{ Key: 'team', Value: 'x' }],
        }),
      );
      await createUser('bob', '/finance/');

      const { Users } = await iam.send(new ListUsersCommand({ PathPrefix: '/engineering/' }));

      expect(Users?.map((user) => user.UserName)).toEqual(['ada']);
      expect(Users?.[0]?.Tags).toBeUndefined();
    });

    it('pages with MaxItems and Marker until IsTruncated is false', async () => {
      for (const name of ['e', 'a', 'd', 'b', 'c']) await createUser(name);

      const first = await iam.send(new ListUsersCommand({ MaxItems: 2 }));
      const second = await iam.send(new ListUsersCommand({ MaxItems: 2, Marker: first.Marker }));
      const third = await iam.send(new ListUsersCommand({ MaxItems: 2, Marker: second.Marker }));

      expect(first.Users?.map((u) => u.UserName)).toEqual(['a', 'b']);
      expect(first.IsTruncated).toBe(true);
      expect(second.Users?.map((u) => u.UserName)).toEqual(['c', 'd']);
      expect(third.Users?.map((u) => u.UserName)).toEqual(['e']);
      expect(third.IsTruncated).toBe(false);
      expect(third.Marker).toBeUndefined();
    });
  });

  describe('TagUser and UntagUser', () => {
    it('replaces a tag whose key matches case-insensitively and removes tags by key', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'ada', Tags: [{ Key: 'Team', Value: 'red' }] }));

      await iam.send(
        new TagUserCommand({
          UserName: 'ada',
          Tags: [
            { Key: 'team', Value: 'blue' },
            { Key: 'cost-center', Value: '42' },
          ],
        }),
      );
      await iam.send(new UntagUserCommand({ UserName: 'ada', TagKeys: ['COST-CENTER'] }));
      const { Tags } = await iam.send(new ListUserTagsCommand({ UserName: 'ada' }));

      expect(Tags).toEqual([{ Key: 'team', Value: 'blue' }]);
    });
  });

  describe('PutUserPermissionsBoundary', () => {
    it('sets and removes a boundary and counts its usage on the policy', async () => {
      const { Policy } = await iam.send(
        new CreatePolicyCommand({ PolicyName: 'onboarding-boundary', PolicyDocument: ALLOW_ALL }),
      );
      await createUser('ada');

      await iam.send(
        new PutUserPermissionsBoundaryCommand({ UserName: 'ada', PermissionsBoundary: Policy?.Arn }),
      );
      const withBoundary = await iam.send(new GetUserCommand({ UserName: 'ada' }));
      const usage = await iam.send(new GetPolicyCommand({ PolicyArn: Policy?.Arn }));
      await iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName: 'ada' }));
      const withoutBoundary = await iam.send(new GetUserCommand({ UserName: 'ada' }));

      expect(withBoundary.User?.PermissionsBoundary?.PermissionsBoundaryArn).toBe(Policy?.Arn);
      expect(usage.Policy?.PermissionsBoundaryUsageCount).toBe(1);
      expect(withoutBoundary.User?.PermissionsBoundary).toBeUndefined();
    });
  });

  describe('DeleteUser', () => {
    beforeEach(async () => {
      await createUser('ada');
    });

    it('refuses a user that still has a login profile', async () => {
      await iam.send(new CreateLoginProfileCommand({ UserName: 'ada', Password: STRONG_PASSWORD }));

      const error = await failure(iam.send(new DeleteUserCommand({ UserName: 'ada' })));

      expect(error.name).toBe('DeleteConflictException');
      expect(error.$metadata.httpStatusCode).toBe(409);
      expect(error.message).toBe('Cannot delete entity, must delete login profile first.');
    });

    it('refuses a user that is still in a group', async () => {
      await createGroup('Developers');
      await iam.send(new AddUserToGroupCommand({ GroupName: 'Developers', UserName: 'ada' }));

      const error = await failure(iam.send(new DeleteUserCommand({ UserName: 'ada' })));

      expect(error.name).toBe('DeleteConflictException');
      expect(error.message).toBe('Cannot delete entity, must remove users from group first.');
    });

    it('refuses a user that still has attached policies', async () => {
      await iam.send(
        new AttachUserPolicyCommand({ UserName: 'ada', PolicyArn: AWS_POLICY('IAMUserChangePassword') }),
      );

      const error = await failure(iam.send(new DeleteUserCommand({ UserName: 'ada' })));

      expect(error.name).toBe('DeleteConflictException');
      expect(error.message).toBe('Cannot delete entity, must detach all policies first.');
    });

    it('deletes the user once every dependency is removed', async () => {
      await createGroup('Developers');
      await iam.send(new AddUserToGroupCommand({ GroupName: 'Developers', UserName: 'ada' }));
      await iam.send(new CreateLoginProfileCommand({ UserName: 'ada', Password: STRONG_PASSWORD }));
      await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'Developers', UserName: 'ada' }));
      await iam.send(new DeleteLoginProfileCommand({ UserName: 'ada' }));

      await iam.send(new DeleteUserCommand({ UserName: 'ADA' }));

      expect((await failure(iam.send(new GetUserCommand({ UserName: 'ada' })))).name).toBe(
        'NoSuchEntityException',
      );
    });
  });

  describe('Groups', () => {
    it('GetGroup returns the group and its members, ListGroupsForUser the user’s groups', async () => {
      await createGroup('Developers');
      await createGroup('Operators');
      await createUser('ada');
      await createUser('bob');
      await iam.send(new AddUserToGroupCommand({ GroupName: 'developers', UserName: 'ada' }));
      await iam.send(new AddUserToGroupCommand({ GroupName: 'Developers', UserName: 'bob' }));
      await iam.send(new AddUserToGroupCommand({ GroupName: 'Operators', UserName: 'ada' }));

      const { Group, Users } = await iam.send(new GetGroupCommand({ GroupName: 'Developers' }));
      const { Groups } = await iam.send(new ListGroupsForUserCommand({ UserName: 'ada' }));
      const listed = await iam.send(new ListGroupsCommand({}));

      expect(Group).toMatchObject({
        GroupName: 'Developers',
        Arn: `arn:aws:iam::${ACCOUNT}:group/Developers`,
      });
      expect(Group?.GroupId).toMatch(/^AGPA[A-Z2-7]{17}$/);
      expect(Users?.map((user) => user.UserName)).toEqual(['ada', 'bob']);
      expect(Groups?.map((group) => group.GroupName)).toEqual(['Developers', 'Operators']);
      expect(listed.Groups).toHaveLength(2);
    });

    it('refuses a group name that differs only in case', async () => {
      await createGroup('Developers');

      const error = await failure(createGroup('DEVELOPERS'));

      expect(error.name).toBe('EntityAlreadyExistsException');
      expect(error.message).toBe('Group with name DEVELOPERS already exists.');
    });

    describe('AddUserToGroup', () => {
      it('refuses the 11th group of a user with LimitExceeded', async () => {
        await createUser('ada');
        for (let i = 1; i <= 11; i++) await createGroup(`group-${i}`);
        for (let i = 1; i <= 10; i++) {
          await iam.send(new AddUserToGroupCommand({ GroupName: `group-${i}`, UserName: 'ada' }));
        }

        const error = await failure(
          iam.send(new AddUserToGroupCommand({ GroupName: 'group-11', UserName: 'ada' })),
        );

        expect(error.name).toBe('LimitExceededException');
        expect(error.$metadata.httpStatusCode).toBe(409);
        expect(error.message).toBe('Cannot exceed quota for GroupsPerUser: 10');
      });
    });

    describe('DeleteGroup', () => {
      it('refuses a group that still has members', async () => {
        await createGroup('Developers');
        await createUser('ada');
        await iam.send(new AddUserToGroupCommand({ GroupName: 'Developers', UserName: 'ada' }));

        const error = await failure(iam.send(new DeleteGroupCommand({ GroupName: 'Developers' })));

        expect(error.name).toBe('DeleteConflictException');
      });

      it('refuses a group that still has attached policies', async () => {
        await createGroup('Developers');
        await iam.send(
          new AttachGroupPolicyCommand({ GroupName: 'Developers', PolicyArn: AWS_POLICY('ReadOnlyAccess') }),
        );

        const error = await failure(iam.send(new DeleteGroupCommand({ GroupName: 'Developers' })));

        expect(error.name).toBe('DeleteConflictException');
        expect(error.message).toBe('Cannot delete entity, must detach all policies first.');
      });
    });
  });

  describe('Managed policies', () => {
    describe('AttachUserPolicy', () => {
      beforeEach(async () => {
        await createUser('ada');
      });

      it('refuses the 11th attached policy with LimitExceeded', async () => {
        for (const arn of ELEVEN_POLICIES.slice(0, 10)) {
          await iam.send(new AttachUserPolicyCommand({ UserName: 'ada', PolicyArn: arn }));
        }

        const error = await failure(
          iam.send(new AttachUserPolicyCommand({ UserName: 'ada', PolicyArn: ELEVEN_POLICIES[10] })),
        );

        expect(error.name).toBe('LimitExceededException');
        expect(error.message).toBe('Cannot exceed quota for PoliciesPerUser: 10');
      });

      it('accepts an already attached policy without attaching it twice', async () => {
        const PolicyArn = AWS_POLICY('IAMUserChangePassword');
        await iam.send(new AttachUserPolicyCommand({ UserName: 'ada', PolicyArn }));

        await iam.send(new AttachUserPolicyCommand({ UserName: 'ada', PolicyArn }));
        const { AttachedPolicies } = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'ada' }));

        expect(AttachedPolicies).toEqual([{ PolicyName: 'IAMUserChangePassword', PolicyArn }]);
      });

      it('answers NoSuchEntity for an unknown policy ARN', async () => {
        const PolicyArn = AWS_POLICY('NoSuchPolicy');

        const error = await failure(iam.send(new AttachUserPolicyCommand({ UserName: 'ada', PolicyArn })));

        expect(error.name).toBe('NoSuchEntityException');
        expect(error.message).toBe(`Policy ${PolicyArn} does not exist or is not attachable.`);
      });

      it('answers PolicyNotAttachable for an AWS service-role policy', async () => {
        const error = await failure(
          iam.send(new AttachUserPolicyCommand({ UserName: 'ada', PolicyArn: SERVICE_ROLE_POLICY })),
        );

        expect(error.name).toBe('PolicyNotAttachableException');
        expect(error.$metadata.httpStatusCode).toBe(400);
      });
    });

    describe('AttachGroupPolicy', () => {
      it('refuses the 11th attached policy with LimitExceeded', async () => {
        await createGroup('Developers');
        for (const arn of ELEVEN_POLICIES.slice(0, 10)) {
          await iam.send(new AttachGroupPolicyCommand({ GroupName: 'Developers', PolicyArn: arn }));
        }

        const error = await failure(
          iam.send(new AttachGroupPolicyCommand({ GroupName: 'Developers', PolicyArn: ELEVEN_POLICIES[10] })),
        );
        const { AttachedPolicies } = await iam.send(
          new ListAttachedGroupPoliciesCommand({ GroupName: 'Developers' }),
        );

        expect(error.name).toBe('LimitExceededException');
        expect(error.message).toBe('Cannot exceed quota for PoliciesPerGroup: 10');
        expect(AttachedPolicies).toHaveLength(10);
      });
    });

    describe('DetachUserPolicy', () => {
      it('answers NoSuchEntity for a policy that is not attached', async () => {
        await createUser('ada');

        const error = await failure(
          iam.send(new DetachUserPolicyCommand({ UserName: 'ada', PolicyArn: AWS_POLICY('ReadOnlyAccess') })),
        );

        expect(error.name).toBe('NoSuchEntityException');
      });
    });

    describe('CreatePolicy', () => {
      it('creates version v1 whose document GetPolicyVersion returns URL-encoded', async () => {
        const { Policy } = await iam.send(
          new CreatePolicyCommand({
            PolicyName: 'iam-onboarding-boundary',
            Path: '/boundaries/',
            PolicyDocument: ALLOW_ALL,
            Description: 'Caps onboarded users',
          }),
        );

        const { PolicyVersion } = await iam.send(
          new GetPolicyVersionCommand({ PolicyArn: Policy?.Arn, VersionId: Policy?.DefaultVersionId }),
        );

        expect(Policy).toMatchObject({
          Arn: `arn:aws:iam::${ACCOUNT}:policy/boundaries/iam-onboarding-boundary`,
          DefaultVersionId: 'v1',
          AttachmentCount: 0,
          IsAttachable: true,
        });
        expect(Policy?.PolicyId).toMatch(/^ANPA[A-Z2-7]{17}$/);
        expect(PolicyVersion?.Document).toBe(encodeURIComponent(ALLOW_ALL).replace(/\*/g, '%2A'));
        expect(decodeURIComponent(PolicyVersion?.Document ?? '')).toBe(ALLOW_ALL);
        expect(PolicyVersion?.IsDefaultVersion).toBe(true);
      });

      it('answers MalformedPolicyDocument for invalid JSON and for a document without Version', async () => {
        const notJson = await failure(
          iam.send(new CreatePolicyCommand({ PolicyName: 'p', PolicyDocument: '{' })),
        );
        const noVersion = await failure(
          iam.send(
            new CreatePolicyCommand({
              PolicyName: 'p',
              PolicyDocument: JSON.stringify({
                Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
              }),
            }),
          ),
        );

        expect(notJson.name).toBe('MalformedPolicyDocumentException');
        expect(notJson.message).toBe('Syntax errors in policy.');
        expect(noVersion.name).toBe('MalformedPolicyDocumentException');
        expect(noVersion.message).toBe('Policy document must be version 2012-10-17 or greater.');
      });

      it('refuses a policy name that differs only in case', async () => {
        await iam.send(new CreatePolicyCommand({ PolicyName: 'Boundary', PolicyDocument: ALLOW_ALL }));

        const error = await failure(
          iam.send(
            new CreatePolicyCommand({ PolicyName: 'boundary', Path: '/other/', PolicyDocument: ALLOW_ALL }),
          ),
        );

        expect(error.name).toBe('EntityAlreadyExistsException');
      });
    });

    describe('GetPolicy and DeletePolicy', () => {
      it('counts attachments and refuses to delete an attached policy', async () => {
        const { Policy } = await iam.send(
          new CreatePolicyCommand({ PolicyName: 'custom', PolicyDocument: ALLOW_ALL }),
        );
        await createUser('ada');
        await iam.send(new AttachUserPolicyCommand({ UserName: 'ada', PolicyArn: Policy?.Arn }));

        const { Policy: fetched } = await iam.send(new GetPolicyCommand({ PolicyArn: Policy?.Arn }));
        const error = await failure(iam.send(new DeletePolicyCommand({ PolicyArn: Policy?.Arn })));

        expect(fetched?.AttachmentCount).toBe(1);
        expect(error.name).toBe('DeleteConflictException');
      });

      it('ships the AWS managed policies with their real names and ARNs', async () => {
        const arns = [...ELEVEN_POLICIES, SERVICE_ROLE_POLICY];

        const policies = await Promise.all(
          arns.map((PolicyArn) => iam.send(new GetPolicyCommand({ PolicyArn }))),
        );

        expect(policies.map(({ Policy }) => Policy?.Arn)).toEqual(arns);
        expect(policies.map(({ Policy }) => Policy?.IsAttachable)).toEqual([
          ...ELEVEN_POLICIES.map(() => true),
          false,
        ]);
      });
    });

    describe('ListPolicies', () => {
      it('filters by scope and by attachment', async () => {
        await iam.send(new CreatePolicyCommand({ PolicyName: 'custom', PolicyDocument: ALLOW_ALL }));
        await createUser('ada');
        await iam.send(
          new AttachUserPolicyCommand({ UserName: 'ada', PolicyArn: AWS_POLICY('ReadOnlyAccess') }),
        );

        const local = await iam.send(new ListPoliciesCommand({ Scope: 'Local' }));
        const attached = await iam.send(new ListPoliciesCommand({ Scope: 'AWS', OnlyAttached: true }));
        const aws = await iam.send(new ListPoliciesCommand({ Scope: 'AWS', MaxItems: 1000 }));

        expect(local.Policies?.map((p) => p.PolicyName)).toEqual(['custom']);
        expect(attached.Policies?.map((p) => p.PolicyName)).toEqual(['ReadOnlyAccess']);
        expect(aws.Policies?.map((p) => p.Arn)).toEqual(
          expect.arrayContaining([...ELEVEN_POLICIES, SERVICE_ROLE_POLICY]),
        );
      });
    });
  });

  describe('Login profiles', () => {
    beforeEach(async () => {
      await createUser('ada');
    });

    it.each([
      ['shorter than 8 characters', 'Abc12!'],
      ['with only two character classes', 'lowercase123'],
    ])('refuses a password %s under the default policy', async (_case, Password) => {
      const error = await failure(iam.send(new CreateLoginProfileCommand({ UserName: 'ada', Password })));

      expect(error.name).toBe('PasswordPolicyViolationException');
      expect(error.message).toBe('Password does not conform to the account password policy.');
      expect(error.message).not.toContain(Password);
    });

    it('applies a custom account password policy instead of the default', async () => {
      await iam.send(
        new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 14, RequireSymbols: true }),
      );

      const noSymbol = await failure(
        iam.send(new CreateLoginProfileCommand({ UserName: 'ada', Password: 'Abcdefgh123456' })),
      );
      await iam.send(new CreateLoginProfileCommand({ UserName: 'ada', Password: 'abcdefghijklm!' }));

      expect(noSymbol.name).toBe('PasswordPolicyViolationException');
    });

    it('reports PasswordResetRequired and lets UpdateLoginProfile change it', async () => {
      await iam.send(
        new CreateLoginProfileCommand({
          UserName: 'ada',
          Password: STRONG_PASSWORD,
          PasswordResetRequired: true,
        }),
      );

      const before = await iam.send(new GetLoginProfileCommand({ UserName: 'ada' }));
      await iam.send(new UpdateLoginProfileCommand({ UserName: 'ada', PasswordResetRequired: false }));
      const after = await iam.send(new GetLoginProfileCommand({ UserName: 'ada' }));

      expect(before.LoginProfile).toMatchObject({ UserName: 'ada', PasswordResetRequired: true });
      expect(before.LoginProfile?.CreateDate).toBeInstanceOf(Date);
      expect(after.LoginProfile?.PasswordResetRequired).toBe(false);
    });

    it('refuses a second login profile and answers NoSuchEntity when there is none', async () => {
      const missing = await failure(iam.send(new GetLoginProfileCommand({ UserName: 'ada' })));
      await iam.send(new CreateLoginProfileCommand({ UserName: 'ada', Password: STRONG_PASSWORD }));

      const duplicate = await failure(
        iam.send(new CreateLoginProfileCommand({ UserName: 'ada', Password: STRONG_PASSWORD })),
      );

      expect(missing.name).toBe('NoSuchEntityException');
      expect(missing.message).toBe('Login Profile for User ada cannot be found.');
      expect(duplicate.name).toBe('EntityAlreadyExistsException');
    });
  });

  describe('Account', () => {
    it('answers NoSuchEntity for the password policy until one is set, and after it is deleted', async () => {
      const before = await failure(iam.send(new GetAccountPasswordPolicyCommand({})));
      await iam.send(
        new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 12, MaxPasswordAge: 90 }),
      );
      const { PasswordPolicy } = await iam.send(new GetAccountPasswordPolicyCommand({}));
      await iam.send(new DeleteAccountPasswordPolicyCommand({}));
      const after = await failure(iam.send(new GetAccountPasswordPolicyCommand({})));

      expect(before.name).toBe('NoSuchEntityException');
      expect(before.message).toBe(`The Password Policy with domain name ${ACCOUNT} cannot be found.`);
      expect(PasswordPolicy).toMatchObject({
        MinimumPasswordLength: 12,
        RequireSymbols: false,
        ExpirePasswords: true,
        MaxPasswordAge: 90,
      });
      expect(after.name).toBe('NoSuchEntityException');
    });

    it('rejects a minimum password length below 6', async () => {
      const error = await failure(
        iam.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 5 })),
      );

      expect(error.name).toBe('ValidationError');
    });

    it('creates, lists and deletes the account alias', async () => {
      await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'acme-dev' }));
      const listed = await iam.send(new ListAccountAliasesCommand({}));
      await iam.send(new DeleteAccountAliasCommand({ AccountAlias: 'acme-dev' }));
      const afterDelete = await iam.send(new ListAccountAliasesCommand({}));

      expect(listed.AccountAliases).toEqual(['acme-dev']);
      expect(afterDelete.AccountAliases ?? []).toEqual([]);
    });

    it('summarises usage and quotas', async () => {
      await createUser('ada');
      await createGroup('Developers');
      await iam.send(new CreatePolicyCommand({ PolicyName: 'custom', PolicyDocument: ALLOW_ALL }));

      const { SummaryMap } = await iam.send(new GetAccountSummaryCommand({}));

      expect(SummaryMap).toMatchObject({
        Users: 1,
        Groups: 1,
        Policies: 1,
        UsersQuota: 5000,
        GroupsQuota: 300,
        GroupsPerUserQuota: 10,
        AttachedPoliciesPerUserQuota: 10,
        AttachedPoliciesPerGroupQuota: 10,
      });
    });
  });

  describe('Query protocol', () => {
    it('answers an unknown action with InvalidAction in an IAM ErrorResponse', async () => {
      const response = await fetch(emulator.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'Action=CreateRole&Version=2010-05-08&RoleName=x',
      });
      const body = await response.text();

      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe('text/xml');
      expect(body).toMatch(
        /^<ErrorResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code>/,
      );
      expect(body).toMatch(/<RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/);
    });

    it('reads parameters from the query string too', async () => {
      const response = await fetch(`${emulator.endpoint}/?Action=ListUsers&Version=2010-05-08`);

      expect(response.status).toBe(200);
      expect(await response.text()).toMatch(
        /^<ListUsersResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><ListUsersResult><Users><\/Users><IsTruncated>false<\/IsTruncated><\/ListUsersResult><ResponseMetadata><RequestId>/,
      );
    });
  });

  describe('Fault injection', () => {
    it('fails CreateUser once with Throttling, then succeeds', async () => {
      emulator.faults.addRule({ service: 'iam', action: 'CreateUser', code: 'Throttling', count: 1 });

      const error = await failure(createUser('ada'));
      const { User } = await createUser('ada');

      expect(error.name).toBe('Throttling');
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(User?.UserName).toBe('ada');
    });

    it('is retried by an SDK client with retries, which classifies it as throttling', async () => {
      emulator.faults.addRule({ service: 'iam', action: 'CreateUser', code: 'Throttling', count: 1 });
      const retrying = new IAMClient({
        endpoint: emulator.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        maxAttempts: 2,
      });

      const { $metadata } = await retrying.send(new CreateUserCommand({ UserName: 'ada' }));
      retrying.destroy();

      expect($metadata.attempts).toBe(2);
    });
  });

  describe('Durability', () => {
    it('restores users, groups, memberships, policies and login profiles from the data folder', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'Ada', Path: '/engineering/' }));
      await createGroup('Developers');
      await iam.send(new AddUserToGroupCommand({ GroupName: 'Developers', UserName: 'Ada' }));
      await iam.send(
        new AttachUserPolicyCommand({ UserName: 'Ada', PolicyArn: AWS_POLICY('IAMUserChangePassword') }),
      );
      await iam.send(
        new CreateLoginProfileCommand({
          UserName: 'Ada',
          Password: STRONG_PASSWORD,
          PasswordResetRequired: true,
        }),
      );
      await emulator.close();

      emulator = await startIamEmulator(dataDir);
      iam = emulator.iam;
      const { User } = await iam.send(new GetUserCommand({ UserName: 'ada' }));
      const { Users } = await iam.send(new GetGroupCommand({ GroupName: 'Developers' }));
      const { AttachedPolicies } = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'Ada' }));
      const { LoginProfile } = await iam.send(new GetLoginProfileCommand({ UserName: 'Ada' }));

      expect(User).toMatchObject({ UserName: 'Ada', Path: '/engineering/' });
      expect(Users?.map((user) => user.UserName)).toEqual(['Ada']);
      expect(AttachedPolicies?.map((policy) => policy.PolicyName)).toEqual(['IAMUserChangePassword']);
      expect(LoginProfile?.PasswordResetRequired).toBe(true);
    });

    it('never writes a password to the data folder', async () => {
      await createUser('ada');
      await iam.send(new CreateLoginProfileCommand({ UserName: 'ada', Password: STRONG_PASSWORD }));
      await iam.send(new UpdateLoginProfileCommand({ UserName: 'ada', Password: `${STRONG_PASSWORD}-2` }));

      const contents = readdirSync(dataDir).map((file) => readFileSync(join(dataDir, file), 'utf8'));

      expect(contents.join('')).toContain('scrypt$');
      expect(contents.join('')).not.toContain(STRONG_PASSWORD);
    });
  });
});
