import type { JsonObject } from '../aws/jsonProtocol';
import { lowerFirst, serialization, type Validation } from '../aws/jsonValidation';
import { AwsError } from '../aws/types';
import { invalidParameter, MESSAGES } from './errors';
import type { SecretValue, Tag } from './model';

export const NAME_PATTERN = /^[A-Za-z0-9/_+=.@-]+$/;

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

export const SORT_BY = ['created-date', 'last-accessed-date', 'last-changed-date', 'name'];

const MAX_TAGS = 50;

export type Filter = { key: string; values: string[] };

export function readSecretId(check: Validation, input: JsonObject): string | undefined {
  return check.string(input, 'SecretId', { required: true, min: 1, max: 2048 });
}

/** After `check.done()`: a SecretId is a full or partial ARN, or a name made of the allowed characters. */
export function validSecretId(secretId: string | undefined): string {
  if (secretId === undefined) throw new Error('unreachable: SecretId is required');
  if (!secretId.startsWith('arn:') && !NAME_PATTERN.test(secretId)) {
    throw new AwsError(400, 'ValidationException', MESSAGES.invalidName);
  }
  return secretId;
}

export function readValue(check: Validation, input: JsonObject): SecretValue | undefined {
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

export function readTags(check: Validation, input: JsonObject, member: string, required = false): Tag[] {
  const raw = input[member];
  if (raw === undefined || raw === null) {
    if (required) check.missing(member);
    return [];
  }
  if (!Array.isArray(raw)) throw serialization(member);
  return raw.map((item: unknown, index) => {
    if (typeof item !== 'object' || item === null) throw serialization(member);
    const tag = item as JsonObject;
    const path = `${lowerFirst(member)}.${index + 1}.member`;
    const key = check.string(tag, 'Key', { min: 1, max: 128, path: `${path}.key` });
    const value = check.string(tag, 'Value', { min: 0, max: 256, path: `${path}.value` });
    return { Key: key ?? '', Value: value ?? '' };
  });
}

/** At most 50 tags per secret; `aws:` tags are AWS's own and don't count (API reference, TagResource). */
export function checkTagLimit(tags: Tag[]): void {
  if (tags.some((t) => t.Key.toLowerCase().startsWith('aws:'))) {
    throw invalidParameter('Tag keys beginning with aws: are reserved for AWS use.');
  }
  if (tags.length > MAX_TAGS) throw invalidParameter(`A secret can have at most ${MAX_TAGS} tags.`);
}

export function readFilters(check: Validation, input: JsonObject): Filter[] {
  const raw = input.Filters;
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw serialization('Filters');
  if (raw.length > 10) check.fail('filters', undefined, 'Member must have length less than or equal to 10');
  return raw.map((item: unknown, index) => {
    if (typeof item !== 'object' || item === null) throw serialization('Filters');
    const filter = item as JsonObject;
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
