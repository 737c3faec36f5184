/**
 * EventBridge event patterns (EventBridge User Guide, "Event patterns"): every field of the pattern
 * must match; a leaf is an array of allowed values, matched exactly (strings are case-sensitive) or
 * by a content filter (`prefix`, `suffix`, `anything-but`, `exists`); an array in the event matches
 * when any of its elements does.
 */
export function matchesPattern(pattern: unknown, event: unknown): boolean {
  if (!isObject(pattern)) return false;
  return Object.entries(pattern).every(([field, expected]) => {
    const value = isObject(event) ? event[field] : undefined;
    if (Array.isArray(expected)) return expected.some((allowed) => matchesValue(allowed, value));
    return isObject(expected) && isObject(value) && matchesPattern(expected, value);
  });
}

function matchesValue(allowed: unknown, value: unknown): boolean {
  if (isObject(allowed)) {
    if ('exists' in allowed) return (value !== undefined) === allowed.exists;
    if (value === undefined) return false;
    if (Array.isArray(value)) return value.some((item) => matchesFilter(allowed, item));
    return matchesFilter(allowed, value);
  }
  if (Array.isArray(value)) return value.some((item) => item === allowed);
  return value === allowed;
}

function matchesFilter(filter: Record<string, unknown>, value: unknown): boolean {
  if (typeof filter.prefix === 'string') return typeof value === 'string' && value.startsWith(filter.prefix);
  if (typeof filter.suffix === 'string') return typeof value === 'string' && value.endsWith(filter.suffix);
  if ('anything-but' in filter) {
    const excluded = [filter['anything-but']].flat();
    return !excluded.includes(value);
  }
  throw new Error(`Event pattern filter not supported locally: ${JSON.stringify(filter)}`);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
