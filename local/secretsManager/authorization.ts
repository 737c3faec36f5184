import type { AuthorizationRequest } from '../authz/authorizer';
import type { JsonObject } from '../aws/jsonProtocol';
import type { Tag } from './model';
import { find, randomSuffix, type SecretsState } from './state';

const SERVICE = 'secretsmanager';

/**
 * What AWS authorizes for a Secrets Manager request: the action on the secret's ARN (the would-be
 * ARN for CreateSecret, the name-only ARN for a secret that does not exist) with the documented
 * keys; CreateSecret with Tags also needs secretsmanager:TagResource.
 */
export function authorizations(
  context: SecretsState,
  action: string,
  input: JsonObject,
): AuthorizationRequest[] {
  const qualified = `${SERVICE}:${action}`;
  if (action === 'ListSecrets') return [{ action: qualified, resource: '*' }];
  const keys: NonNullable<AuthorizationRequest['keys']> = {};
  const tags = Array.isArray(input.Tags) ? (input.Tags as Partial<Tag>[]) : [];
  for (const tag of tags)
    if (typeof tag.Key === 'string') keys[`aws:RequestTag/${tag.Key}`] = String(tag.Value ?? '');
  const tagKeys = action === 'UntagResource' ? input.TagKeys : tags.map((tag) => tag.Key);
  if (Array.isArray(tagKeys) && tagKeys.length > 0) keys['aws:TagKeys'] = tagKeys.map(String);
  const text = (name: string) => (typeof input[name] === 'string' ? (input[name] as string) : undefined);

  let resource: string;
  if (action === 'CreateSecret') {
    const name = text('Name') ?? '';
    resource = `arn:aws:secretsmanager:${context.region}:${context.accountId}:secret:${name}-${randomSuffix()}`;
    keys['secretsmanager:Name'] = name;
    for (const member of ['Description', 'KmsKeyId'] as const) {
      const value = text(member);
      if (value !== undefined) keys[`secretsmanager:${member}`] = value;
    }
  } else {
    const secretId = text('SecretId') ?? '';
    const secret = find(context, secretId);
    resource =
      secret?.arn ??
      (secretId.startsWith('arn:')
        ? secretId
        : `arn:aws:secretsmanager:${context.region}:${context.accountId}:secret:${secretId}`);
    keys['secretsmanager:SecretId'] = secretId;
    for (const tag of secret?.tags ?? []) {
      keys[`aws:ResourceTag/${tag.Key}`] = tag.Value;
      keys[`secretsmanager:ResourceTag/${tag.Key}`] = tag.Value;
    }
    for (const member of [
      'VersionId',
      'VersionStage',
      'RecoveryWindowInDays',
      'ForceDeleteWithoutRecovery',
    ]) {
      const value = input[member];
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
        keys[`secretsmanager:${member}`] = value;
    }
  }
  const requests: AuthorizationRequest[] = [{ action: qualified, resource, keys }];
  if (action === 'CreateSecret' && tags.length > 0) {
    requests.push({ action: `${SERVICE}:TagResource`, resource, keys });
  }
  return requests;
}
