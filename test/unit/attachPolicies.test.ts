import {
  AttachUserPolicyCommand,
  GetUserCommand,
  LimitExceededException,
  NoSuchEntityException,
  PutUserPermissionsBoundaryCommand,
  ServiceFailureException,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { type AttachPoliciesInput, handler } from '../../functions/attachPolicies';
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
const context = lambdaContext('attachPolicies');
const BOUNDARY = 'arn:aws:iam::123456789012:policy/iam-onboarding-boundary';
const SELF_SERVICE = 'arn:aws:iam::123456789012:policy/iam-onboarding-self-service';

const input: AttachPoliciesInput = {
  userName: 'ada.lovelace',
  executionArn,
  employee: newHire,
};
const userWithBoundary = (boundary?: string) => ({
  User: {
    UserName: 'ada.lovelace',
    UserId: 'AIDAE1001',
    Arn: 'arn:aws:iam::123456789012:user/onboarded/ada.lovelace',
    Path: '/onboarded/',
    CreateDate: new Date(0),
    PermissionsBoundary: boundary
      ? { PermissionsBoundaryType: 'PermissionsBoundaryPolicy' as const, PermissionsBoundaryArn: boundary }
      : undefined,
  },
});
const requests = () => commandsSent(iamMock);

useEnv({ ACCOUNT_ID: '123456789012' });
let logs: LogRecord[];
beforeEach(() => {
  iamMock.reset();
  logs = captureLogs();
});
afterEach(() => jest.restoreAllMocks());

describe('attachPolicies', () => {
  it('attaches the profile user policies and leaves a correct boundary alone', async () => {
    // Arrange
    iamMock.on(GetUserCommand).resolves(userWithBoundary(BOUNDARY));

    // Act
    const result = await handler(input, context);

    // Assert
    expect(result).toEqual({ policies: [SELF_SERVICE], permissionsBoundary: BOUNDARY });
    expect(requests()).toEqual([
      ['AttachUserPolicyCommand', { UserName: 'ada.lovelace', PolicyArn: SELF_SERVICE }],
      ['GetUserCommand', { UserName: 'ada.lovelace' }],
    ]);
  });

  it.each([
    { situation: 'has no boundary (an adopted user)', current: undefined },
    { situation: 'has another boundary', current: 'arn:aws:iam::123456789012:policy/something-else' },
  ])('sets the profile boundary when the user $situation', async ({ current }) => {
    // Arrange
    iamMock.on(GetUserCommand).resolves(userWithBoundary(current));

    // Act
    await handler(input, context);

    // Assert
    expect(iamMock.commandCalls(PutUserPermissionsBoundaryCommand).map((call) => call.args[0].input)).toEqual(
      [{ UserName: 'ada.lovelace', PermissionsBoundary: BOUNDARY }],
    );
    const logged = logs.find((line) => line.message === 'Permissions boundary set');
    expect(logged).toMatchObject({ boundary: BOUNDARY, userName: 'ada.lovelace' });
    expect(logged?.previous).toBe(current);
  });

  it('gives the same result on a second run, which finds the boundary the first one set', async () => {
    // Arrange: the first run sees no boundary; the second sees the one the first run put.
    iamMock.on(GetUserCommand).resolvesOnce(userWithBoundary(undefined)).resolves(userWithBoundary(BOUNDARY));
    const first = await handler(input, context);
    // Not resetHistory(): it would re-arm the Once behaviours.
    const firstRun = requests().length;

    // Act
    const second = await handler(input, context);

    // Assert: attaching an attached policy succeeds in IAM, and the boundary is left alone.
    expect(second).toEqual(first);
    expect(requests().slice(firstRun)).toEqual([
      ['AttachUserPolicyCommand', { UserName: 'ada.lovelace', PolicyArn: SELF_SERVICE }],
      ['GetUserCommand', { UserName: 'ada.lovelace' }],
    ]);
  });

  describe('when IAM refuses', () => {
    it('reports a policy that does not exist as PolicyNotFoundError', async () => {
      const error = new NoSuchEntityException({
        message: `Policy ${SELF_SERVICE} does not exist or is not attachable.`,
        $metadata,
      });
      iamMock.on(AttachUserPolicyCommand).rejects(error);
      await expect(handler(input, context)).rejects.toMatchObject({
        name: 'PolicyNotFoundError',
        cause: error,
      });
    });

    it('reports a missing boundary policy as PolicyNotFoundError', async () => {
      iamMock.on(GetUserCommand).resolves(userWithBoundary(undefined));
      iamMock
        .on(PutUserPermissionsBoundaryCommand)
        .rejects(new NoSuchEntityException({ message: `Policy ${BOUNDARY} does not exist.`, $metadata }));
      await expect(handler(input, context)).rejects.toMatchObject({ name: 'PolicyNotFoundError' });
    });

    it('reports a user not visible yet as IamNotYetConsistentError', async () => {
      iamMock.on(GetUserCommand).rejects(
        new NoSuchEntityException({
          message: 'The user with name ada.lovelace cannot be found.',
          $metadata,
        }),
      );
      await expect(handler(input, context)).rejects.toMatchObject({ name: 'IamNotYetConsistentError' });
    });

    it.each([
      {
        code: 'LimitExceeded',
        name: 'IamLimitExceededError',
        error: new LimitExceededException({ message: '10', $metadata }),
      },
      { code: 'Throttling', name: 'IamThrottledError', error: unmodelledIamError('Throttling') },
      {
        code: 'ServiceFailure',
        name: 'IamServiceError',
        error: new ServiceFailureException({ message: 'oops', $metadata: { httpStatusCode: 500 } }),
      },
      { code: 'AccessDenied', name: 'AccessDeniedError', error: unmodelledIamError('AccessDenied') },
    ])('maps $code on AttachUserPolicy to $name', async ({ error, name }) => {
      iamMock.on(AttachUserPolicyCommand).rejects(error);
      await expect(handler(input, context)).rejects.toMatchObject({ name, cause: error });
    });
  });
});
