import type { Params } from './params';
import { INTEGER_RULES, RULES } from './rules';

type Page<T> = { items: T[]; isTruncated: boolean; marker: string | undefined };

const DEFAULT_MAX_ITEMS = 100;

/**
 * One page of `items` in key order, following IAM's Marker/MaxItems contract. The marker names
 * the last key returned, so a page stays correct when entities are added or deleted in between.
 */
export function paginate<T>(items: readonly T[], keyOf: (item: T) => string, params: Params): Page<T> {
  const marker = params.optional('Marker', RULES.marker);
  const maxItems = params.integer('MaxItems', INTEGER_RULES.maxItems) ?? DEFAULT_MAX_ITEMS;
  const after = marker === undefined ? undefined : Buffer.from(marker, 'base64url').toString('utf8');
  const sorted = items
    .map((item) => ({ item, key: keyOf(item) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .filter(({ key }) => after === undefined || key > after);
  const page = sorted.slice(0, maxItems);
  const last = page.at(-1);
  const isTruncated = sorted.length > maxItems;
  return {
    items: page.map(({ item }) => item),
    isTruncated,
    marker: isTruncated && last ? Buffer.from(last.key, 'utf8').toString('base64url') : undefined,
  };
}

/** The list-result fields every paginated IAM response carries. */
export function pageFields(page: Page<unknown>): { IsTruncated: boolean; Marker: string | undefined } {
  return { IsTruncated: page.isTruncated, Marker: page.marker };
}
