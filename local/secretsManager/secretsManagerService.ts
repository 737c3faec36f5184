import { randomInt, randomUUID } from 'node:crypto';
import type { AuthorizationRequest } from '../authz/authorizer';
import type { AwsRequest, AwsResponse, AwsService } from '../aws/types';
import { AwsError } from '../aws/types';
import type { Faults } from '../faults';
import type { Collection, JournalStore } from '../store';

/**
 * Secrets Manager emulator (AWS JSON 1.1, `X-Amz-Target: secretsmanager.<Action>`): CreateSecret,
 * GetSecretValue, PutSecretValue, DescribeSecret, DeleteSecret, RestoreSecret, ListSecrets,
 * TagResource and UntagResource, with the API reference's validation rules, staging labels,
 * ClientRequestToken idempotency and the recovery window. Secrets (values included) live in the
 * JournalStore so a restart loses nothing; a secret whose recovery window has ended is purged the
 * next time the service is called.
 */

type Tag = { Key: string; Value: string };

type StoredVersion = {
  versionId: string;
  secretString?: string;
  /** Base64 of the bytes, as the JSON protocol carries blobs. */
  secretBinary?: string;
  stages: string[];
  /** Epoch seconds. */
  createdDate: number;
};

type StoredSecret = {
  name: string;
  arn: string;
  description?: string;
  kmsKeyId?: string;
  tags: Tag[];
  versions: StoredVersion[];
  createdDate: number;
  lastChangedDate: number;
  /** Midnight UTC of the last GetSecretValue day, as AWS reports it. */
  lastAccessedDate?: number;
  /** When DeleteSecret scheduled the deletion. */
  deletedDate?: number;
  /** End of the recovery window: the secret is gone after this instant. */
  deletionDate?: number;
};

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;
type Context = { secrets: Collection<StoredSecret>; accountId: string; region: string };

const SERVICE = 'secretsmanager';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
const AWSCURRENT = 'AWSCURRENT';
const AWSPREVIOUS = 'AWSPREVIOUS';
const NAME_PATTERN = /^[A-Za-z0-9/_+=.@-]+$/;
const FILTER_VALUE_PATTERN = /^!?[a-zA-Z0-9 :_@/+=.\-!]*$/;
const FILTER_KEYS = [
  'description',
  'name',
  'tag-key',
  'tag-value',
  'primary-region',
  'owning-service',
  'all',
];
const SORT_BY = ['created-date', 'last-accessed-date', 'last-changed-date', 'name'];
const MAX_TAGS = 50;
const MAX_DEPRECATED_VERSIONS = 100;
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

const MESSAGES = {
  notFound: "Secrets Manager can't find the specified secret.",
  markedForDeletion: "You can't perform this operation on the secret because it was marked for deletion.",
  alreadyMarkedDeleted: "You tried to perform the operation on a secret that's currently marked deleted.",
  createScheduled:
    "You can't create this secret because a secret with this name is already scheduled for deletion.",
  invalidName:
    'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
  bothValues: "You can't specify both a binary secret value and a string secret value in the same secret.",
  noValue: 'You must provide either SecretString or SecretBinary.',
  noToken: 'You must provide a ClientRequestToken value. We recommend a UUID-type value.',
  modifyVersion: "You can't modify an existing version, you can only create a new version.",
  forceAndWindow: "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
  window: 'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).',
  stageMismatch: 'You provided a VersionStage that is not associated to the provided VersionId.',
  nextToken: 'The NextToken value is invalid.',
} as const;

const invalidParameter = (message: string) => new AwsError(400, 'InvalidParameterException', message);
const invalidRequest = (message: string) => new AwsError(400, 'InvalidRequestException', message);
const notFound = (message: string = MESSAGES.notFound) =>
  new AwsError(400, 'ResourceNotFoundException', message);
const resourceExists = (message: string) => new AwsError(400, 'ResourceExistsException', message);

const nowSeconds = (): number => Date.now() / 1000;
const startOfDaySeconds = (seconds: number): number => Math.floor(seconds / 86_400) * 86_400;

export function createSecretsManagerService(options: {
  store: JournalStore;
  faults: Faults;
  accountId: string;
  region: string;
}): AwsService {
  const context: Context = {
    secrets: options.store.collection<StoredSecret>('secrets'),
    accountId: options.accountId,
    region: options.region,
  };
  return async (request) => {
    try {
      const target = header(request, 'x-amz-target');
      const action = target?.startsWith(`${SERVICE}.`) ? target.slice(SERVICE.length + 1) : undefined;
      if (request.method !== 'POST' || !action) {
        throw new AwsError(400, 'UnknownOperationException', 'The requested operation is not supported.');
      }
      options.faults.check(SERVICE, action);
      const handler = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
      if (!handler) throw new AwsError(400, 'UnknownOperationException', `Unknown operation ${action}.`);
      const input = parseBody(request.body);
      purgeExpired(context);
      await request.caller.authorize(authorizations(context, action, input));
      return respond(200, handler(context, input));
    } catch (error) {
      return renderError(error);
    }
  };
}

const ACTIONS: Record<string, (context: Context, input: Input) => Output> = {
  CreateSecret: createSecret,
  GetSecretValue: getSecretValue,
  PutSecretValue: putSecretValue,
  DescribeSecret: describeSecret,
  DeleteSecret: deleteSecret,
  RestoreSecret: restoreSecret,
  ListSecrets: listSecrets,
  TagResource: tagResource,
  UntagResource: untagResource,
};

function createSecret(context: Context, input: Input): Output {
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

function getSecretValue(context: Context, input: Input): Output {
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

function putSecretValue(context: Context, input: Input): Output {
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

function describeSecret(context: Context, input: Input): Output {
  const check = new Validation();
  const secretId = readSecretId(check, input);
  check.done();
  const secret = resolve(context, validSecretId(secretId));
  const { SecretVersionsToStages, ...rest } = listEntry(secret);
  return { ...rest, ...(SecretVersionsToStages ? { VersionIdsToStages: SecretVersionsToStages } : {}) };
}

function deleteSecret(context: Context, input: Input): Output {
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

function restoreSecret(context: Context, input: Input): Output {
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

function listSecrets(context: Context, input: Input): Output {
  const check = new Validation();
  const includePlanned = check.boolean(input, 'IncludePlannedDeletion') === true;
  const maxResults = check.integer(input, 'MaxResults', { min: 1, max: 100 });
  const nextToken = check.string(input, 'NextToken', { min: 1, max: 4096 });
  const filters = readFilters(check, input);
  const sortOrder = check.enumValue(input, 'SortOrder', ['asc', 'desc']) ?? 'asc';
  const sortBy = check.enumValue(input, 'SortBy', SORT_BY) ?? 'created-date';
  check.done();

  const offset = nextToken === undefined ? 0 : decodeNextToken(nextToken);
  const matching = context.secrets
    .values()
    .filter((s) => includePlanned || s.deletedDate === undefined)
    .filter((s) => filters.every((f) => matchesFilter(s, f)))
    .sort((a, b) => compareSecrets(a, b, sortBy) * (sortOrder === 'desc' ? -1 : 1));
  const page = matching.slice(offset, offset + (maxResults ?? 100));
  const end = offset + page.length;
  return {
    SecretList: page.map(listEntry),
    ...(end < matching.length ? { NextToken: encodeNextToken(end) } : {}),
  };
}

function tagResource(context: Context, input: Input): Output {
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

function untagResource(context: Context, input: Input): Output {
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

// ---- authorization -------------------------------------------------------------------------------

/**
 * What AWS authorizes for a Secrets Manager request: the action on the secret's ARN (the would-be
 * ARN for CreateSecret, the name-only ARN for a secret that does not exist) with the documented
 * keys; CreateSecret with Tags also needs secretsmanager:TagResource.
 */
function authorizations(context: Context, action: string, input: Input): AuthorizationRequest[] {
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

// ---- secrets -------------------------------------------------------------------------------------

/** Finds a secret by name, full ARN, or partial ARN (the ARN without its random suffix). */
function find(context: Context, secretId: string): StoredSecret | undefined {
  if (!secretId.startsWith('arn:')) return context.secrets.get(secretId);
  return context.secrets.values().find((s) => s.arn === secretId || s.arn.slice(0, -7) === secretId);
}

function resolve(context: Context, secretId: string): StoredSecret {
  const secret = find(context, secretId);
  if (!secret) throw notFound();
  return secret;
}

function nameFromSecretId(secretId: string): string {
  if (!secretId.startsWith('arn:')) return secretId;
  const name = secretId.split(':secret:')[1] ?? secretId;
  return /-[A-Za-z0-9]{6}$/.test(name) ? name.slice(0, -7) : name;
}

function purgeExpired(context: Context): void {
  const now = nowSeconds();
  for (const secret of context.secrets.values()) {
    if (secret.deletionDate !== undefined && secret.deletionDate <= now) context.secrets.delete(secret.name);
  }
}

function randomSuffix(): string {
  return Array.from({ length: 6 }, () => ALNUM.charAt(randomInt(ALNUM.length))).join('');
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

function listEntry(secret: StoredSecret): Output {
  const labelled = secret.versions.filter((v) => v.stages.length > 0);
  return {
    ARN: secret.arn,
    Name: secret.name,
    ...(secret.description !== undefined ? { Description: secret.description } : {}),
    ...(secret.kmsKeyId !== undefined ? { KmsKeyId: secret.kmsKeyId } : {}),
    LastChangedDate: secret.lastChangedDate,
    ...(secret.lastAccessedDate !== undefined ? { LastAccessedDate: secret.lastAccessedDate } : {}),
    ...(secret.deletedDate !== undefined ? { DeletedDate: secret.deletedDate } : {}),
    ...(secret.tags.length > 0 ? { Tags: secret.tags.map((t) => ({ ...t })) } : {}),
    ...(labelled.length > 0
      ? { SecretVersionsToStages: Object.fromEntries(labelled.map((v) => [v.versionId, [...v.stages]])) }
      : {}),
    CreatedDate: secret.createdDate,
  };
}

function compareSecrets(a: StoredSecret, b: StoredSecret, sortBy: string): number {
  switch (sortBy) {
    case 'name':
      return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    case 'last-changed-date':
      return a.lastChangedDate - b.lastChangedDate;
    case 'last-accessed-date':
      return (a.lastAccessedDate ?? 0) - (b.lastAccessedDate ?? 0);
    default:
      return a.createdDate - b.createdDate;
  }
}

// ---- ListSecrets filters -------------------------------------------------------------------------

type Filter = { key: string; values: string[] };

/**
 * One filter matches when a positive value matches and no `!`-negated value does (a filter of only
 * negations matches whatever they don't exclude); all filters must match. Prefix matches are
 * case-sensitive except `description` and `all` (AWS API reference, Filter).
 */
function matchesFilter(secret: StoredSecret, filter: Filter): boolean {
  const positives = filter.values.filter((v) => !v.startsWith('!'));
  const negations = filter.values.filter((v) => v.startsWith('!')).map((v) => v.slice(1));
  const matches = (value: string) => filterMatches(secret, filter.key, value);
  if (negations.some(matches)) return false;
  return positives.length === 0 || positives.some(matches);
}

function filterMatches(secret: StoredSecret, key: string, value: string): boolean {
  const prefixOf = (attributes: string[]) => attributes.some((a) => a.startsWith(value));
  switch (key) {
    case 'name':
      return prefixOf([secret.name]);
    case 'description':
      return (secret.description ?? '').toLowerCase().startsWith(value.toLowerCase());
    case 'tag-key':
      return prefixOf(secret.tags.map((t) => t.Key));
    case 'tag-value':
      return prefixOf(secret.tags.map((t) => t.Value));
    case 'all': {
      const attributes = [
        secret.name,
        secret.description ?? '',
        ...secret.tags.flatMap((t) => [t.Key, t.Value]),
      ];
      const attributeWords = attributes.flatMap(words);
      return words(value).some((w) => attributeWords.some((a) => a.startsWith(w)));
    }
    default:
      // primary-region and owning-service: these secrets are neither replicas nor service-owned.
      return false;
  }
}

/** Splits like the console search: at punctuation, letter/digit changes and lower-to-upper case. */
function words(text: string): string[] {
  return (text.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g) ?? []).map((w) => w.toLowerCase());
}

function encodeNextToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64');
}

function decodeNextToken(token: string): number {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'offset' in parsed) {
      const offset = parsed.offset;
      if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
    }
  } catch {
    // fall through: not a token we issued
  }
  throw new AwsError(400, 'InvalidNextTokenException', MESSAGES.nextToken);
}

// ---- input ---------------------------------------------------------------------------------------

type SecretValue = { secretString?: string; secretBinary?: string };

function readSecretId(check: Validation, input: Input): string | undefined {
  return check.string(input, 'SecretId', { required: true, min: 1, max: 2048 });
}

/** After `check.done()`: a SecretId is a full or partial ARN, or a name made of the allowed characters. */
function validSecretId(secretId: string | undefined): string {
  if (secretId === undefined) throw new Error('unreachable: SecretId is required');
  if (!secretId.startsWith('arn:') && !NAME_PATTERN.test(secretId)) {
    throw new AwsError(400, 'ValidationException', MESSAGES.invalidName);
  }
  return secretId;
}

function readValue(check: Validation, input: Input): SecretValue | undefined {
  const secretString = check.string(input, 'SecretString', { min: 1, max: 65_536, sensitive: true });
  const binary = check.string(input, 'SecretBinary', {});
  let secretBinary: string | undefined;
  if (binary !== undefined) {
    const bytes = Buffer.from(binary, 'base64');
    check.length('secretBinary', bytes.length, undefined, { min: 1, max: 65_536, sensitive: true });
    secretBinary = bytes.toString('base64');
  }
  if (secretString !== undefined && secretBinary !== undefined) throw invalidParameter(MESSAGES.bothValues);
  if (secretString !== undefined) return { secretString };
  if (secretBinary !== undefined) return { secretBinary };
  return undefined;
}

function readTags(check: Validation, input: Input, member: string, required = false): Tag[] {
  const raw = input[member];
  if (raw === undefined || raw === null) {
    if (required) check.missing(member);
    return [];
  }
  if (!Array.isArray(raw)) throw serialization(member);
  return raw.map((item: unknown, index) => {
    if (typeof item !== 'object' || item === null) throw serialization(member);
    const tag = item as Input;
    const path = `${lowerFirst(member)}.${index + 1}.member`;
    const key = check.string(tag, 'Key', { min: 1, max: 128, path: `${path}.key` });
    const value = check.string(tag, 'Value', { min: 0, max: 256, path: `${path}.value` });
    return { Key: key ?? '', Value: value ?? '' };
  });
}

function mergeTags(existing: Tag[], added: Tag[]): Tag[] {
  const merged = existing.map((t) => ({ ...t }));
  for (const tag of added) {
    const current = merged.find((t) => t.Key === tag.Key);
    if (current) current.Value = tag.Value;
    else merged.push({ ...tag });
  }
  return merged;
}

/** At most 50 tags per secret; `aws:` tags are AWS's own and don't count (API reference, TagResource). */
function checkTagLimit(tags: Tag[]): void {
  if (tags.some((t) => t.Key.toLowerCase().startsWith('aws:'))) {
    throw invalidParameter('Tag keys beginning with aws: are reserved for AWS use.');
  }
  if (tags.length > MAX_TAGS) throw invalidParameter(`A secret can have at most ${MAX_TAGS} tags.`);
}

function readFilters(check: Validation, input: Input): Filter[] {
  const raw = input.Filters;
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw serialization('Filters');
  if (raw.length > 10) check.fail('filters', undefined, 'Member must have length less than or equal to 10');
  return raw.map((item: unknown, index) => {
    if (typeof item !== 'object' || item === null) throw serialization('Filters');
    const filter = item as Input;
    const path = `filters.${index + 1}.member`;
    const key = check.enumValue(filter, 'Key', FILTER_KEYS, `${path}.key`);
    const values =
      check.stringList(filter, 'Values', { min: 1, max: 10, itemMax: 512, path: `${path}.values` }) ?? [];
    values.forEach((value, i) => {
      if (!FILTER_VALUE_PATTERN.test(value)) {
        check.fail(
          `${path}.values.${i + 1}.member`,
          value,
          `Member must satisfy regular expression pattern: ${FILTER_VALUE_PATTERN.source}`,
        );
      }
    });
    if (key === undefined) throw invalidParameter('Each filter must have a Key.');
    return { key, values };
  });
}

function parseBody(body: Buffer): Input {
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AwsError(400, 'SerializationException', 'The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AwsError(400, 'SerializationException', 'The request body must be a JSON object.');
  }
  return parsed as Input;
}

const serialization = (member: string) =>
  new AwsError(400, 'SerializationException', `Unexpected type for member ${member}.`);

const lowerFirst = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

type Limits = {
  required?: boolean;
  min?: number;
  max?: number;
  sensitive?: boolean;
  /** The member path AWS reports, e.g. `tags.1.member.key`; defaults to the lower-camel member name. */
  path?: string;
};

/**
 * Collects model-constraint violations and reports them the way AWS does: one ValidationException,
 * "N validation error(s) detected: Value 'x' at 'member' failed to satisfy constraint: ...".
 */
class Validation {
  private readonly errors: string[] = [];

  string(input: Input, member: string, limits: Limits): string | undefined {
    const path = limits.path ?? lowerFirst(member);
    const value = input[member];
    if (value === undefined || value === null) {
      if (limits.required) this.missing(member, path);
      return undefined;
    }
    if (typeof value !== 'string') throw serialization(member);
    this.length(path, [...value].length, value, limits);
    return value;
  }

  stringList(
    input: Input,
    member: string,
    limits: Limits & { itemMin?: number; itemMax?: number },
  ): string[] | undefined {
    const path = limits.path ?? lowerFirst(member);
    const value = input[member];
    if (value === undefined || value === null) {
      if (limits.required) this.missing(member, path);
      return undefined;
    }
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw serialization(member);
    const items = value as string[];
    this.length(path, items.length, undefined, { min: limits.min, max: limits.max });
    items.forEach((item, i) => {
      this.length(`${path}.${i + 1}.member`, [...item].length, item, {
        min: limits.itemMin,
        max: limits.itemMax,
      });
    });
    return items;
  }

  integer(input: Input, member: string, limits: { min?: number; max?: number } = {}): number | undefined {
    const value = input[member];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) throw serialization(member);
    const path = lowerFirst(member);
    if (limits.min !== undefined && value < limits.min) {
      this.fail(path, String(value), `Member must have value greater than or equal to ${limits.min}`);
    }
    if (limits.max !== undefined && value > limits.max) {
      this.fail(path, String(value), `Member must have value less than or equal to ${limits.max}`);
    }
    return value;
  }

  boolean(input: Input, member: string): boolean | undefined {
    const value = input[member];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') throw serialization(member);
    return value;
  }

  enumValue(input: Input, member: string, allowed: string[], path = lowerFirst(member)): string | undefined {
    const value = input[member];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw serialization(member);
    if (!allowed.includes(value)) {
      this.fail(path, value, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
    }
    return value;
  }

  length(path: string, length: number, value: string | undefined, limits: Limits): void {
    const shown = limits.sensitive ? undefined : value;
    if (limits.min !== undefined && length < limits.min) {
      this.fail(path, shown, `Member must have length greater than or equal to ${limits.min}`);
    }
    if (limits.max !== undefined && length > limits.max) {
      this.fail(path, shown, `Member must have length less than or equal to ${limits.max}`);
    }
  }

  missing(member: string, path = lowerFirst(member)): void {
    this.errors.push(`Value null at '${path}' failed to satisfy constraint: Member must not be null`);
  }

  fail(path: string, value: string | undefined, constraint: string): void {
    const shown = value === undefined ? 'Value' : `Value '${value}'`;
    this.errors.push(`${shown} at '${path}' failed to satisfy constraint: ${constraint}`);
  }

  /** Throws the collected violations, if any. */
  done(): void {
    const count = this.errors.length;
    if (count === 0) return;
    const message = `${count} validation error${count > 1 ? 's' : ''} detected: ${this.errors.join('; ')}`;
    throw new AwsError(400, 'ValidationException', message);
  }
}

// ---- wire ----------------------------------------------------------------------------------------

function header(request: AwsRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function respond(status: number, body: Output): AwsResponse {
  return {
    status,
    headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': randomUUID() },
    body: JSON.stringify(body),
  };
}

function renderError(error: unknown): AwsResponse {
  if (error instanceof AwsError) {
    return respond(error.status, { __type: error.code, message: error.message });
  }
  return respond(500, { __type: 'InternalServiceError', message: 'An error occurred on the server side.' });
}
