import type { JsonObject } from '../aws/jsonProtocol';
import { Validation } from '../aws/jsonValidation';
import { AwsError } from '../aws/types';
import { MESSAGES } from './errors';
import type { StoredSecret } from './model';
import { listEntry } from './responses';
import type { SecretsState } from './state';
import { type Filter, readFilters, SORT_BY } from './validation';

export function listSecrets(context: SecretsState, input: JsonObject): JsonObject {
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
