import type { Collection, JournalStore } from '../store';
import type { HistoryEvent } from './model';

/**
 * The execution histories: one store entry per event (`<executionArn>#<id>`, ids from 1 without
 * gaps), appended as events happen, so a long history never rewrites itself in the journal.
 */
export class HistoryLog {
  private readonly events: Collection<HistoryEvent>;
  private readonly counts = new Map<string, number>();

  constructor(store: JournalStore) {
    this.events = store.collection<HistoryEvent>('history');
  }

  list(executionArn: string): HistoryEvent[] {
    const events: HistoryEvent[] = [];
    for (let id = 1; ; id += 1) {
      const event = this.events.get(key(executionArn, id));
      if (!event) return events;
      events.push(event);
    }
  }

  /** Appends an event of `type`; `details` go under the member AWS names for that type. */
  append(executionArn: string, type: string, timestamp: number, details?: object): HistoryEvent {
    const id = (this.counts.get(executionArn) ?? this.list(executionArn).length) + 1;
    const event: HistoryEvent = { id, previousEventId: id - 1, timestamp: timestamp / 1000, type };
    if (details) event[detailsMember(type)] = details;
    this.events.set(key(executionArn, id), event);
    this.counts.set(executionArn, id);
    return event;
  }
}

function key(executionArn: string, id: number): string {
  return `${executionArn}#${id}`;
}

/** `TaskStateEntered` -> `stateEnteredEventDetails`, `LambdaFunctionFailed` -> `lambdaFunctionFailedEventDetails`. */
function detailsMember(type: string): string {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
}
