import type { JsonObject } from '../aws/jsonProtocol';
import { Validation } from '../aws/jsonValidation';
import { AwsError } from '../aws/types';
import { invalidParameter, invalidRequest, MESSAGES, notFound, resourceExists } from './errors';
import { AWSCURRENT, AWSPREVIOUS, type SecretValue, type StoredSecret, type StoredVersion } from './model';
import { listEntry } from './responses';
import {
  find,
  nameFromSecretId,
  nowSeconds,
  randomSuffix,
  resolve,
  type SecretsState,
  startOfDaySeconds,
} from './state';
import { mergeTags } from './tagActions';
import { checkTagLimit, NAME_PATTERN, readSecretId, readTags, readValue, validSecretId } from './validation';

const MAX_DEPRECATED_VERSIONS = 100;

export function createSecret(context: SecretsState, input: JsonObject): JsonObject {
  const check = new Validation();
  const name = check.string(input, 'Name', { required: true, min: 1, max: 512 });
  const token = check.string(input, 'ClientRequestToken', { min: 32, max: 64 });
  const description = check.string(input, 'Description', { max: 2048 });
  const kmsKeyId = check.string(input, 'KmsKeyId', { max: 2048 });
  const value = readValue(check, input);
  const tags = readTags(check, input, 'Tags');
  check.done();
  if (name === undefined) throw new Error('unreachable: Name is required');
  if (!NAME_PATTERN.test(name)) throw new AwsError(400, 'ValidationException', MESSAGES.invalidName);
  if (token === undefined) throw invalidRequest(MESSAGES.noToken);
  checkTagLimit(tags);

  const existing = context.secrets.get(name);
  if (existing?.deletedDate !== undefined) throw invalidRequest(MESSAGES.createScheduled);
  if (existing) {
    // The SDK resends the same ClientRequestToken when it retries: same token and same value is the
    // same request, answered again; anything else is a second secret with a taken name.
    const version = existing.versions.find((v) => v.versionId === token);
    if (version && value && sameValue(version, value)) {
      return { ARN: existing.arn, Name: existing.name, VersionId: version.versionId };
    }
    if (version) throw resourceExists(MESSAGES.modifyVersion);
    throw resourceExists(`The operation failed because the secret ${name} already exists.`);
  }

  const now = nowSeconds();
  const secret: StoredSecret = {
    name,
    arn: `arn:aws:secretsmanager:${context.region}:${context.accountId}:secret:${name}-${randomSuffix()}`,
    tags: mergeTags([], tags),
    versions: [],
    createdDate: now,
    lastChangedDate: now,
  };
  if (description !== undefined) secret.description = description;
  if (kmsKeyId !== undefined && kmsKeyId !== '') secret.kmsKeyId = kmsKeyId;
  if (value) secret.versions.push({ versionId: token, ...value, stages: [AWSCURRENT], createdDate: now });
  context.secrets.set(name, secret);
  return { ARN: secret.arn, Name: secret.name, ...(value ? { VersionId: token } : {}) };
}

export function getSecretValue(context: SecretsState, input: JsonObject): JsonObject {
  const check = new Validation();
  const secretId = readSecretId(check, input);
  const versionId = check.string(input, 'VersionId', { min: 32, max: 64 });
  const versionStage = check.string(input, 'VersionStage', { min: 1, max: 256 });
  check.done();
  const secret = resolve(context, validSecretId(secretId));
  if (secret.deletedDate !== undefined) throw invalidRequest(MESSAGES.markedForDeletion);

  let version: StoredVersion | undefined;
  if (versionId !== undefined) {
    version = secret.versions.find((v) => v.versionId === versionId);
    if (!version)
      throw notFound(`Secrets Manager can't find the specified secret value for VersionId: ${versionId}`);
    if (versionStage !== undefined && !version.stages.includes(versionStage)) {
      throw invalidRequest(MESSAGES.stageMismatch);
    }
  } else {
    const stage = versionStage ?? AWSCURRENT;
    version = secret.versions.find((v) => v.stages.includes(stage));
    if (!version)
      throw notFound(`Secrets Manager can't find the specified secret value for staging label: ${stage}`);
  }

  const today = startOfDaySeconds(nowSeconds());
  if (secret.lastAccessedDate !== today) {
    secret.lastAccessedDate = today;
    context.secrets.set(secret.name, secret);
  }
  return {
    ARN: secret.arn,
    Name: secret.name,
    VersionId: version.versionId,
    ...(version.secretString !== undefined ? { SecretString: version.secretString } : {}),
    ...(version.secretBinary !== undefined ? { SecretBinary: version.secretBinary } : {}),
    VersionStages: [...version.stages],
    CreatedDate: version.createdDate,
  };
}

export function putSecretValue(context: SecretsState, input: JsonObject): JsonObject {
  const check = new Validation();
  const secretId = readSecretId(check, input);
  const token = check.string(input, 'ClientRequestToken', { min: 32, max: 64 });
  const value = readValue(check, input);
  const stages = check.stringList(input, 'VersionStages', { min: 1, max: 20, itemMin: 1, itemMax: 256 });
  check.done();
  const secret = resolve(context, validSecretId(secretId));
  if (secret.deletedDate !== undefined) throw invalidRequest(MESSAGES.markedForDeletion);
  if (!value) throw invalidRequest(MESSAGES.noValue);
  if (token === undefined) throw invalidRequest(MESSAGES.noToken);

  const existing = secret.versions.find((v) => v.versionId === token);
  if (existing) {
    if (!sameValue(existing, value)) throw resourceExists(MESSAGES.modifyVersion);
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: existing.versionId,
      VersionStages: [...existing.stages],
    };
  }

  const now = nowSeconds();
  const labels = [...new Set(stages ?? [AWSCURRENT])];
  // The first version of a secret always becomes AWSCURRENT.
  if (!secret.versions.some((v) => v.stages.includes(AWSCURRENT)) && !labels.includes(AWSCURRENT)) {
    labels.push(AWSCURRENT);
  }
  const version: StoredVersion = { versionId: token, ...value, stages: [], createdDate: now };
  const previous = secret.versions.find((v) => v.stages.includes(AWSCURRENT));
  for (const other of secret.versions) other.stages = other.stages.filter((s) => !labels.includes(s));
  if (labels.includes(AWSCURRENT) && previous) {
    for (const other of secret.versions) other.stages = other.stages.filter((s) => s !== AWSPREVIOUS);
    previous.stages.push(AWSPREVIOUS);
  }
  version.stages = labels;
  secret.versions.push(version);
  dropOldDeprecatedVersions(secret);
  secret.lastChangedDate = now;
  context.secrets.set(secret.name, secret);
  return {
    ARN: secret.arn,
    Name: secret.name,
    VersionId: version.versionId,
    VersionStages: [...version.stages],
  };
}

export function describeSecret(context: SecretsState, input: JsonObject): JsonObject {
  const check = new Validation();
  const secretId = readSecretId(check, input);
  check.done();
  const secret = resolve(context, validSecretId(secretId));
  const { SecretVersionsToStages, ...rest } = listEntry(secret);
  return { ...rest, ...(SecretVersionsToStages ? { VersionIdsToStages: SecretVersionsToStages } : {}) };
}

export function deleteSecret(context: SecretsState, input: JsonObject): JsonObject {
  const check = new Validation();
  const secretId = readSecretId(check, input);
  const window = check.integer(input, 'RecoveryWindowInDays');
  const force = check.boolean(input, 'ForceDeleteWithoutRecovery') === true;
  check.done();
  if (force && window !== undefined) throw invalidParameter(MESSAGES.forceAndWindow);
  if (window !== undefined && (window < 7 || window > 30)) throw invalidParameter(MESSAGES.window);

  const now = nowSeconds();
  const id = validSecretId(secretId);
  const secret = find(context, id);
  if (!secret) {
    // AWS: forcibly deleting an already deleted or nonexistent secret is not an error.
    if (!force) throw notFound();
    const arn = id.startsWith('arn:')
      ? id
      : `arn:aws:secretsmanager:${context.region}:${context.accountId}:secret:${id}`;
    return { ARN: arn, Name: nameFromSecretId(id), DeletionDate: now };
  }
  if (force) {
    context.secrets.delete(secret.name);
    return { ARN: secret.arn, Name: secret.name, DeletionDate: now };
  }
  if (secret.deletedDate !== undefined) throw invalidRequest(MESSAGES.alreadyMarkedDeleted);
  secret.deletedDate = now;
  secret.deletionDate = now + (window ?? 30) * 86_400;
  secret.lastChangedDate = now;
  context.secrets.set(secret.name, secret);
  return { ARN: secret.arn, Name: secret.name, DeletionDate: secret.deletionDate };
}

export function restoreSecret(context: SecretsState, input: JsonObject): JsonObject {
  const check = new Validation();
  const secretId = readSecretId(check, input);
  check.done();
  const secret = resolve(context, validSecretId(secretId));
  if (secret.deletedDate !== undefined) {
    delete secret.deletedDate;
    delete secret.deletionDate;
    secret.lastChangedDate = nowSeconds();
    context.secrets.set(secret.name, secret);
  }
  return { ARN: secret.arn, Name: secret.name };
}

function sameValue(version: StoredVersion, value: SecretValue): boolean {
  return version.secretString === value.secretString && version.secretBinary === value.secretBinary;
}

/** AWS keeps deprecated (unlabelled) versions, but not forever: keep the 100 most recent. */
function dropOldDeprecatedVersions(secret: StoredSecret): void {
  const deprecated = secret.versions.filter((v) => v.stages.length === 0);
  const excess = new Set(deprecated.slice(0, Math.max(0, deprecated.length - MAX_DEPRECATED_VERSIONS)));
  if (excess.size > 0) secret.versions = secret.versions.filter((v) => !excess.has(v));
}
