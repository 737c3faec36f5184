import {
  CreateUserCommand,
  EntityAlreadyExistsException,
  GetUserCommand,
  LimitExceededException,
  NoSuchEntityException,
  ServiceFailureException,
  TagUserCommand,
  UntagUserCommand,
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
  occurredAt: '2026-11-28T09:00:00Z',
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
        rehired: false,
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
          { Key: 'lifecycle:lastEventAt', Value: '2026-11-28T09:00:00Z' },
          { Key: 'lifecycle:lastEventId', Value: 'evt-1' },
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
        rehired: false,
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

  describe('when a termination holds the user disabled (a rehire during the retention)', () => {
    /** Ada's user as the termination evt-9 of 2026-11-20 left it, onboarded by evt-0. */
    const terminated = (tags: Record<string, string | undefined> = {}) =>
      user('ada.lovelace', 'E1001', {
        tags: {
          eventId: 'evt-0',
          'onboarding:notified': 'evt-0',
          'lifecycle:disabledBy': 'evt-9',
          'lifecycle:disabledAt': '2026-11-20T10:00:01.000Z',
          'lifecycle:lastEventAt': '2026-11-20T10:00:00Z',
          'lifecycle:lastEventId': 'evt-9',
          ...tags,
        },
      });
    const commandNames = () => iamMock.calls().map((call) => call.args[0].constructor.name);

    it("makes the user this hire's: tagged with the hire, then the termination's marks removed", async () => {
      // Arrange
      iamMock.on(CreateUserCommand).rejects(alreadyExists());
      iamMock.on(GetUserCommand).resolves({ User: terminated() });

      // Act
      const result = await handler(input({ department: 'Finance' }), context);

      // Assert
      expect(result).toEqual({
        userName: 'ada.lovelace',
        userArn: 'arn:aws:iam::123456789012:user/onboarded/ada.lovelace',
        adopted: true,
        rehired: true,
      });
      expect(commandNames()).toEqual([
        'CreateUserCommand',
        'GetUserCommand',
        'TagUserCommand',
        'UntagUserCommand',
      ]);
      expect(iamMock.commandCalls(TagUserCommand)[0]?.args[0].input).toEqual({
        UserName: 'ada.lovelace',
        Tags: [
          { Key: 'eventId', Value: 'evt-1' },
          { Key: 'department', Value: 'Finance' },
          { Key: 'lifecycle:lastEventAt', Value: '2026-11-28T09:00:00Z' },
          { Key: 'lifecycle:lastEventId', Value: 'evt-1' },
        ],
      });
      expect(iamMock.commandCalls(UntagUserCommand)[0]?.args[0].input).toEqual({
        UserName: 'ada.lovelace',
        TagKeys: ['lifecycle:disabledBy', 'lifecycle:disabledAt', 'onboarding:notified'],
      });
    });

    it('carries on as the same rehire when a crash came between the tagging and the untagging', async () => {
      iamMock.on(CreateUserCommand).rejects(alreadyExists());
      iamMock.on(GetUserCommand).resolves({
        User: terminated({
          eventId: 'evt-1',
          'lifecycle:lastEventId': 'evt-1',
          'lifecycle:lastEventAt': '2026-11-28T09:00:00Z',
        }),
      });
      await expect(handler(input(), context)).resolves.toMatchObject({ adopted: true, rehired: true });
      expect(commandNames()).toContain('UntagUserCommand');
    });

    it.each([
      {
        what: 'the hire is older than the termination (a late or resent hire)',
        occurredAt: '2026-11-19T23:59:59Z',
        tags: {},
        reason: /termination evt-9 .* is newer than this hire/,
      },
      {
        what: 'the user was disabled by hand, not by the last HR event',
        occurredAt: '2026-11-28T09:00:00Z',
        tags: { 'lifecycle:disabledBy': 'ops:arn:aws:iam::123456789012:user/alice' },
        reason: /disabled by ops:.*not by the employee's termination/,
      },
    ])('refuses, changing nothing, when $what', async ({ occurredAt, tags, reason }) => {
      iamMock.on(CreateUserCommand).rejects(alreadyExists());
      iamMock.on(GetUserCommand).resolves({ User: terminated(tags) });

      const failure = handler({ ...input(), occurredAt }, context);

      await expect(failure).rejects.toMatchObject({
        name: 'UserAdoptionRefusedError',
        message: expect.stringMatching(reason),
      });
      expect(commandNames()).toEqual(['CreateUserCommand', 'GetUserCommand']);
    });

    it('rehires a hire at the same instant as the termination (instants compared, any time zone)', async () => {
      iamMock.on(CreateUserCommand).rejects(alreadyExists());
      iamMock.on(GetUserCommand).resolves({ User: terminated() });
      const result = handler({ ...input(), occurredAt: '2026-11-20T11:00:00+01:00' }, context);
      await expect(result).resolves.toMatchObject({ rehired: true });
    });

    it('maps a throttled UntagUser to IamThrottledError, so the step is retried', async () => {
      iamMock.on(CreateUserCommand).rejects(alreadyExists());
      iamMock.on(GetUserCommand).resolves({ User: terminated() });
      iamMock.on(UntagUserCommand).rejects(unmodelledIamError('Throttling'));
      await expect(handler(input(), context)).rejects.toMatchObject({
        name: 'IamThrottledError',
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
