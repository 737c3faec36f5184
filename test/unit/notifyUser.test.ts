import {
  ListAccountAliasesCommand,
  ListUserTagsCommand,
  NoSuchEntityException,
  TagUserCommand,
} from '@aws-sdk/client-iam';
import {
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerServiceException,
  TagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import { MessageRejected, SendEmailCommand, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { handler, type NotifyUserInput } from '../../functions/notifyUser';
import { iam } from '../../functions/shared/iamClient';
import { secretsManager } from '../../functions/shared/secretsManagerClient';
import { ses } from '../../functions/shared/sesClient';
import {
  $metadata,
  captureLogLines,
  commandsSent,
  executionArn,
  lambdaContext,
  newHire,
  unmodelledIamError,
  useEnv,
} from '../support/lambda';

const iamMock = mockClient(iam);
const secretsMock = mockClient(secretsManager);
const sesMock = mockClient(ses);
const context = lambdaContext('notifyUser');
const secretArn =
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:iam-onboarding/dev/temporary-password/ada.lovelace-AbCdEf';
const PASSWORD = 'Q7!vX2@pL9#mR4$tK1^w';

const input = (employee: Partial<NotifyUserInput['employee']> = {}): NotifyUserInput => ({
  userName: 'ada.lovelace',
  eventId: 'evt-1',
  secretArn,
  executionArn,
  employee: { ...newHire, personalEmail: 'ada@home.example', ...employee },
});
/** The emails sent, in order. */
const emails = () =>
  sesMock.commandCalls(SendEmailCommand).map(({ args: [{ input: email }] }) => ({
    to: email.Destination?.ToAddresses,
    from: email.FromEmailAddress,
    subject: email.Content?.Simple?.Subject?.Data,
    text: email.Content?.Simple?.Body?.Text?.Data ?? '',
  }));
/** The sends recorded on the secret, and the tags written on the user. */
const recorded = () => secretsMock.commandCalls(TagResourceCommand).map((call) => call.args[0].input);
const tagsWritten = () => iamMock.commandCalls(TagUserCommand).map((call) => call.args[0].input);
const secretTags = (...Tags: { Key: string; Value: string }[]) =>
  secretsMock.on(DescribeSecretCommand, { SecretId: secretArn }).resolves({ ARN: secretArn, Tags });
const secretGone = () =>
  secretsMock
    .on(DescribeSecretCommand)
    .rejects(new ResourceNotFoundException({ message: 'gone', $metadata }));
const secretsThrottling = () =>
  new SecretsManagerServiceException({
    name: 'ThrottlingException',
    $fault: 'client',
    message: 'Rate exceeded',
    $metadata,
  });

useEnv({ ACCOUNT_ID: '123456789012', SENDER_EMAIL: 'it@example.com' });
let logs: string[];
beforeEach(() => {
  iamMock.reset();
  secretsMock.reset();
  sesMock.reset();
  iamMock.on(ListUserTagsCommand).resolves({ Tags: [{ Key: 'employeeId', Value: 'E1001' }] });
  iamMock.on(ListAccountAliasesCommand).resolves({ AccountAliases: ['acme'] });
  secretTags({ Key: 'purpose', Value: 'temporary-password' });
  secretsMock.on(GetSecretValueCommand, { SecretId: secretArn }).resolves({ SecretString: PASSWORD });
  sesMock.on(SendEmailCommand).resolves({ MessageId: 'message-1' });
  logs = captureLogLines();
});
afterEach(() => jest.restoreAllMocks());

describe('notifyUser', () => {
  describe('on a first run', () => {
    it('emails the sign-in details to the work address and the password separately to the manager', async () => {
      // Act
      const result = await handler(input(), context);

      // Assert
      expect(result).toEqual({
        welcomeSentTo: 'a***@example.com',
        passwordSentTo: 'b***@example.com',
      });
      const [welcome, password] = emails();
      expect(emails()).toHaveLength(2);
      expect(welcome).toMatchObject({ to: ['ada.lovelace@example.com'], from: 'it@example.com' });
      expect(welcome?.text).toContain('https://acme.signin.aws.amazon.com/console');
      expect(welcome?.text).toContain('ada.lovelace');
      expect(welcome?.text).toContain('you must change it at first sign-in');
      expect(welcome?.text).not.toContain(PASSWORD);
      expect(password).toMatchObject({ to: ['boss@example.com'], from: 'it@example.com' });
      expect(password?.text).toContain(PASSWORD);
      expect(password?.text).toContain('ada.lovelace');
      expect(password?.subject).not.toContain(PASSWORD);
    });

    it('records each send on the secret, then tags the user as notified and deletes the secret for good', async () => {
      // Arrange
      const order: string[] = [];
      const record = (action: string) => () => {
        order.push(action);
        return {};
      };
      sesMock.on(SendEmailCommand).callsFake(record('SendEmail'));
      secretsMock.on(TagResourceCommand).callsFake(record('TagResource'));
      iamMock.on(TagUserCommand).callsFake(record('TagUser'));
      secretsMock.on(DeleteSecretCommand).callsFake(record('DeleteSecret'));

      // Act
      await handler(input(), context);

      // Assert
      expect(order).toEqual([
        'SendEmail',
        'TagResource',
        'SendEmail',
        'TagResource',
        'TagUser',
        'DeleteSecret',
      ]);
      expect(recorded()).toEqual([
        { SecretId: secretArn, Tags: [{ Key: 'onboarding:welcomeSent', Value: 'evt-1' }] },
        { SecretId: secretArn, Tags: [{ Key: 'onboarding:passwordSent', Value: 'evt-1' }] },
      ]);
      expect(tagsWritten()).toEqual([
        { UserName: 'ada.lovelace', Tags: [{ Key: 'onboarding:notified', Value: 'evt-1' }] },
      ]);
      // IAM is the scarce resource in a burst: two calls, none of them a record of a sent email.
      expect(commandsSent(iamMock).map(([name]) => name)).toEqual([
        'ListAccountAliasesCommand',
        'TagUserCommand',
      ]);
      expect(secretsMock.commandCalls(DeleteSecretCommand)[0]?.args[0].input).toEqual({
        SecretId: secretArn,
        ForceDeleteWithoutRecovery: true,
      });
    });

    it('uses the account id in the sign-in URL when the account has no alias', async () => {
      iamMock.on(ListAccountAliasesCommand).resolves({ AccountAliases: [] });
      await handler(input(), context);
      expect(emails()[0]?.text).toContain('https://123456789012.signin.aws.amazon.com/console');
    });

    it('sends the password to the personal address when there is no manager', async () => {
      const result = await handler(input({ managerEmail: undefined }), context);
      expect(result.passwordSentTo).toBe('a***@home.example');
      expect(emails()[1]?.to).toEqual(['ada@home.example']);
    });

    it('fails with PasswordRecipientMissingError, sending nothing, when there is neither', async () => {
      const run = handler(input({ managerEmail: undefined, personalEmail: undefined }), context);
      await expect(run).rejects.toMatchObject({ name: 'PasswordRecipientMissingError', retryable: false });
      expect(emails()).toHaveLength(0);
    });

    it('retries the record of a sent email in place rather than fail the step and send it again', async () => {
      jest.spyOn(Math, 'random').mockReturnValue(0);
      secretsMock
        .on(TagResourceCommand)
        .rejectsOnce(secretsThrottling())
        .rejectsOnce(secretsThrottling())
        .resolves({});

      await handler(input(), context);

      expect(emails()).toHaveLength(2);
      expect(recorded().map((tag) => tag.Tags?.[0]?.Key)).toEqual([
        'onboarding:welcomeSent',
        'onboarding:welcomeSent',
        'onboarding:welcomeSent',
        'onboarding:passwordSent',
      ]);
      expect(logs.join('\n')).toContain('Recording a sent email failed, retrying');
    });

    it('fails with SecretsServiceError, keeping the secret, once the in-place retries of the record run out', async () => {
      jest.spyOn(Math, 'random').mockReturnValue(0);
      secretsMock.on(TagResourceCommand).rejects(secretsThrottling());

      await expect(handler(input(), context)).rejects.toMatchObject({ name: 'SecretsServiceError' });

      expect(emails()).toHaveLength(1);
      expect(recorded()).toHaveLength(9);
      expect(secretsMock.commandCalls(DeleteSecretCommand)).toHaveLength(0);
    });

    it('never puts the password in its result or its logs', async () => {
      const result = await handler(input(), context);
      expect(JSON.stringify(result)).not.toContain(PASSWORD);
      expect(logs.length).toBeGreaterThan(0);
      expect(logs.join('\n')).toContain(executionArn);
      expect(logs.join('\n')).not.toContain(PASSWORD);
    });
  });

  describe('on a second run', () => {
    it('sends nothing again when both sends are recorded for this event, and still tags the user and deletes the secret', async () => {
      // Arrange
      secretTags(
        { Key: 'onboarding:welcomeSent', Value: 'evt-1' },
        { Key: 'onboarding:passwordSent', Value: 'evt-1' },
      );

      // Act
      const result = await handler(input(), context);

      // Assert
      expect(result).toEqual({
        welcomeSentTo: 'a***@example.com',
        passwordSentTo: 'b***@example.com',
      });
      expect(emails()).toHaveLength(0);
      expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(0);
      expect(recorded()).toHaveLength(0);
      expect(tagsWritten()).toHaveLength(1);
      expect(secretsMock.commandCalls(DeleteSecretCommand)).toHaveLength(1);
    });

    it('sends only the password when the welcome email was recorded before a failure', async () => {
      secretTags({ Key: 'onboarding:welcomeSent', Value: 'evt-1' });
      await handler(input(), context);
      expect(emails().map((email) => email.to)).toEqual([['boss@example.com']]);
      expect(recorded()).toEqual([
        { SecretId: secretArn, Tags: [{ Key: 'onboarding:passwordSent', Value: 'evt-1' }] },
      ]);
    });

    it('sends both again for a different event (a rehire)', async () => {
      secretTags(
        { Key: 'onboarding:welcomeSent', Value: 'evt-0' },
        { Key: 'onboarding:passwordSent', Value: 'evt-0' },
      );
      await handler(input(), context);
      expect(emails()).toHaveLength(2);
    });

    it('succeeds without sending anything when the secret is gone and the user was notified for this event', async () => {
      // Arrange: the earlier run crashed after deleting the secret.
      secretGone();
      iamMock.on(ListUserTagsCommand).resolves({ Tags: [{ Key: 'onboarding:notified', Value: 'evt-1' }] });

      // Act
      const result = await handler(input(), context);

      // Assert
      expect(result).toEqual({
        welcomeSentTo: 'a***@example.com',
        passwordSentTo: 'b***@example.com',
      });
      expect(emails()).toHaveLength(0);
      expect(recorded()).toHaveLength(0);
      expect(tagsWritten()).toHaveLength(0);
    });
  });

  describe('when a call fails', () => {
    it.each([
      { user: 'not tagged notified', Tags: [{ Key: 'employeeId', Value: 'E1001' }] },
      { user: 'notified for another event', Tags: [{ Key: 'onboarding:notified', Value: 'evt-0' }] },
    ])(
      'fails with PasswordSecretMissingError, sending nothing, when the secret is gone and the user is $user',
      async ({ Tags }) => {
        secretGone();
        iamMock.on(ListUserTagsCommand).resolves({ Tags });
        await expect(handler(input(), context)).rejects.toMatchObject({
          name: 'PasswordSecretMissingError',
          retryable: false,
        });
        expect(emails()).toHaveLength(0);
        expect(tagsWritten()).toHaveLength(0);
      },
    );

    it('maps Secrets Manager throttling on DescribeSecret to SecretsServiceError, sending nothing', async () => {
      secretsMock.on(DescribeSecretCommand).rejects(secretsThrottling());
      await expect(handler(input(), context)).rejects.toMatchObject({ name: 'SecretsServiceError' });
      expect(emails()).toHaveLength(0);
    });

    it('fails with PasswordSecretMissingError when the secret is gone before the password was sent', async () => {
      secretsMock
        .on(GetSecretValueCommand)
        .rejects(new ResourceNotFoundException({ message: 'gone', $metadata }));
      await expect(handler(input(), context)).rejects.toMatchObject({ name: 'PasswordSecretMissingError' });
      expect(emails()).toHaveLength(1);
    });

    it.each([
      {
        code: 'MessageRejected',
        name: 'MailRejectedError',
        error: new MessageRejected({ message: 'Email address is not verified.', $metadata }),
        // Permanent: no step will ever send this password, so it goes.
        deletes: 1,
      },
      {
        code: 'TooManyRequests',
        name: 'MailServiceError',
        error: new TooManyRequestsException({ message: 'slow down', $metadata: { httpStatusCode: 429 } }),
        // Retryable: the retry or the redrive still needs it.
        deletes: 0,
      },
    ])(
      'maps SES $code to $name, records nothing for the failed send and deletes the secret $deletes time(s)',
      async ({ error, name, deletes }) => {
        sesMock.on(SendEmailCommand).rejects(error);
        await expect(handler(input(), context)).rejects.toMatchObject({ name, cause: error });
        expect(recorded()).toHaveLength(0);
        expect(tagsWritten()).toHaveLength(0);
        expect(secretsMock.commandCalls(DeleteSecretCommand)).toHaveLength(deletes);
      },
    );

    it('maps a password email rejection to MailRejectedError without leaking the password it echoes', async () => {
      // A refusal that quotes the message body, as content filters do.
      const rejection = new MessageRejected({ message: `Blocked content: "${PASSWORD}"`, $metadata });
      sesMock.on(SendEmailCommand).resolvesOnce({ MessageId: 'message-1' }).rejects(rejection);
      const error: unknown = await handler(input(), context).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'MailRejectedError' });
      expect((error as Error).message).toContain('Blocked content');
      expect(`${(error as Error).message}\n${(error as Error).stack}`).not.toContain(PASSWORD);
      expect(JSON.stringify((error as Error).cause)).not.toContain(PASSWORD);
      expect(String(((error as Error).cause as Error).message)).not.toContain(PASSWORD);
      expect(logs.join('\n')).toContain('MailRejectedError');
      expect(logs.join('\n')).not.toContain(PASSWORD);
    });

    it('keeps email addresses out of the error, its logs and its result', async () => {
      sesMock.on(SendEmailCommand).rejects(
        new MessageRejected({
          message: 'Email address is not verified: ada.lovelace@example.com',
          $metadata,
        }),
      );
      const error: unknown = await handler(input(), context).catch((e: unknown) => e);
      expect((error as Error).message).toBe(
        'SES SendEmail to a***@example.com failed: MessageRejected: Email address is not verified: a***@example.com',
      );
      expect(logs.join('\n')).not.toContain('ada.lovelace@example.com');
    });

    it.each([
      {
        code: 'Throttling',
        name: 'IamThrottledError',
        error: unmodelledIamError('Throttling'),
      },
      {
        code: 'NoSuchEntity',
        name: 'IamNotYetConsistentError',
        error: new NoSuchEntityException({ message: 'no user', $metadata }),
      },
    ])(
      'maps IAM $code on TagUser to $name, keeping the secret and both records for the retry',
      async ({ error, name }) => {
        iamMock.on(TagUserCommand).rejects(error);
        await expect(handler(input(), context)).rejects.toMatchObject({ name });
        expect(recorded()).toHaveLength(2);
        expect(secretsMock.commandCalls(DeleteSecretCommand)).toHaveLength(0);
      },
    );
  });
});
