import {
  CreateLoginProfileCommand,
  EntityAlreadyExistsException,
  GetAccountPasswordPolicyCommand,
  IAMServiceException,
  NoSuchEntityException,
  PasswordPolicyViolationException,
  ServiceFailureException,
  UpdateLoginProfileCommand,
} from '@aws-sdk/client-iam';
import {
  CreateSecretCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { type GeneratePasswordInput, handler } from '../../functions/generatePassword';
import { iam } from '../../functions/shared/iamClient';
import { secretsManager } from '../../functions/shared/secretsManagerClient';
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
const secretsMock = mockClient(secretsManager);
const context = lambdaContext('generatePassword');
const SECRET_PREFIX = 'iam-onboarding/dev/temporary-password/';
const secretName = `${SECRET_PREFIX}ada.lovelace`;
const secretArn = `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${secretName}-AbCdEf`;

const input: GeneratePasswordInput = {
  userName: 'ada.lovelace',
  eventId: 'evt-1',
  executionArn,
  employee: newHire,
};
/** The passwords the handler sent to AWS, as seen by the mocks. */
const sentPasswords = () => [
  ...secretsMock.commandCalls(CreateSecretCommand).map((call) => call.args[0].input.SecretString),
  ...secretsMock.commandCalls(PutSecretValueCommand).map((call) => call.args[0].input.SecretString),
  ...iamMock.commandCalls(CreateLoginProfileCommand).map((call) => call.args[0].input.Password),
  ...iamMock.commandCalls(UpdateLoginProfileCommand).map((call) => call.args[0].input.Password),
];

/** Everything a failure exposes: its message, stack, name and its causes, as a logger would print them. */
function exposed(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return [error.name, error.message, error.stack, JSON.stringify(error), exposed(error.cause)].join('\n');
}

useEnv({ SECRET_PREFIX });
let logs: string[];
beforeEach(() => {
  iamMock.reset();
  secretsMock.reset();
  secretsMock.on(CreateSecretCommand).resolves({ ARN: secretArn, Name: secretName });
  iamMock
    .on(GetAccountPasswordPolicyCommand)
    .rejects(new NoSuchEntityException({ message: 'no policy', $metadata }));
  logs = captureLogLines();
});
afterEach(() => jest.restoreAllMocks());

describe('generatePassword', () => {
  describe('on a first run', () => {
    it('stores the password first, then sets it as a console password to change at first sign-in', async () => {
      // Arrange
      const order: string[] = [];
      secretsMock.on(CreateSecretCommand).callsFake(() => {
        order.push('CreateSecret');
        return { ARN: secretArn };
      });
      iamMock.on(CreateLoginProfileCommand).callsFake(() => {
        order.push('CreateLoginProfile');
        return {};
      });

      // Act
      const result = await handler(input, context);

      // Assert
      expect(result).toEqual({ secretArn });
      expect(order).toEqual(['CreateSecret', 'CreateLoginProfile']);
      const [stored, set] = sentPasswords();
      expect(stored).toBe(set);
      expect(secretsMock.commandCalls(CreateSecretCommand)[0]?.args[0].input).toEqual({
        Name: secretName,
        SecretString: stored,
        Description: 'Temporary console password of a new IAM user; deleted once it has been emailed.',
        Tags: [
          { Key: 'employeeId', Value: 'E1001' },
          { Key: 'eventId', Value: 'evt-1' },
          { Key: 'purpose', Value: 'temporary-password' },
        ],
      });
      expect(iamMock.commandCalls(CreateLoginProfileCommand)[0]?.args[0].input).toEqual({
        UserName: 'ada.lovelace',
        Password: stored,
        PasswordResetRequired: true,
      });
    });

    it('uses 20 characters of all four classes when the account has no password policy', async () => {
      await handler(input, context);
      const [password] = sentPasswords();
      expect(password).toHaveLength(20);
      expect(password).toMatch(/[A-Z]/);
      expect(password).toMatch(/[a-z]/);
      expect(password).toMatch(/[0-9]/);
      expect(password).toMatch(/[!@#$%^&*()_+\-=[\]{}|']/);
    });

    it('meets a longer minimum length from the account password policy', async () => {
      iamMock.on(GetAccountPasswordPolicyCommand).resolves({
        PasswordPolicy: { MinimumPasswordLength: 32, RequireSymbols: true, RequireNumbers: true },
      });
      await handler(input, context);
      expect(sentPasswords()[0]).toHaveLength(32);
    });

    it('never puts the password in its result or its logs', async () => {
      // Act
      const result = await handler(input, context);

      // Assert
      const [password] = sentPasswords();
      expect(password).toBeDefined();
      expect(JSON.stringify(result)).not.toContain(password);
      expect(logs.length).toBeGreaterThan(0);
      expect(logs.join('\n')).not.toContain(password);
      expect(logs.join('\n')).toContain(executionArn);
    });
  });

  describe('on a second run (a retry after a lost response)', () => {
    it('replaces the stored password and updates the login profile with the same new one', async () => {
      // Arrange
      secretsMock
        .on(CreateSecretCommand)
        .rejects(new ResourceExistsException({ message: 'exists', $metadata }));
      secretsMock.on(PutSecretValueCommand).resolves({ ARN: secretArn });
      iamMock
        .on(CreateLoginProfileCommand)
        .rejects(new EntityAlreadyExistsException({ message: 'exists', $metadata }));

      // Act
      const result = await handler(input, context);

      // Assert
      expect(result).toEqual({ secretArn });
      const stored = secretsMock.commandCalls(PutSecretValueCommand)[0]?.args[0].input.SecretString;
      expect(secretsMock.commandCalls(PutSecretValueCommand)[0]?.args[0].input.SecretId).toBe(secretName);
      expect(iamMock.commandCalls(UpdateLoginProfileCommand)[0]?.args[0].input).toEqual({
        UserName: 'ada.lovelace',
        Password: stored,
        PasswordResetRequired: true,
      });
    });
  });

  describe('when a call fails', () => {
    it('does not touch the login profile when storing the secret fails', async () => {
      secretsMock.on(CreateSecretCommand).rejects(
        new SecretsManagerServiceException({
          name: 'ThrottlingException',
          $fault: 'client',
          message: 'slow',
          $metadata,
        }),
      );
      await expect(handler(input, context)).rejects.toMatchObject({
        name: 'SecretsServiceError',
        retryable: true,
      });
      expect(iamMock.commandCalls(CreateLoginProfileCommand)).toHaveLength(0);
    });

    it.each([
      {
        code: 'PasswordPolicyViolation',
        name: 'PasswordPolicyViolationError',
        error: new PasswordPolicyViolationException({ message: 'Password should have a symbol', $metadata }),
      },
      { code: 'Throttling', name: 'IamThrottledError', error: unmodelledIamError('Throttling') },
      {
        code: 'ServiceFailure',
        name: 'IamServiceError',
        error: new ServiceFailureException({ message: 'oops', $metadata: { httpStatusCode: 500 } }),
      },
      {
        code: 'NoSuchEntity',
        name: 'IamNotYetConsistentError',
        error: new NoSuchEntityException({
          message: 'The user with name ada.lovelace cannot be found.',
          $metadata,
        }),
      },
    ])('maps $code on CreateLoginProfile to $name', async ({ error, name }) => {
      iamMock.on(CreateLoginProfileCommand).rejects(error);
      await expect(handler(input, context)).rejects.toMatchObject({ name, cause: error });
    });

    it('maps Throttling on GetAccountPasswordPolicy to IamThrottledError', async () => {
      iamMock.on(GetAccountPasswordPolicyCommand).rejects(unmodelledIamError('Throttling'));
      await expect(handler(input, context)).rejects.toMatchObject({ name: 'IamThrottledError' });
    });

    it('keeps the password out of the error and the logs even when IAM echoes it back', async () => {
      // Arrange
      iamMock.on(CreateLoginProfileCommand).callsFake(({ Password }: { Password: string }) => {
        throw new PasswordPolicyViolationException({
          message: `Password ${Password} is too weak`,
          $metadata,
        });
      });

      // Act
      const error: unknown = await handler(input, context).catch((e: unknown) => e);

      // Assert
      const [password] = sentPasswords();
      expect(password).toBeDefined();
      expect(error).toMatchObject({
        name: 'PasswordPolicyViolationError',
        cause: { name: 'PasswordPolicyViolationException' },
      });
      expect(exposed(error)).toContain('[redacted]');
      expect(exposed(error)).not.toContain(password);
      expect(logs.some((line) => line.includes('PasswordPolicyViolationError'))).toBe(true);
      expect(logs.join('\n')).not.toContain(password);
    });

    it('keeps the password out of an UpdateLoginProfile error too', async () => {
      iamMock
        .on(CreateLoginProfileCommand)
        .rejects(new EntityAlreadyExistsException({ message: 'exists', $metadata }));
      iamMock.on(UpdateLoginProfileCommand).callsFake(({ Password }: { Password: string }) => {
        throw new IAMServiceException({
          name: 'ValidationError',
          $fault: 'client',
          message: `bad ${Password}`,
          $metadata,
        });
      });
      const error: unknown = await handler(input, context).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'IamRequestRejectedError' });
      expect(exposed(error)).toContain('[redacted]');
      expect(exposed(error)).not.toContain(sentPasswords()[0]);
    });
  });
});
