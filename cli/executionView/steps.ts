import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { readableCause } from '../../functions/shared/errorCause';

/** CAUGHT: the state failed and a Catch moved on (to NotifyOps). */
export type StepStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CAUGHT' | 'TIMED_OUT' | 'ABORTED';

/** One visit of a state, as the Step Functions console's "Events" view groups it. */
export type Step = {
  name: string;
  /** The state's type: Task, Pass, Choice, Succeed, Fail... */
  type: string;
  status: StepStatus;
  enteredAt: Date;
  exitedAt?: Date;
  /** Until exitedAt, or until now while the step runs. */
  durationMs?: number;
  /** Task invocations in this visit. */
  attempts: number;
  /** Failed attempts that were tried again (attempts after the first). */
  retries: number;
  /** The last failed attempt's error and cause (a sentence), unless a later attempt succeeded. */
  error?: string;
  cause?: string;
  /** 0 for the first run, n for the run that the nth redrive started. */
  redrive: number;
};

/** Where one history event belongs: the index of its step, and on a Scheduled event its attempt. */
export type EventPlace = { step?: number; attempt?: number };

export type ReadHistory = { steps: Step[]; places: EventPlace[] };

type Failure = { error?: string; cause?: string } | undefined;

// Service integrations (Task*), Lambda ARNs as Resource (LambdaFunction*) and activities (Activity*).
const ATTEMPT_STARTS = new Set(['TaskScheduled', 'LambdaFunctionScheduled', 'ActivityScheduled']);
const ATTEMPT_SUCCESSES = new Set(['TaskSucceeded', 'LambdaFunctionSucceeded', 'ActivitySucceeded']);
const ATTEMPT_FAILURES: Record<string, (event: HistoryEvent) => Failure> = {
  TaskFailed: (event) => event.taskFailedEventDetails,
  TaskTimedOut: (event) => event.taskTimedOutEventDetails,
  TaskStartFailed: (event) => event.taskStartFailedEventDetails,
  TaskSubmitFailed: (event) => event.taskSubmitFailedEventDetails,
  LambdaFunctionFailed: (event) => event.lambdaFunctionFailedEventDetails,
  LambdaFunctionTimedOut: (event) => event.lambdaFunctionTimedOutEventDetails,
  LambdaFunctionStartFailed: (event) => event.lambdaFunctionStartFailedEventDetails,
  LambdaFunctionScheduleFailed: (event) => event.lambdaFunctionScheduleFailedEventDetails,
  ActivityFailed: (event) => event.activityFailedEventDetails,
  ActivityTimedOut: (event) => event.activityTimedOutEventDetails,
  ActivityScheduleFailed: (event) => event.activityScheduleFailedEventDetails,
};
const EXECUTION_ENDS: Record<string, { status: StepStatus; failure: (event: HistoryEvent) => Failure }> = {
  ExecutionFailed: { status: 'FAILED', failure: (event) => event.executionFailedEventDetails },
  ExecutionTimedOut: { status: 'TIMED_OUT', failure: (event) => event.executionTimedOutEventDetails },
  ExecutionAborted: { status: 'ABORTED', failure: (event) => event.executionAbortedEventDetails },
};

/**
 * The states an execution went through, in order, from its history (a workflow without Map or
 * Parallel states: one state runs at a time), and the step each event belongs to. A state entered
 * again after a redrive is a new step. Execution-level events (ExecutionStarted, ExecutionFailed,
 * ExecutionRedriven...) belong to no step; `now` ends the duration of a step still running.
 */
export function readHistory(events: readonly HistoryEvent[], now = Date.now()): ReadHistory {
  const steps: Step[] = [];
  const places: EventPlace[] = [];
  let open: Step | undefined;
  let redrive = 0;
  for (const event of events) {
    const type = event.type ?? '';
    const at = event.timestamp;
    const entered = event.stateEnteredEventDetails?.name;
    if (type === 'ExecutionRedriven') {
      redrive = event.executionRedrivenEventDetails?.redriveCount ?? redrive + 1;
    } else if (type.endsWith('StateEntered') && entered !== undefined) {
      open = {
        name: entered,
        type: type.slice(0, -'StateEntered'.length),
        status: 'RUNNING',
        enteredAt: at ?? new Date(0),
        attempts: 0,
        retries: 0,
        redrive,
      };
      steps.push(open);
    }
    const place: EventPlace = open && !type.startsWith('Execution') ? { step: steps.indexOf(open) } : {};
    places.push(place);
    if (open === undefined || type.endsWith('StateEntered')) continue;
    if (ATTEMPT_STARTS.has(type)) {
      open.attempts += 1;
      open.retries = open.attempts - 1;
      place.attempt = open.attempts;
    } else if (ATTEMPT_SUCCESSES.has(type)) {
      open.error = undefined;
      open.cause = undefined;
    } else if (type in ATTEMPT_FAILURES) {
      const failure = ATTEMPT_FAILURES[type]?.(event);
      open.error = failure?.error ?? type;
      open.cause = readableCause(failure?.cause);
    } else if (type.endsWith('StateExited')) {
      open = close(open, open.error === undefined ? 'SUCCEEDED' : 'CAUGHT', at);
    } else if (type.endsWith('StateAborted')) {
      open = close(open, 'ABORTED', at);
    } else if (type in EXECUTION_ENDS) {
      const end = EXECUTION_ENDS[type];
      const failure = end?.failure(event);
      open.error ??= failure?.error;
      open.cause ??= readableCause(failure?.cause);
      open = close(open, end?.status ?? 'FAILED', at);
    }
  }
  if (open) open.durationMs = now - open.enteredAt.getTime();
  return { steps, places };
}

/** Ends `step` with `status` at `at`; returns undefined: no step is open any more. */
function close(step: Step, status: StepStatus, at: Date | undefined): undefined {
  step.status = status;
  step.exitedAt = at;
  step.durationMs = at ? at.getTime() - step.enteredAt.getTime() : undefined;
  return undefined;
}

/** What happened to one state of the definition: its last visit, or NOT_RUN if it had none. */
export type StateSummary = Pick<Step, 'name' | 'attempts' | 'error' | 'cause'> & {
  status: StepStatus | 'NOT_RUN';
  enteredAt?: Date;
  durationMs?: number;
};

/** Every state in `stateNames` (the definition's order) as its last visit left it (a redrive re-enters). */
export function stateSummaries(stateNames: readonly string[], steps: readonly Step[]): StateSummary[] {
  return stateNames.map((name) => {
    const last = steps.findLast((step) => step.name === name);
    if (!last) return { name, status: 'NOT_RUN', attempts: 0 };
    const { status, attempts, enteredAt, durationMs, error, cause } = last;
    return { name, status, attempts, enteredAt, durationMs, error, cause };
  });
}
