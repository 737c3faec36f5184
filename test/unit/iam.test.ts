import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  ConcurrentModificationException,
  EntityAlreadyExistsException,
  InvalidInputException,
  LimitExceededException,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  MalformedPolicyDocumentException,
  NoSuchEntityException,
  PasswordPolicyViolationException,
  PolicyNotAttachableException,
  ServiceFailureException,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { addUserToGroup, attachUserPolicy, userGrants } from '../../functions/shared/iam';
import { iam } from '../../functions/shared/iamClient';
import { iamError, iamErrorCode } from '../../functions/shared/iamErrors';
import { iamTagValue, tagValue } from '../../functions/shared/tags';
import { $metadata, unmodelledIamError } from '../support/lambda';

const iamMock = mockClient(iam);
const policyArn = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

describe('iamError', () => {
  it.each([
    ['Throttling', 'IamThrottledError', true, unmodelledIamError('Throttling')],
    [
      'ServiceFailure',
      'IamServiceError',
      true,
      new ServiceFailureException({ message: 'failed', $metadata: { httpStatusCode: 500 } }),
    ],
    ['an unknown 503', 'IamServiceError', true, unmodelledIamError('ServiceUnavailable', 503)],
    [
      'ConcurrentModification',
      'IamServiceError',
      true,
      new ConcurrentModificationException({ message: 'busy', $metadata }),
    ],
    [
      'EntityTemporarilyUnmodifiable',
      'IamServiceError',
      true,
      unmodelledIamError('EntityTemporarilyUnmodifiableException', 409),
    ],
    [
      'a network error',
      'IamServiceError',
      true,
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
    ],
    [
      'LimitExceeded',
      'IamLimitExceededError',
      false,
      new LimitExceededException({ message: 'too many', $metadata }),
    ],
    [
      'InvalidInput',
      'IamRequestRejectedError',
      false,
      new InvalidInputException({ message: 'bad', $metadata }),
    ],
    ['ValidationError', 'IamRequestRejectedError', false, unmodelledIamError('ValidationError')],
    ['AccessDenied', 'AccessDeniedError', false, unmodelledIamError('AccessDenied', 403)],
    [
      'MalformedPolicyDocument',
      'IamRequestRejectedError',
      false,
      new MalformedPolicyDocumentException({ message: 'bad', $metadata }),
    ],
    [
      'EntityAlreadyExists',
      'IamRequestRejectedError',
      false,
      new EntityAlreadyExistsException({ message: 'exists', $metadata }),
    ],
    [
      'PasswordPolicyViolation',
      'PasswordPolicyViolationError',
      false,
      new PasswordPolicyViolationException({ message: 'weak', $metadata }),
    ],
    [
      'PolicyNotAttachable',
      'PolicyNotFoundError',
      false,
      new PolicyNotAttachableException({
        message: 'Cannot attach a Service Role Policy to a User.',
        $metadata,
      }),
    ],
  ])('maps %s to %s (retryable: %s)', (_code, name, retryable, error) => {
    const wrapped = iamError('CreateUser', error);
    expect(wrapped).toMatchObject({ name, retryable });
    expect(wrapped.cause).toBe(error);
    expect(wrapped.message).toMatch(/^IAM CreateUser failed: /);
  });

  describe('when IAM answers NoSuchEntity', () => {
    it('reports a policy that does not exist when the message names the policy', () => {
      const error = new NoSuchEntityException({
        message: `Policy ${policyArn} does not exist or is not attachable.`,
        $metadata,
      });
      expect(iamError('AttachUserPolicy', error, policyArn)).toMatchObject({
        name: 'PolicyNotFoundError',
        retryable: false,
      });
    });

    it('reports an entity not visible yet when the message names something else', () => {
      const error = new NoSuchEntityException({
        message: 'The user with name ada.lovelace cannot be found.',
        $metadata,
      });
      expect(iamError('AttachUserPolicy', error, policyArn)).toMatchObject({
        name: 'IamNotYetConsistentError',
        retryable: true,
      });
    });
  });
});

describe('iamErrorCode', () => {
  it('is AWS error code without the SDK suffix', () => {
    expect(iamErrorCode(new NoSuchEntityException({ message: 'gone', $metadata }))).toBe('NoSuchEntity');
    expect(iamErrorCode(unmodelledIamError('Throttling'))).toBe('Throttling');
  });
});

describe('iamTagValue', () => {
  it('keeps letters, digits, spaces and _.:/=+-@ in any script', () => {
    expect(iamTagValue('Recherche & Développement / 研究')).toBe('Recherche _ Développement / 研究');
  });

  it('is at most 256 characters', () => {
    expect(iamTagValue('x'.repeat(300))).toHaveLength(256);
  });
});

describe('tagValue', () => {
  it('finds the value of a key, or undefined', () => {
    const tags = [{ Key: 'employeeId', Value: 'E1001' }];
    expect(tagValue(tags, 'employeeId')).toBe('E1001');
    expect(tagValue(tags, 'eventId')).toBeUndefined();
    expect(tagValue(undefined, 'eventId')).toBeUndefined();
  });
});

describe('userGrants', () => {
  beforeEach(() => iamMock.reset());

  it('lists every page of the user groups and attached policies', async () => {
    // Arrange
    iamMock
      .on(ListGroupsForUserCommand, { UserName: 'audit-template', Marker: undefined })
      .resolves({ Groups: [group('Auditors', '/onboarded/')], IsTruncated: true, Marker: 'next' })
      .on(ListGroupsForUserCommand, { UserName: 'audit-template', Marker: 'next' })
      .resolves({ Groups: [group('Admins', '/')], IsTruncated: false })
      .on(ListAttachedUserPoliciesCommand)
      .resolves({ AttachedPolicies: [{ PolicyArn: policyArn, PolicyName: 'ReadOnlyAccess' }] });

    // Act
    const grants = await userGrants('audit-template');

    // Assert
    expect(grants).toEqual({
      groups: [
        { name: 'Auditors', path: '/onboarded/', arn: 'arn:aws:iam::123456789012:group/onboarded/Auditors' },
        { name: 'Admins', path: '/', arn: 'arn:aws:iam::123456789012:group/Admins' },
      ],
      policies: [policyArn],
    });
    expect(iamMock.commandCalls(ListGroupsForUserCommand)).toHaveLength(2);
  });

  it('is undefined when the user does not exist', async () => {
    iamMock
      .on(ListGroupsForUserCommand)
      .rejects(new NoSuchEntityException({ message: 'no user', $metadata }));
    await expect(userGrants('audit-template')).resolves.toBeUndefined();
  });

  it('wraps other failures', async () => {
    iamMock.on(ListGroupsForUserCommand).resolves({ Groups: [] });
    iamMock.on(ListAttachedUserPoliciesCommand).rejects(unmodelledIamError('Throttling'));
    await expect(userGrants('audit-template')).rejects.toMatchObject({
      name: 'IamThrottledError',
      message: expect.stringContaining('ListAttachedUserPolicies'),
    });
  });
});

describe('attachUserPolicy and addUserToGroup', () => {
  beforeEach(() => iamMock.reset());

  it('send the IAM request with the names given', async () => {
    await attachUserPolicy('ada.lovelace', policyArn);
    await addUserToGroup('ada.lovelace', 'Developers');
    expect(iamMock.commandCalls(AttachUserPolicyCommand)[0]?.args[0].input).toEqual({
      UserName: 'ada.lovelace',
      PolicyArn: policyArn,
    });
    expect(iamMock.commandCalls(AddUserToGroupCommand)[0]?.args[0].input).toEqual({
      UserName: 'ada.lovelace',
      GroupName: 'Developers',
    });
  });

  it('report a missing policy as PolicyNotFoundError', async () => {
    iamMock.on(AttachUserPolicyCommand).rejects(
      new NoSuchEntityException({
        message: `Policy ${policyArn} does not exist or is not attachable.`,
        $metadata,
      }),
    );
    await expect(attachUserPolicy('ada.lovelace', policyArn)).rejects.toMatchObject({
      name: 'PolicyNotFoundError',
    });
  });
});

function group(name: string, path: string) {
  const arnPath = path === '/' ? '' : path.slice(1);
  return {
    GroupName: name,
    Path: path,
    Arn: `arn:aws:iam::123456789012:group/${arnPath}${name}`,
    GroupId: `AGPA${name.toUpperCase()}`,
    CreateDate: new Date(0),
  };
}
