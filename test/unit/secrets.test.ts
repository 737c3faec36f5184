import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  InternalServiceError,
  InvalidRequestException,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import {
  deleteTemporaryPassword,
  readTemporaryPassword,
  secretsError,
  storeTemporaryPassword,
  withoutSecret,
} from '../../functions/shared/secrets';
import { secretsManager } from '../../functions/shared/secretsManagerClient';
import { $metadata } from '../support/lambda';

const secretsMock = mockClient(secretsManager);
const name = 'iam-onboarding/dev/temporary-password/ada.lovelace';
const arn = `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${name}-AbCdEf`;
const password = 'Xy7!pQ2#rS9$tU4%vW1^';
const secret = {
  name,
  password,
  tags: { employeeId: 'E1001', eventId: 'evt-1', purpose: 'temporary-password' },
};

const throttling = () =>
  new SecretsManagerServiceException({
    name: 'ThrottlingException',
    $fault: 'client',
    message: 'Rate exceeded',
    $metadata,
  });

beforeEach(() => secretsMock.reset());

describe('secretsError', () => {
  it.each([
    ['ThrottlingException', 'SecretsServiceError', true, throttling()],
    [
      'InternalServiceError',
      'SecretsServiceError',
      true,
      new InternalServiceError({ message: 'oops', $metadata: { httpStatusCode: 500 } }),
    ],
    [
      'InvalidRequestException',
      'SecretsRequestRejectedError',
      false,
      new InvalidRequestException({ message: 'no', $metadata }),
    ],
    [
      'AccessDeniedException',
      'AccessDeniedError',
      false,
      new SecretsManagerServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        message: 'denied',
        $metadata,
      }),
    ],
  ])('maps %s to %s (retryable: %s)', (_code, errorName, retryable, error) => {
    const wrapped = secretsError('CreateSecret', error);
    expect(wrapped).toMatchObject({ name: errorName, retryable });
    expect(wrapped.cause).toBe(error);
  });
});

describe('storeTemporaryPassword', () => {
  it('creates a tagged secret that says it is deleted once emailed and returns its ARN', async () => {
    // Arrange
    secretsMock.on(CreateSecretCommand).resolves({ ARN: arn, Name: name });

    // Act
    const result = await storeTemporaryPassword(secret);

    // Assert
    expect(result).toBe(arn);
    expect(secretsMock.calls()).toHaveLength(1);
    expect(secretsMock.commandCalls(CreateSecretCommand)[0]?.args[0].input).toEqual({
      Name: name,
      SecretString: password,
      Description: expect.stringMatching(/deleted once it has been emailed/),
      Tags: [
        { Key: 'employeeId', Value: 'E1001' },
        { Key: 'eventId', Value: 'evt-1' },
        { Key: 'purpose', Value: 'temporary-password' },
      ],
    });
  });

  it('puts the new password into a secret left by an earlier attempt', async () => {
    // Arrange
    secretsMock
      .on(CreateSecretCommand)
      .rejects(new ResourceExistsException({ message: 'exists', $metadata }));
    secretsMock.on(PutSecretValueCommand).resolves({ ARN: arn });

    // Act
    const result = await storeTemporaryPassword(secret);

    // Assert
    expect(result).toBe(arn);
    expect(secretsMock.commandCalls(PutSecretValueCommand)[0]?.args[0].input).toEqual({
      SecretId: name,
      SecretString: password,
    });
  });

  it('never lets the password into an error, even when the service echoes it', async () => {
    // Arrange
    const echo = new InvalidRequestException({ message: `Value ${password} is not valid`, $metadata });
    secretsMock.on(CreateSecretCommand).rejects(echo);

    // Act
    const error: unknown = await storeTemporaryPassword(secret).catch((e: unknown) => e);

    // Assert
    expect(error).toMatchObject({
      name: 'SecretsRequestRejectedError',
      message: expect.stringContaining('[redacted]'),
    });
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(password);
    const cause = (error as Error).cause as Error;
    expect(`${cause.message}${cause.stack}`).not.toContain(password);
    expect(cause).toMatchObject({ name: 'InvalidRequestException', $metadata });
  });

  it('maps a throttled PutSecretValue to a retryable SecretsServiceError', async () => {
    secretsMock
      .on(CreateSecretCommand)
      .rejects(new ResourceExistsException({ message: 'exists', $metadata }));
    secretsMock.on(PutSecretValueCommand).rejects(throttling());
    await expect(storeTemporaryPassword(secret)).rejects.toMatchObject({
      name: 'SecretsServiceError',
      message: expect.stringContaining('PutSecretValue'),
    });
  });
});

describe('withoutSecret', () => {
  it('returns an error that does not contain the secret unchanged', () => {
    const error = new Error('nothing to hide');
    expect(withoutSecret(error, password)).toBe(error);
  });
});

describe('readTemporaryPassword', () => {
  it('returns the secret value', async () => {
    secretsMock.on(GetSecretValueCommand, { SecretId: arn }).resolves({ SecretString: password });
    await expect(readTemporaryPassword(arn)).resolves.toBe(password);
  });

  it('reports a deleted secret as PasswordSecretMissingError', async () => {
    secretsMock
      .on(GetSecretValueCommand)
      .rejects(new ResourceNotFoundException({ message: 'gone', $metadata }));
    await expect(readTemporaryPassword(arn)).rejects.toMatchObject({
      name: 'PasswordSecretMissingError',
      retryable: false,
    });
  });

  it('maps throttling to SecretsServiceError', async () => {
    secretsMock.on(GetSecretValueCommand).rejects(throttling());
    await expect(readTemporaryPassword(arn)).rejects.toMatchObject({
      name: 'SecretsServiceError',
      retryable: true,
    });
  });
});

describe('deleteTemporaryPassword', () => {
  it('deletes the secret without a recovery window', async () => {
    await deleteTemporaryPassword(arn);
    expect(secretsMock.commandCalls(DeleteSecretCommand)[0]?.args[0].input).toEqual({
      SecretId: arn,
      ForceDeleteWithoutRecovery: true,
    });
  });

  it('accepts a secret that is already gone', async () => {
    secretsMock
      .on(DeleteSecretCommand)
      .rejects(new ResourceNotFoundException({ message: 'gone', $metadata }));
    await expect(deleteTemporaryPassword(arn)).resolves.toBeUndefined();
  });

  it('maps other refusals to SecretsRequestRejectedError', async () => {
    secretsMock.on(DeleteSecretCommand).rejects(new InvalidRequestException({ message: 'no', $metadata }));
    await expect(deleteTemporaryPassword(arn)).rejects.toMatchObject({ name: 'SecretsRequestRejectedError' });
  });
});
