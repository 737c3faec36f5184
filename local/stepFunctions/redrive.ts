import type { Collection } from '../store';
import type { HistoryLog } from './historyLog';
import type { ExecutionRecord, HistoryEvent } from './model';

const REDRIVABLE_PERIOD_MS = 14 * 24 * 60 * 60 * 1000;

export type RedriveStatus =
  | { redriveStatus: 'REDRIVABLE' }
  | { redriveStatus: 'NOT_REDRIVABLE'; redriveStatusReason: string };

/** Whether RedriveExecution would accept the execution now, with AWS's reasons when it would not. */
export function redriveStatus(record: ExecutionRecord, now = Date.now()): RedriveStatus {
  if (record.status === 'RUNNING' || record.status === 'SUCCEEDED') {
    return notRedrivable(`Execution is ${record.status} and cannot be redriven`);
  }
  if (record.stopDate !== undefined && now - record.stopDate > REDRIVABLE_PERIOD_MS) {
    return notRedrivable('Execution redrivable period exceeded');
  }
  return { redriveStatus: 'REDRIVABLE' };
}

function notRedrivable(redriveStatusReason: string): RedriveStatus {
  return { redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason };
}

/**
 * Where a redrive resumes: the last state entered, with the input it was entered with. The engine
 * enters the next state as soon as one exits, so that is the state that did not complete; states
 * before it succeeded and are not run again. Nothing entered yet: StartAt, with the execution input.
 */
export function resumePoint(
  record: ExecutionRecord,
  events: readonly HistoryEvent[],
): { stateName: string; input: string } {
  for (let index = events.length - 1; index >= 0; index -= 1) {
    const entered = enteredState(events[index]);
    if (entered) return { stateName: entered.name, input: entered.input };
  }
  const { StartAt } = JSON.parse(record.definition) as { StartAt: string };
  return { stateName: StartAt, input: record.input };
}

function enteredState(event: HistoryEvent | undefined): { name: string; input: string } | undefined {
  const details = event?.stateEnteredEventDetails;
  if (typeof details !== 'object' || details === null) return undefined;
  const { name, input } = details as Record<string, unknown>;
  return typeof name === 'string' && typeof input === 'string' ? { name, input } : undefined;
}

/** An execution that was in a Wait state when the local stack stopped: it goes on waiting. */
export type InterruptedWait = {
  record: ExecutionRecord;
  stateName: string;
  input: string;
  enteredAt: number;
};

/**
 * Executions still RUNNING in the store were cut off when the process stopped. One in a Wait state
 * loses nothing by it (in AWS it would still be waiting): it is returned, to be resumed at that
 * Wait. Any other ends FAILED (States.Runtime), keeps its history and stays redrivable from the
 * state it was in.
 */
export function failInterruptedExecutions(
  executions: Collection<ExecutionRecord>,
  history: HistoryLog,
): InterruptedWait[] {
  const now = Date.now();
  const waits: InterruptedWait[] = [];
  for (const record of executions.values()) {
    if (record.status !== 'RUNNING') continue;
    const events = history.list(record.executionArn);
    const { stateName, input } = resumePoint(record, events);
    const { States } = JSON.parse(record.definition) as { States: Record<string, { Type?: string }> };
    const entered = events.findLast((event) => enteredState(event)?.name === stateName);
    if (States[stateName]?.Type === 'Wait' && entered) {
      waits.push({ record, stateName, input, enteredAt: entered.timestamp * 1000 });
      continue;
    }
    const error = 'States.Runtime';
    const cause = `The local stack stopped while this execution was running; redrive it to resume at ${stateName}.`;
    history.append(record.executionArn, 'ExecutionFailed', now, { error, cause });
    record.status = 'FAILED';
    record.stopDate = now;
    record.error = error;
    record.cause = cause;
    executions.set(record.executionArn, record);
  }
  return waits;
}
