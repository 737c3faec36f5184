import { type HistoryEvent, paginateGetExecutionHistory, type SFNClient } from '@aws-sdk/client-sfn';

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
  durationMs?: number;
  /** Task invocations in this visit. */
  attempts: number;
  /** Failed attempts that were tried again (attempts after the first). */
  retries: number;
  /** The last failed attempt's error and cause, unless a later attempt succeeded. */
  error?: string;
  cause?: string;
  /** 0 for the first run, n for the run that the nth redrive started. */
  redrive: number;
};

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
const UNSUCCESSFUL: ReadonlySet<StepStatus> = new Set(['FAILED', 'CAUGHT', 'TIMED_OUT', 'ABORTED']);

/** Every event of an execution, oldest first, without state inputs and outputs (errors and causes stay). */
export async function loadHistory(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  const pages = paginateGetExecutionHistory(
    { client: sfn, pageSize: 1000 },
    { executionArn, includeExecutionData: false },
  );
  for await (const page of pages) events.push(...(page.events ?? []));
  return events;
}

/**
 * The states an execution went through, in order, from its history (a workflow without Map or
 * Parallel states: one state runs at a time). A state entered again after a redrive is a new step.
 */
export function summarizeSteps(events: readonly HistoryEvent[]): Step[] {
  const steps: Step[] = [];
  let open: Step | undefined;
  let redrive = 0;
  for (const event of events) {
    const type = event.type ?? '';
    const at = event.timestamp;
    const entered = event.stateEnteredEventDetails?.name;
    if (type === 'ExecutionRedriven') {
      redrive = event.executionRedrivenEventDetails?.redriveCount ?? redrive + 1;
    } else if (type.endsWith('StateEntered') && entered !== undefined) {
      const stateType = type.slice(0, -'StateEntered'.length);
      open = {
        name: entered,
        type: stateType,
        status: 'RUNNING',
        enteredAt: at ?? new Date(0),
        attempts: 0,
        retries: 0,
        redrive,
      };
      steps.push(open);
    } else if (open === undefined) {
      // Events before the first state: ExecutionStarted.
    } else if (ATTEMPT_STARTS.has(type)) {
      open.attempts += 1;
      open.retries = open.attempts - 1;
    } else if (ATTEMPT_SUCCESSES.has(type)) {
      open.error = undefined;
      open.cause = undefined;
    } else if (type in ATTEMPT_FAILURES) {
      const failure = ATTEMPT_FAILURES[type]?.(event);
      open.error = failure?.error ?? type;
      open.cause = failure?.cause;
    } else if (type.endsWith('StateExited')) {
      open = close(open, open.error === undefined ? 'SUCCEEDED' : 'CAUGHT', at);
    } else if (type.endsWith('StateAborted')) {
      open = close(open, 'ABORTED', at);
    } else if (type in EXECUTION_ENDS) {
      const end = EXECUTION_ENDS[type];
      const failure = end?.failure(event);
      open.error ??= failure?.error;
      open.cause ??= failure?.cause;
      open = close(open, end?.status ?? 'FAILED', at);
    }
  }
  return steps;
}

/** Ends `step` with `status` at `at`; returns undefined: no step is open any more. */
function close(step: Step, status: StepStatus, at: Date | undefined): undefined {
  step.status = status;
  step.exitedAt = at;
  step.durationMs = at ? at.getTime() - step.enteredAt.getTime() : undefined;
  return undefined;
}

/** The step that made the execution fail: the last unsuccessful one, not counting Fail states. */
export function failedStep(steps: readonly Step[]): Step | undefined {
  return steps.findLast((step) => UNSUCCESSFUL.has(step.status) && step.type !== 'Fail');
}

/** A Lambda error's cause is JSON (`{"errorType","errorMessage","trace"}`): its message, else the cause. */
export function readableCause(cause: string | undefined): string | undefined {
  if (cause === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(cause);
    if (typeof parsed === 'object' && parsed !== null && 'errorMessage' in parsed) {
      if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
    }
  } catch {
    // Not JSON: States.* errors and Fail states carry a plain sentence.
  }
  return cause;
}
