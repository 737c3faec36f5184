import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  EntityAlreadyExistsException,
  LimitExceededException,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  NoSuchEntityException,
  ServiceFailureException,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { type EnsureGroupsInput, handler } from '../../functions/ensureGroups';
import { iam } from '../../functions/shared/iamClient';
import {
  $metadata,
  captureLogs,
  commandsSent,
  executionArn,
  type LogRecord,
  lambdaContext,
  newHire,
  unmodelledIamError,
  useEnv,
} from '../support/lambda';

const iamMock = mockClient(iam);
const context = lambdaContext('ensureGroups');
const EC2 = 'arn:aws:iam::aws:policy/AmazonEC2FullAccess';
const S3 = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
const CLOUDWATCH = 'arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess';
const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

const input = (employee: Partial<EnsureGroupsInput['employee']> = {}): EnsureGroupsInput => ({
  userName: 'ada.lovelace',
  executionArn,
  employee: { ...newHire, ...employee },
});
const group = (name: string, path: string) => ({
  GroupName: name,
  GroupId: `AGPA${name.toUpperCase()}`,
  Path: path,
  Arn: `arn:aws:iam::123456789012:group${path}${name}`,
  CreateDate: new Date(0),
});
/** Every IAM request, in order, as [command, input]. */
const requests = () => commandsSent(iamMock);

useEnv({ ACCOUNT_ID: '123456789012' });
let logs: LogRecord[];
beforeEach(() => {
  iamMock.reset();
  logs = captureLogs();
});
afterEach(() => jest.restoreAllMocks());

describe('ensureGroups', () => {
  describe('for a profile without a template user', () => {
    it('creates each group under /onboarded/, attaches its policies and adds the user', async () => {
      // Act
      const result = await handler(input(), context);

      // Assert
      expect(result).toEqual({ groups: ['Developers'], copiedGroups: [], copiedPolicies: [], skipped: [] });
      expect(requests()).toEqual([
        ['CreateGroupCommand', { GroupName: 'Developers', Path: '/onboarded/' }],
        ['AttachGroupPolicyCommand', { GroupName: 'Developers', PolicyArn: EC2 }],
        ['AttachGroupPolicyCommand', { GroupName: 'Developers', PolicyArn: S3 }],
        ['AddUserToGroupCommand', { GroupName: 'Developers', UserName: 'ada.lovelace' }],
      ]);
    });

    it('handles every group of a job-title profile', async () => {
      const result = await handler(input({ jobTitle: 'Site Reliability Engineer' }), context);
      expect(result.groups).toEqual(['Developers', 'Operators']);
      expect(
        iamMock.commandCalls(AttachGroupPolicyCommand).map((call) => call.args[0].input.PolicyArn),
      ).toEqual([EC2, S3, CLOUDWATCH]);
      expect(iamMock.commandCalls(AddUserToGroupCommand)).toHaveLength(2);
    });

    it('converges on a second run, which finds the group the first one created', async () => {
      // Arrange: the first run creates the group; for the second it already exists.
      iamMock
        .on(CreateGroupCommand)
        .resolvesOnce({ Group: group('Developers', '/onboarded/') })
        .rejects(
          new EntityAlreadyExistsException({
            message: 'Group with name Developers already exists.',
            $metadata,
          }),
        );
      const first = await handler(input(), context);
      // Not resetHistory(): it would re-arm the Once behaviours.
      const firstRun = requests().length;

      // Act
      const second = await handler(input(), context);

      // Assert: policies re-attached and the user re-added, both idempotent in IAM.
      expect(second).toEqual(first);
      expect(requests().slice(firstRun)).toEqual([
        ['CreateGroupCommand', { GroupName: 'Developers', Path: '/onboarded/' }],
        ['AttachGroupPolicyCommand', { GroupName: 'Developers', PolicyArn: EC2 }],
        ['AttachGroupPolicyCommand', { GroupName: 'Developers', PolicyArn: S3 }],
        ['AddUserToGroupCommand', { GroupName: 'Developers', UserName: 'ada.lovelace' }],
      ]);
    });
  });

  describe('when IAM answers NoSuchEntity', () => {
    it('reports a missing policy as PolicyNotFoundError (permanent)', async () => {
      iamMock.on(AttachGroupPolicyCommand).rejects(
        new NoSuchEntityException({
          message: `Policy ${EC2} does not exist or is not attachable.`,
          $metadata,
        }),
      );
      await expect(handler(input(), context)).rejects.toMatchObject({
        name: 'PolicyNotFoundError',
        retryable: false,
      });
    });

    it('reports a group just created but not visible yet as IamNotYetConsistentError', async () => {
      iamMock.on(AttachGroupPolicyCommand).rejects(
        new NoSuchEntityException({
          message: 'The group with name Developers cannot be found.',
          $metadata,
        }),
      );
      await expect(handler(input(), context)).rejects.toMatchObject({
        name: 'IamNotYetConsistentError',
        retryable: true,
      });
    });

    it('reports a user or group not visible yet on AddUserToGroup as IamNotYetConsistentError', async () => {
      iamMock.on(AddUserToGroupCommand).rejects(
        new NoSuchEntityException({
          message: 'The user with name ada.lovelace cannot be found.',
          $metadata,
        }),
      );
      await expect(handler(input(), context)).rejects.toMatchObject({ name: 'IamNotYetConsistentError' });
    });
  });

  describe('when IAM refuses', () => {
    it.each([
      {
        code: 'LimitExceeded',
        name: 'IamLimitExceededError',
        error: new LimitExceededException({ message: 'groups', $metadata }),
      },
      { code: 'Throttling', name: 'IamThrottledError', error: unmodelledIamError('Throttling') },
      {
        code: 'ServiceFailure',
        name: 'IamServiceError',
        error: new ServiceFailureException({ message: 'oops', $metadata: { httpStatusCode: 500 } }),
      },
    ])('maps $code on AddUserToGroup to $name', async ({ error, name }) => {
      iamMock.on(AddUserToGroupCommand).rejects(error);
      await expect(handler(input(), context)).rejects.toMatchObject({ name, cause: error });
    });

    it('maps Throttling on CreateGroup to IamThrottledError', async () => {
      iamMock.on(CreateGroupCommand).rejects(unmodelledIamError('Throttling'));
      await expect(handler(input(), context)).rejects.toMatchObject({ name: 'IamThrottledError' });
    });
  });

  describe('for a profile with a template user (copyFrom)', () => {
    const audit = { department: 'Internal Audit' };

    it('copies only /onboarded/ groups and allowed policies, and reports the rest as skipped', async () => {
      // Arrange
      iamMock
        .on(ListGroupsForUserCommand, { UserName: 'audit-template' })
        .resolves({
          Groups: [group('Auditors', '/onboarded/'), group('Reviewers', '/onboarded/'), group('Admins', '/')],
        })
        .on(ListAttachedUserPoliciesCommand, { UserName: 'audit-template' })
        .resolves({
          AttachedPolicies: [
            { PolicyArn: READ_ONLY, PolicyName: 'ReadOnlyAccess' },
            { PolicyArn: ADMIN, PolicyName: 'AdministratorAccess' },
          ],
        });

      // Act
      const result = await handler(input(audit), context);

      // Assert
      expect(result).toEqual({
        groups: ['Auditors'],
        copiedGroups: ['Reviewers'],
        copiedPolicies: [READ_ONLY],
        skipped: ['arn:aws:iam::123456789012:group/Admins', ADMIN],
      });
      expect(iamMock.commandCalls(AddUserToGroupCommand).map((call) => call.args[0].input.GroupName)).toEqual(
        ['Auditors', 'Reviewers'],
      );
      expect(iamMock.commandCalls(AttachUserPolicyCommand).map((call) => call.args[0].input)).toEqual([
        { UserName: 'ada.lovelace', PolicyArn: READ_ONLY },
      ]);
      expect(logs.find((line) => line.level === 'WARN')).toMatchObject({
        message: 'Template grants outside the access profiles skipped',
        skipped: result.skipped,
        executionArn,
      });
    });

    it('fails with TemplateUserNotFoundError when the template user does not exist', async () => {
      iamMock
        .on(ListGroupsForUserCommand)
        .rejects(new NoSuchEntityException({ message: 'no such user', $metadata }));
      await expect(handler(input(audit), context)).rejects.toMatchObject({
        name: 'TemplateUserNotFoundError',
        retryable: false,
      });
      expect(iamMock.commandCalls(AttachUserPolicyCommand)).toHaveLength(0);
    });
  });
});
