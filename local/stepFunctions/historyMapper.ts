import type { StateMachine, StateMachineDefinition } from 'aws-local-stepfunctions';

/** An event of aws-local-stepfunctions' execution event log. */
export type EngineEvent =
  ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

/** One invocation of a Task's Lambda, as the task handler saw it (JSON text, verbatim). */
export type TaskAttempt = {
  stateName: string;
  resource: string;
  input: string;
  timeoutInSeconds?: number;
  scheduledAt: number;
  result?: { at: number; output: string };
};

/** How the execution ended, once the event log says so. */
export type Outcome =
  | { status: 'SUCCEEDED'; output: string }
  | { status: 'FAILED'; error?: string; cause?: string }
  | { status: 'TIMED_OUT' }
  | { status: 'ABORTED' };

type Append = (type: string, timestamp: number, details?: object) => void;

const NOT_TRUNCATED = { truncated: false } as const;
/** State types that have a `<Type>StateAborted` history event. */
const ABORTABLE = new Set(['Task', 'Wait', 'Map', 'Parallel']);

/**
 * Turns the engine's event log into AWS history events. Task states gain the Lambda events
 * (scheduled, started, then succeeded, failed or timed out) from the attempts the task handlers
 * record, so the history holds exactly what each invocation received and returned.
 */
export class HistoryMapper {
  private readonly attempts: TaskAttempt[] = [];
  private inFlight: TaskAttempt | undefined;
  private openState: { name: string; type: string } | undefined;

  constructor(
    private readonly append: Append,
    private readonly definition: StateMachineDefinition,
    /** The redrive entry state: run, but never shown. */
    private readonly hiddenState?: string,
    /** A Wait the history shows entered already, which this run resumes: entered once, not twice. */
    private resumedWait?: string,
  ) {}

  /** Called by a task handler as it invokes the Lambda, before the engine reports anything after it. */
  recordAttempt(attempt: TaskAttempt): void {
    this.attempts.push(attempt);
  }

  /** Records `event` in the history; returns the outcome when the event ends the execution. */
  map(event: EngineEvent): Outcome | undefined {
    switch (event.type) {
      case 'StateEntered': {
        const { name, type, input } = event.state;
        if (name === this.hiddenState) return undefined;
        this.openState = { name, type };
        if (name === this.resumedWait) {
          this.resumedWait = undefined;
          return undefined;
        }
        this.append(`${type}StateEntered`, event.timestamp, {
          name,
          input: json(input),
          inputDetails: NOT_TRUNCATED,
        });
        if (type === 'Task') this.startAttempt(name);
        return undefined;
      }
      case 'StateRetried':
        this.startAttempt(event.state.name);
        return undefined;
      case 'StateFailed':
        if (event.state.type === 'Task') this.settleAttempt(event.timestamp, event.Error, event.Cause);
        return undefined;
      case 'StateExited': {
        const { name, type, output } = event.state;
        if (name === this.hiddenState) return undefined;
        if (type === 'Task') this.settleAttempt(event.timestamp);
        this.openState = undefined;
        this.append(`${type}StateExited`, event.timestamp, {
          name,
          output: json(output),
          outputDetails: NOT_TRUNCATED,
        });
        return undefined;
      }
      case 'ExecutionSucceeded':
        return { status: 'SUCCEEDED', output: json(event.output) };
      case 'ExecutionFailed':
        return { status: 'FAILED', ...this.failure(event.Error, event.Cause) };
      case 'ExecutionTimeout':
        return { status: 'TIMED_OUT' };
      case 'ExecutionAborted':
        if (this.openState && ABORTABLE.has(this.openState.type)) {
          this.append(`${this.openState.type}StateAborted`, event.timestamp);
        }
        return { status: 'ABORTED' };
      default:
        // ExecutionStarted (the emulator records it), StateCaught, Map and Parallel iteration events.
        return undefined;
    }
  }

  private startAttempt(stateName: string): void {
    // No attempt when the state failed before invoking (InputPath or Parameters errors).
    if (this.attempts[0]?.stateName !== stateName) return;
    const attempt = this.attempts.shift();
    if (!attempt) return;
    this.inFlight = attempt;
    const { resource, input, timeoutInSeconds, scheduledAt } = attempt;
    this.append('LambdaFunctionScheduled', scheduledAt, {
      resource,
      input,
      inputDetails: NOT_TRUNCATED,
      timeoutInSeconds,
    });
    this.append('LambdaFunctionStarted', scheduledAt);
  }

  private settleAttempt(timestamp: number, error?: string, cause?: unknown): void {
    const attempt = this.inFlight;
    this.inFlight = undefined;
    if (!attempt) return;
    if (attempt.result) {
      const { at, output } = attempt.result;
      this.append('LambdaFunctionSucceeded', at, { output, outputDetails: NOT_TRUNCATED });
    } else if (error === 'States.Timeout') {
      this.append('LambdaFunctionTimedOut', timestamp, { error });
    } else if (error !== undefined) {
      this.append('LambdaFunctionFailed', timestamp, { error, cause: text(cause) });
    }
  }

  /** A Fail state without Error (or Cause) fails the execution without one, as in AWS. */
  private failure(error: string, cause: unknown): { error?: string; cause?: string } {
    const state = this.openState?.type === 'Fail' ? this.definition.States[this.openState.name] : undefined;
    if (state?.Type !== 'Fail') return { error, cause: text(cause) };
    return {
      error: state.Error !== undefined || state.ErrorPath !== undefined ? error : undefined,
      cause: state.Cause !== undefined || state.CausePath !== undefined ? text(cause) : undefined,
    };
  }
}

function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' || value === undefined ? value : JSON.stringify(value);
}
