import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { readHistory } from './steps';

/** One history event, flattened for display: every text field kept as AWS recorded it. */
export type TimelineEvent = {
  id: number;
  type: string;
  timestamp: Date;
  /** Since the first event. */
  elapsedMs: number;
  /** The state the event belongs to; none for execution-level events. */
  stateName?: string;
  /** On a Scheduled event: 1 for the first invocation in this visit of the state, then each retry. */
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

/** Every event in order, each attributed to the step it belongs to (see readHistory). */
export function timeline(events: readonly HistoryEvent[]): TimelineEvent[] {
  const { steps, places } = readHistory(events);
  const time = (event: HistoryEvent | undefined) => event?.timestamp?.getTime() ?? 0;
  const start = time(events[0]);
  return events.map((event, index) => {
    const details = detailsOf(event);
    const place = places[index];
    return {
      id: event.id ?? 0,
      type: event.type ?? 'Unknown',
      timestamp: new Date(time(event)),
      elapsedMs: time(event) - start,
      stateName: place?.step === undefined ? undefined : steps[place.step]?.name,
      attempt: place?.attempt,
      resource: details.resource,
      input: details.input,
      output: details.output,
      error: details.error,
      cause: details.cause,
    };
  });
}
