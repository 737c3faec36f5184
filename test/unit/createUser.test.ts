import {
  CreateUserCommand,
  EntityAlreadyExistsException,
  GetUserCommand,
  LimitExceededException,
  NoSuchEntityException,
  ServiceFailureException,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { type CreateUserInput, handler } from '../../functions/createUser';
import { iam } from '../../functions/shared/iamClient';
import {
  $metadata,
  captureLogLines,
  executionArn,
  lambdaContext,
  newHire,
  unmodelledIamError,
  useEnv,
} from '../support/lambda';

const iamMock = mockClient(iam);
const context = lambdaContext('createUser');
const BOUNDARY = 'arn:aws:iam::123456789012:policy/iam-onboarding-boundary';

const input = (employee: Partial<CreateUserInput['employee']> = {}): CreateUserInput => ({
  eventId: 'evt-1',
  executionArn,
  employee: { ...newHire, ...employee },
});
/** A user as the onboarding creates it for event evt-1; `changes` edits its path and tags. */
const user = (
  userName: string,
  employeeId: string,
  changes: { path?: string; tags?: Record<string, string | undefined> } = {},
) => {
  const tags: Record<string, string | undefined> = {
    employeeId,
    eventId: 'evt-1',
    department: 'Engineering',
    managedBy: 'iam-onboarding',
    ...changes.tags,
  };
  const path = changes.path ?? '/onboarded/';
  return {
    UserName: userName,
    UserId: `AIDA${employeeId}`,
    Arn: `arn:aws:iam::123456789012:user${path}${userName}`,
    Path: path,
    CreateDate: new Date(0),
    Tags: Object.entries(tags).flatMap(([Key, Value]) => (Value === undefined ? [] : [{ Key, Value }])),
  };
};
const alreadyExists = () => new EntityAlreadyExistsException({ message: 'User already exists.', $metadata });

useEnv({ ACCOUNT_ID: '123456789012' });
let logs: string[];
beforeEach(() => {
  iamMock.reset();
  logs = captureLogLines();
});
afterEach(() => jest.restoreAllMocks());

describe('createUser', () => {
  describe('when the name is free', () => {
    it('creates the user under /onboarded/ with the profile boundary and identifying tags', async () => {
      // Arrange
      iamMock.on(CreateUserCommand).resolves({ User: user('ada.lovelace', 'E1001') });

      // Act
      const result = await handler(input(), context);

      // Assert
      expect(result).toEqual({
        userName: 'ada.lovelace',
        userArn: 'arn:aws:iam::123456789012:user/onboarded/ada.lovelace',
        adopted: false,
      });
      expect(iamMock.calls()).toHaveLength(1);
      expect(iamMock.commandCalls(CreateUserCommand)[0]?.args[0].input).toEqual({
        UserName: 'ada.lovelace',
        Path: '/onboarded/',
        PermissionsBoundary: BOUNDARY,
        Tags: [
          { Key: 'employeeId', Value: 'E1001' },
          { Key: 'eventId', Value: 'evt-1' },
          { Key: 'department', Value: 'Engineering' },
          { Key: 'managedBy', Value: 'iam-onboarding' },
        ],
      });
      expect(logs.length).toBeGreaterThan(0);
      expect(logs.every((line) => line.includes(executionArn))).toBe(true);
    });
  });

  describe('when the user already exists', () => {
    it('adopts it when the employeeId tag matches', async () => {
      // Arrange
      iamMock.on(CreateUserCommand).rejects(alreadyExists());
      iamMock
        .on(GetUserCommand, { UserName: 'ada.lovelace' })
        .resolves({ User: user('ada.lovelace', 'E1001') });

      // Act
      const result = await handler(input(), context);

      // Assert
      expect(result).toEqual({
        userName: 'ada.lovelace',
        userArn: 'arn:aws:iam::123456789012:user/onboarded/ada.lovelace',
        adopted: true,
      });
      expect(iamMock.commandCalls(CreateUserCommand)).toHaveLength(1);
    });

    it('adopts an unfinished onboarding of this employee started by another event', async () => {
      iamMock.on(CreateUserCommand).rejects(alreadyExists());
      iamMock
        .on(GetUserCommand)
        .resolves({ User: user('ada.lovelace', 'E1001', { tags: { eventId: 'evt-0' } }) });
      await expect(handler(input(), context)).resolves.toMatchObject({ adopted: true });
    });

    it('adopts its own finished onboarding again (a redrive of the same event)', async () => {
      iamMock.on(CreateUserCommand).rejects(alreadyExists());
      iamMock
        .on(GetUserCommand)
        .resolves({ User: user('ada.lovelace', 'E1001', { tags: { 'onboarding:notified': 'evt-1' } }) });
      await expect(handler(input(), context)).resolves.toMatchObject({ adopted: true });
    });

    it.each([
      {
        what: 'it finished onboarding for another event',
        changes: { tags: { eventId: 'evt-0', 'onboarding:notified': 'evt-0' } },
      },
      { what: 'it is not under /onboarded/', changes: { path: '/' } },
      { what: 'it has no managedBy tag', changes: { tags: { managedBy: undefined } } },
      { what: 'another tool manages it', changes: { tags: { managedBy: 'terraform' } } },
    ])('refuses with UserAdoptionRefusedError, changing nothing, when $what', async ({ changes }) => {
      // Arrange
      iamMock.on(CreateUserCommand).rejects(alreadyExists());
      iamMock.on(GetUserCommand).resolves({ User: user('ada.lovelace', 'E1001', changes) });

      // Act
      const failure = handler(input(), context);

      // Assert
      await expect(failure).rejects.toMatchObject({ name: 'UserAdoptionRefusedError', retryable: false });
      expect(iamMock.calls().map((call) => call.args[0].constructor.name)).toEqual([
        'CreateUserCommand',
        'GetUserCommand',
      ]);
    });

    it('creates the alternative name with the employee id when another employee holds the name', async () => {
      // Arrange
      iamMock
        .on(CreateUserCommand, { UserName: 'ada.lovelace' })
        .rejects(alreadyExists())
        .on(CreateUserCommand, { UserName: 'ada.lovelace-e1001' })
        .resolves({ User: user('ada.lovelace-e1001', 'E1001') })
        .on(GetUserCommand, { UserName: 'ada.lovelace' })
        .resolves({ User: user('ada.lovelace', 'E0999') });

      // Act
      const result = await handler(input(), context);

      // Assert
      expect(result).toMatchObject({ userName: 'ada.lovelace-e1001', adopted: false });
      expect(iamMock.commandCalls(CreateUserCommand).map((call) => call.args[0].input.UserName)).toEqual([
        'ada.lovelace',
        'ada.lovelace-e1001',
      ]);
    });

    it('fails with UserNameConflictError when every candidate belongs to someone else', async () => {
      // Arrange
      iamMock.on(CreateUserCommand).rejects(alreadyExists());
      iamMock
        .on(GetUserCommand)
        .callsFake(({ UserName }: { UserName: string }) => ({ User: user(UserName, 'E0999') }));

      // Act
      const result = handler(input(), context);

      // Assert
      await expect(result).rejects.toMatchObject({ name: 'UserNameConflictError', retryable: false });
      expect(iamMock.commandCalls(CreateUserCommand)).toHaveLength(2);
    });

    it('treats a user that vanished before GetUser as not yet consistent (retryable)', async () => {
      iamMock.on(CreateUserCommand).rejects(alreadyExists());
      iamMock
        .on(GetUserCommand)
        .rejects(new NoSuchEntityException({ message: 'cannot be found', $metadata }));
      await expect(handler(input(), context)).rejects.toMatchObject({
        name: 'IamNotYetConsistentError',
        retryable: true,
      });
    });
  });

  describe('when it runs a second time (a lost response)', () => {
    it('adopts the user the first run created and returns the same result', async () => {
      // Arrange
      iamMock
        .on(CreateUserCommand)
        .resolvesOnce({ User: user('ada.lovelace', 'E1001') })
        .rejects(alreadyExists())
        .on(GetUserCommand)
        .resolves({ User: user('ada.lovelace', 'E1001') });

      // Act
      const first = await handler(input(), context);
      const second = await handler(input(), context);

      // Assert
      expect(second).toEqual({ ...first, adopted: true });
    });
  });

  describe('when IAM refuses', () => {
    it.each([
      {
        code: 'LimitExceeded',
        name: 'IamLimitExceededError',
        error: new LimitExceededException({ message: 'quota', $metadata }),
      },
      { code: 'Throttling', name: 'IamThrottledError', error: unmodelledIamError('Throttling') },
      {
        code: 'ServiceFailure',
        name: 'IamServiceError',
        error: new ServiceFailureException({ message: 'oops', $metadata: { httpStatusCode: 500 } }),
      },
      { code: 'InvalidInput', name: 'IamRequestRejectedError', error: unmodelledIamError('InvalidInput') },
      {
        code: 'NoSuchEntity for the boundary',
        name: 'PolicyNotFoundError',
        error: new NoSuchEntityException({
          message: `Policy ${BOUNDARY} does not exist or is not attachable.`,
          $metadata,
        }),
      },
    ])('maps $code on CreateUser to $name', async ({ error, name }) => {
      iamMock.on(CreateUserCommand).rejects(error);
      const failure: unknown = await handler(input(), context).catch((e: unknown) => e);
      expect(failure).toMatchObject({ name, cause: error });
    });
  });

  it('fails with UnknownDepartmentError before calling IAM when no profile matches', async () => {
    await expect(handler(input({ department: 'Catering' }), context)).rejects.toMatchObject({
      name: 'UnknownDepartmentError',
    });
    expect(iamMock.calls()).toHaveLength(0);
  });

  it('fails with ConfigurationError when ACCOUNT_ID is missing', async () => {
    delete process.env.ACCOUNT_ID;
    await expect(handler(input(), context)).rejects.toMatchObject({ name: 'ConfigurationError' });
  });
});
