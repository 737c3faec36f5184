import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type Tag,
  TagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import { describeAwsFailure, isAccessDenied } from './awsErrors';
import {
  AccessDeniedError,
  PasswordSecretMissingError,
  PermanentError,
  SecretsRequestRejectedError,
  SecretsServiceError,
} from './errors';
import { logger } from './logger';
import { scrubError } from './redact';
import { secretsManager } from './secretsManagerClient';

/** Wraps a Secrets Manager SDK failure: throttling, 5xx and network errors are retryable, the rest refusals. */
export function secretsError(action: string, error: unknown): Error {
  const failure = describeAwsFailure(error);
  const message = `Secrets Manager ${action} failed: ${failure.code}: ${failure.message}`;
  if (isAccessDenied(failure)) return new AccessDeniedError(message, { cause: error });
  return failure.transient
    ? new SecretsServiceError(message, { cause: error })
    : new SecretsRequestRejectedError(message, { cause: error });
}

/** The error, or a copy without `secret` in its message and stack when a service echoed it. */
export function withoutSecret(error: unknown, secret: string): unknown {
  return scrubError(error, (text) => text.replaceAll(secret, '[redacted]'));
}

const isCode = (error: unknown, code: string) => describeAwsFailure(error).code === code;

export type TemporaryPassword = { name: string; password: string; tags: Record<string, string> };

async function createSecret({ name, password, tags }: TemporaryPassword): Promise<string | undefined> {
  try {
    const { ARN } = await secretsManager.send(
      new CreateSecretCommand({
        Name: name,
        SecretString: password,
        Description: 'Temporary console password of a new IAM user; deleted once it has been emailed.',
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
    return ARN;
  } catch (error) {
    if (isCode(error, 'ResourceExistsException')) return undefined;
    throw secretsError('CreateSecret', withoutSecret(error, password));
  }
}

async function putSecretValue({ name, password }: TemporaryPassword): Promise<string | undefined> {
  try {
    const { ARN } = await secretsManager.send(
      new PutSecretValueCommand({ SecretId: name, SecretString: password }),
    );
    return ARN;
  } catch (error) {
    throw secretsError('PutSecretValue', withoutSecret(error, password));
  }
}

/**
 * Stores a temporary password and returns the secret's ARN. A secret of that name left by an earlier
 * attempt (ResourceExistsException) gets the new password as its current value.
 */
export async function storeTemporaryPassword(secret: TemporaryPassword): Promise<string> {
  const arn = (await createSecret(secret)) ?? (await putSecretValue(secret));
  if (arn === undefined) throw new SecretsServiceError(`Secrets Manager returned no ARN for ${secret.name}`);
  return arn;
}

/** The temporary password, or a permanent PasswordSecretMissingError when the secret is gone. */
export async function readTemporaryPassword(secretArn: string): Promise<string> {
  let value: string | undefined;
  try {
    ({ SecretString: value } = await secretsManager.send(new GetSecretValueCommand({ SecretId: secretArn })));
  } catch (error) {
    if (isCode(error, 'ResourceNotFoundException')) {
      throw new PasswordSecretMissingError(`The temporary password secret ${secretArn} no longer exists`, {
        cause: error,
      });
    }
    throw secretsError('GetSecretValue', error);
  }
  if (!value) throw new PasswordSecretMissingError(`The temporary password secret ${secretArn} has no value`);
  return value;
}

/** The tags of the temporary password's secret, or undefined when the secret is gone. */
export async function temporaryPasswordTags(secretArn: string): Promise<Tag[] | undefined> {
  try {
    const { Tags } = await secretsManager.send(new DescribeSecretCommand({ SecretId: secretArn }));
    return Tags ?? [];
  } catch (error) {
    if (isCode(error, 'ResourceNotFoundException')) return undefined;
    throw secretsError('DescribeSecret', error);
  }
}

/** Adds (or overwrites) one tag on the temporary password's secret. */
export async function tagTemporaryPassword(secretArn: string, key: string, value: string): Promise<void> {
  try {
    await secretsManager.send(
      new TagResourceCommand({ SecretId: secretArn, Tags: [{ Key: key, Value: value }] }),
    );
  } catch (error) {
    throw secretsError('TagResource', error);
  }
}

/** Deletes the temporary password at once (no recovery window); a secret already gone is fine. */
export async function deleteTemporaryPassword(secretArn: string): Promise<void> {
  try {
    await secretsManager.send(
      new DeleteSecretCommand({ SecretId: secretArn, ForceDeleteWithoutRecovery: true }),
    );
  } catch (error) {
    if (!isCode(error, 'ResourceNotFoundException')) throw secretsError('DeleteSecret', error);
  }
}

/**
 * Runs `work` for the temporary password in `secretArn`. When it fails permanently no step will ever
 * send that password, so the secret is deleted before the error goes on: a failed onboarding leaves
 * no password behind. A retryable failure keeps it for the retry or the redrive.
 */
export async function discardOnPermanentFailure<T>(secretArn: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PermanentError) {
      await deleteTemporaryPassword(secretArn).catch((deletion: unknown) =>
        logger.warn('Temporary password not deleted after a permanent failure', { secretArn, deletion }),
      );
    }
    throw error;
  }
}
