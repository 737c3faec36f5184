import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { describeAwsFailure } from './awsErrors';
import { ConfigurationError, SecretsRequestRejectedError, SecretsServiceError } from './errors';
import { secretsManager } from './secretsManagerClient';

const CACHE_MILLISECONDS = 5 * 60 * 1000;
const cache = new Map<string, { secrets: readonly string[]; expiresAt: number }>();

/**
 * The webhook's signing secrets: every value of the JSON object stored in `secretArn`, for example
 * `{"current": "...", "previous": "..."}` while a secret is rotated. Cached per container for five
 * minutes. Throws a ConfigurationError unless there is at least one secret and every value is a
 * non-empty string.
 */
export async function loadWebhookSecrets(secretArn: string): Promise<readonly string[]> {
  const cached = cache.get(secretArn);
  if (cached !== undefined && cached.expiresAt > Date.now()) return cached.secrets;
  const secrets = parseSecrets(await readSecretString(secretArn));
  cache.set(secretArn, { secrets, expiresAt: Date.now() + CACHE_MILLISECONDS });
  return secrets;
}

async function readSecretString(secretArn: string): Promise<string | undefined> {
  try {
    const { SecretString } = await secretsManager.send(new GetSecretValueCommand({ SecretId: secretArn }));
    return SecretString;
  } catch (error) {
    const failure = describeAwsFailure(error);
    if (failure.transient)
      throw new SecretsServiceError(`Reading the webhook secret failed: ${failure.code}`, { cause: error });
    throw new SecretsRequestRejectedError(`Reading the webhook secret was refused: ${failure.code}`, {
      cause: error,
    });
  }
}

function parseSecrets(secretString: string | undefined): readonly string[] {
  const values = Object.values(jsonObject(secretString));
  if (values.length > 0 && values.every(isSecret)) return values;
  // Neither the message nor a cause may quote the secret, so JSON errors are not passed on.
  throw new ConfigurationError('The webhook secret must be a JSON object of one or more non-empty strings');
}

function jsonObject(text: string | undefined): object {
  try {
    const value: unknown = JSON.parse(text ?? '');
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

function isSecret(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}
