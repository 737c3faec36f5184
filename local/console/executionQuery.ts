import type { ExecutionStatus } from '@aws-sdk/client-sfn';
import type { ExecutionView } from '../../cli/executionView/view';

/** Step Functions' execution statuses: the values of ListExecutions' `statusFilter`. */
export const STATUSES: readonly ExecutionStatus[] = [
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
];
export const DEFAULT_LIMIT = 50;
/** ListExecutions' own `maxResults` is up to 1000; a page of the console is at most 100 rows. */
export const MAX_LIMIT = 100;

/** What `GET /api/executions` was asked for, validated. */
export type ExecutionQuery = {
  /** Lower case; matched against the person's name, employee id, HR eventId and IAM user name. */
  q?: string;
  status?: ExecutionStatus;
  /** Started at or after this instant. */
  since?: Date;
  /** Started before this instant (the end of `until`'s day, or just after its time). */
  before?: Date;
  limit: number;
  /** Step Functions' ListExecutions token: where the previous page ended. */
  nextToken?: string;
};

export type ParsedQuery =
  | { query: ExecutionQuery; errors?: undefined }
  | { query?: undefined; errors: string[] };

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const DAY_MS = 86_400_000;

/**
 * `q`, `status`, `since`, `until`, `limit` and `nextToken` of the executions list, each checked, every
 * problem reported at once. `since` and `until` are a UTC day (`2026-11-28`, until: through its end)
 * or an ISO 8601 time with its zone (`2026-11-28T09:00:00Z`).
 */
export function parseExecutionQuery(params: URLSearchParams): ParsedQuery {
  const errors: string[] = [];
  const value = (name: string) => {
    const text = params.get(name)?.trim();
    return text === '' ? undefined : text;
  };
  const status = value('status');
  if (status !== undefined && !STATUSES.includes(status as ExecutionStatus)) {
    errors.push(`status: "${status}" is not one of ${STATUSES.join(', ')}`);
  }
  const limitText = value('limit');
  const limit = limitText === undefined ? DEFAULT_LIMIT : Number(limitText);
  if (!/^\d+$/.test(limitText ?? '1') || limit < 1 || limit > MAX_LIMIT) {
    errors.push(`limit: "${limitText}" is not a whole number from 1 to ${MAX_LIMIT}`);
  }
  const since = instant('since', value('since'), errors);
  const until = instant('until', value('until'), errors);
  const before = until && new Date(until.date.getTime() + (until.day ? DAY_MS : 1));
  if (since && before && since.date >= before) errors.push('since: it is after until');
  if (errors.length > 0) return { errors };
  return {
    query: {
      q: value('q')?.toLowerCase(),
      status: status as ExecutionStatus | undefined,
      since: since?.date,
      before,
      limit,
      nextToken: value('nextToken'),
    },
  };
}

function instant(name: string, text: string | undefined, errors: string[]) {
  if (text === undefined) return undefined;
  const day = DAY.exec(text);
  const date = new Date(day ? `${text}T00:00:00Z` : text);
  // Date would roll 2026-02-30 over to March: a day must read back as itself.
  const valid = (day || TIME.test(text)) && !Number.isNaN(date.getTime());
  if (!valid || (day && date.toISOString().slice(0, 10) !== text)) {
    errors.push(
      `${name}: "${text}" is not a UTC day (2026-11-28) or an ISO 8601 time with a zone (2026-11-28T09:00:00Z)`,
    );
    return undefined;
  }
  return { date, day: day !== null };
}

/** The HR event's id, from the execution's input. */
export function eventIdOf(view: Pick<ExecutionView, 'input'>): string | undefined {
  try {
    const { eventId } = JSON.parse(view.input ?? '{}') as { eventId?: unknown };
    return typeof eventId === 'string' ? eventId : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `q` (lower case) is part of the person's name, employee id, HR eventId or IAM user name. */
export function matchesSearch(view: ExecutionView, q: string): boolean {
  return [view.employee.name, view.employee.id, eventIdOf(view), view.userName].some((field) =>
    field?.toLowerCase().includes(q),
  );
}

/** Whether an execution's start is inside `since` and `before` (the list items carry startDate). */
export function startedWithin(startDate: Date | undefined, query: Pick<ExecutionQuery, 'since' | 'before'>) {
  if (startDate === undefined) return query.since === undefined && query.before === undefined;
  return (!query.since || startDate >= query.since) && (!query.before || startDate < query.before);
}
