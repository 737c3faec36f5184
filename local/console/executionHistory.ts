import type { HistoryEvent } from '@aws-sdk/client-sfn';

export type StateStatus = 'succeeded' | 'failed' | 'running' | 'caught' | 'aborted' | 'not run';

/** What happened to one state of the definition in an execution, across retries and redrives. */
export type StateRun = {
  name: string;
  status: StateStatus;
  /** Lambda (or other task) invocations; every one after the first of an entry is a retry. */
  attempts: number;
  enteredAt?: string;
  durationMs?: number;
  error?: string;
  cause?: string;
};

/** One history event, flattened for display: JSON texts are pretty-printed, nothing is dropped. */
export type TimelineEvent = {
  id: number;
  type: string;
  timestamp: string;
  elapsedMs: number;
  stateName?: string;
  /** On a Scheduled event: 1 for the first invocation of this entry into the state, then each retry. */
  attempt?: number;
  resource?: string;
  input?: string;
  output?: string;
  error?: string;
  cause?: string;
};

const DETAIL_FIELDS = ['name', 'resource', 'input', 'output', 'error', 'cause'] as const;
type Details = Partial<Record<(typeof DETAIL_FIELDS)[number], string>>;

/** The text fields of the `<something>EventDetails` member of a history event, whichever it is. */
function detailsOf(event: HistoryEvent): Details {
  const [, member] =
    Object.entries(event).find(([key, value]) => key.endsWith('EventDetails') && typeof value === 'object') ??
    [];
  const details: Details = {};
  for (const field of DETAIL_FIELDS) {
    const value: unknown = (member as Record<string, unknown> | null | undefined)?.[field];
    if (typeof value === 'string') details[field] = value;
  }
  return details;
}

const time = (event: HistoryEvent) => event.timestamp?.getTime() ?? 0;

/** Every event in order, each attributed to the state it belongs to. */
export function timeline(events: readonly HistoryEvent[]): TimelineEvent[] {
  const start = events[0] ? time(events[0]) : 0;
  let stateName: string | undefined;
  let attempts = 0;
  return events.map((event) => {
    const type = event.type ?? 'Unknown';
    const details = detailsOf(event);
    if (type.endsWith('StateEntered')) [stateName, attempts] = [details.name, 0];
    if (type.startsWith('Execution')) stateName = undefined;
    if (type.endsWith('Scheduled')) attempts += 1;
    const entry: TimelineEvent = {
      id: event.id ?? 0,
      type,
      timestamp: new Date(time(event)).toISOString(),
      elapsedMs: time(event) - start,
      stateName: details.name ?? stateName,
      attempt: type.endsWith('Scheduled') ? attempts : undefined,
      resource: details.resource,
      input: details.input === undefined ? undefined : prettyJson(details.input),
      output: details.output === undefined ? undefined : prettyJson(details.output),
      error: details.error,
      cause: details.cause,
    };
    if (type.endsWith('StateExited')) stateName = undefined;
    return entry;
  });
}

/**
 * The status of every state in `stateNames` (the definition's order) from the history: entered and
 * not left is running, left after a failed attempt is caught, open when the execution failed is
 * failed (or aborted), never entered is not run. A redrive re-enters the failed state.
 */
export function stateRuns(stateNames: readonly string[], events: readonly HistoryEvent[]): StateRun[] {
  type Run = StateRun & { lastAttemptFailed: boolean };
  const runs = new Map<string, Run>();
  for (const name of stateNames)
    runs.set(name, { name, status: 'not run', attempts: 0, lastAttemptFailed: false });
  const since = (run: Run, at: number) => at - Date.parse(run.enteredAt ?? '');
  let open: Run | undefined;
  for (const event of events) {
    const type = event.type ?? '';
    const details = detailsOf(event);
    if (type.endsWith('StateEntered')) {
      open = details.name === undefined ? undefined : runs.get(details.name);
      // A redrive enters the failed state afresh; its earlier attempts stay in the timeline.
      if (open) {
        Object.assign(open, {
          status: 'running',
          enteredAt: new Date(time(event)).toISOString(),
          attempts: 0,
        });
        Object.assign(open, {
          durationMs: undefined,
          error: undefined,
          cause: undefined,
          lastAttemptFailed: false,
        });
      }
      continue;
    }
    if (!open) continue;
    if (type.endsWith('Scheduled')) {
      open.attempts += 1;
      open.lastAttemptFailed = false;
    } else if (type.endsWith('StateExited')) {
      open.status = open.lastAttemptFailed ? 'caught' : 'succeeded';
      open.durationMs = since(open, time(event));
      open = undefined;
    } else if (type === 'ExecutionAborted' || type === 'ExecutionFailed' || type === 'ExecutionTimedOut') {
      open.status = type === 'ExecutionAborted' ? 'aborted' : 'failed';
      open.durationMs = since(open, time(event));
      open.error ??= details.error;
      open.cause ??= readableCause(details.cause);
      open = undefined;
    } else if (details.error !== undefined) {
      Object.assign(open, {
        error: details.error,
        cause: readableCause(details.cause),
        lastAttemptFailed: true,
      });
    }
  }
  if (open) open.durationMs = since(open, Date.now());
  return [...runs.values()].map(({ lastAttemptFailed: _, ...run }) => run);
}

/** The step to blame: a Task that failed (retries exhausted), else the first caught one. */
export function failedStep(runs: readonly StateRun[], taskNames: ReadonlySet<string>): string | undefined {
  const failedTask = runs.find((run) => run.status === 'failed' && taskNames.has(run.name));
  return (failedTask ?? runs.find((run) => run.status === 'caught'))?.name;
}

/** A Lambda error's cause is JSON with an `errorMessage`; anything else is already a sentence. */
export function readableCause(cause: string | undefined): string | undefined {
  if (cause === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(cause);
    if (typeof parsed === 'object' && parsed !== null && 'errorMessage' in parsed) {
      return String(parsed.errorMessage);
    }
  } catch {
    // A plain sentence.
  }
  return cause;
}

export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
