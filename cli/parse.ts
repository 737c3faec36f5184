import { InvalidArgumentError } from 'commander';

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `--since`: a duration back from `now` (`30m`, `24h`, `7d`, `90s`) or an ISO 8601 date. */
export function parseSince(value: string, now = Date.now()): Date {
  const relative = /^(\d+)([smhd])$/.exec(value.trim());
  if (relative) {
    const [, amount, unit] = relative;
    return new Date(now - Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS]);
  }
  const date = new Date(value);
  if (/^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(date.getTime())) return date;
  throw new InvalidArgumentError(
    'Use a duration such as 30m, 24h or 7d, or an ISO date (2026-11-28T09:00Z).',
  );
}

/** `--limit`: a whole number from 1. */
export function parseLimit(value: string): number {
  const limit = Number(value);
  if (!/^\d+$/.test(value) || limit < 1) throw new InvalidArgumentError('Use a whole number from 1.');
  return limit;
}
