import type { JsonObject } from '../aws/jsonProtocol';
import { Validation } from '../aws/jsonValidation';
import { invalidRequest, MESSAGES } from './errors';
import type { Tag } from './model';
import { nowSeconds, resolve, type SecretsState } from './state';
import { checkTagLimit, readSecretId, readTags, validSecretId } from './validation';

export function tagResource(context: SecretsState, input: JsonObject): JsonObject {
  const check = new Validation();
  const secretId = readSecretId(check, input);
  const tags = readTags(check, input, 'Tags', true);
  check.done();
  const secret = resolve(context, validSecretId(secretId));
  if (secret.deletedDate !== undefined) throw invalidRequest(MESSAGES.markedForDeletion);
  const merged = mergeTags(secret.tags, tags);
  checkTagLimit(merged);
  secret.tags = merged;
  secret.lastChangedDate = nowSeconds();
  context.secrets.set(secret.name, secret);
  return {};
}

export function untagResource(context: SecretsState, input: JsonObject): JsonObject {
  const check = new Validation();
  const secretId = readSecretId(check, input);
  const keys = check.stringList(input, 'TagKeys', { required: true, itemMin: 1, itemMax: 128 }) ?? [];
  check.done();
  const secret = resolve(context, validSecretId(secretId));
  if (secret.deletedDate !== undefined) throw invalidRequest(MESSAGES.markedForDeletion);
  secret.tags = secret.tags.filter((t) => !keys.includes(t.Key));
  secret.lastChangedDate = nowSeconds();
  context.secrets.set(secret.name, secret);
  return {};
}

export function mergeTags(existing: Tag[], added: Tag[]): Tag[] {
  const merged = existing.map((t) => ({ ...t }));
  for (const tag of added) {
    const current = merged.find((t) => t.Key === tag.Key);
    if (current) current.Value = tag.Value;
    else merged.push({ ...tag });
  }
  return merged;
}
