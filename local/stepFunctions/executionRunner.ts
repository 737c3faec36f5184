import type { StateMachine, StateMachineDefinition } from 'aws-local-stepfunctions';
import type { Collection } from '../store';
import type { JsonValue, TaskSpec } from './definitions';
import { ServiceIntegrationError } from './errors';
import type { HistoryLog } from './historyLog';
import { type EngineEvent, HistoryMapper, type Outcome, type TaskAttempt } from './historyMapper';
import { Arns, type ExecutionRecord } from './model';

/** Runs one Task state's resource (a Lambda) with its input, for the named execution and state, by `deadline`. */
export type TaskInvoker = (
  resource: string,
  input: unknown,
  /** `roleArn`: the execution role the state machine had when the execution started. */
  context: { executionArn: string; stateName: string; deadline: number; roleArn: string },
) => Promise<unknown>;

/** What one run executes: a start runs the machine from StartAt, a redrive from its resume state. */
export type RunPlan = {
  definition: StateMachineDefinition;
  tasks: ReadonlyMap<string, TaskSpec>;
  machine: StateMachine;
  input: JsonValue;
  hiddenState?: string;
  /** The Wait a resumed run starts in, whose entry the history holds already. */
  resumedWait?: string;
};

export type StopRequest = { error?: string; cause?: string };

type Run = {
  stop(request: StopRequest): Promise<void>;
  /** Ends this run without recording anything, so it can be started again where it is. */
  interrupt(): Promise<void>;
  halt(): void;
  done: Promise<void>;
};

const NOT_TRUNCATED = { truncated: false } as const;
/** aws-local-stepfunctions' Task timeout when a state sets none. */
const ENGINE_TASK_TIMEOUT_SECONDS = 60;

/**
 * Runs executions on aws-local-stepfunctions: every Task calls `invokeTask`, every engine event is
 * appended to the history as it happens, and the end of the run is written to the execution record.
 */
export class ExecutionRunner {
  private readonly running = new Map<string, Run>();
  /** Lambda invocations in flight: a halt waits for them, so none acts on a later stack. */
  private readonly invocations = new Set<Promise<unknown>>();
  private halted = false;

  constructor(
    private readonly executions: Collection<ExecutionRecord>,
    private readonly history: HistoryLog,
    private readonly invokeTask: TaskInvoker,
    /** Told of every status an execution takes, as Step Functions tells EventBridge. */
    private readonly onStatusChange: (record: ExecutionRecord) => void = () => {},
  ) {}

  /** `announce`: tell of the RUNNING status (not for a run resumed where it was waiting). */
  start(record: ExecutionRecord, plan: RunPlan, announce = true): void {
    // After a halt the record stays RUNNING, as if the process had died: the next start fails it.
    if (this.halted) return;
    const arn = record.executionArn;
    const mapper = new HistoryMapper(
      (type, timestamp, details) => this.history.append(arn, type, timestamp, details),
      plan.definition,
      plan.hiddenState,
      plan.resumedWait,
    );
    let stopRequest: StopRequest | undefined;
    let interrupted = false;
    const handlers = this.taskHandlers(record, plan.tasks, mapper, () => stopRequest !== undefined);
    const execution = plan.machine.run(plan.input, {
      overrides: { taskResourceLocalHandlers: handlers },
      noThrowOnAbort: true,
      context: contextObject(record),
    });
    // Failures reach the history through the event log; the result promise must only not go unhandled.
    execution.result.catch(() => undefined);
    const done = this.follow(
      arn,
      mapper,
      execution.eventLogs,
      () => stopRequest,
      () => interrupted,
    ).finally(() => {
      if (this.running.get(arn)?.done === done) this.running.delete(arn);
    });
    const stop = (request: StopRequest) => {
      stopRequest = request;
      execution.abort();
      return done;
    };
    const interrupt = () => {
      interrupted = true;
      execution.abort();
      return done;
    };
    this.running.set(arn, { stop, interrupt, halt: () => execution.abort(), done });
    if (announce) this.onStatusChange(record);
  }

  /** Ends a run without recording anything (the execution stays RUNNING), to start it again where it is. */
  async interrupt(executionArn: string): Promise<void> {
    await this.running.get(executionArn)?.interrupt();
  }

  /** Aborts a running execution; resolves once its ExecutionAborted event is recorded. */
  async stop(executionArn: string, request: StopRequest): Promise<void> {
    await this.running.get(executionArn)?.stop(request);
  }

  /**
   * Ends every run the way a process exit does: nothing more is invoked or recorded, so the store
   * keeps those executions RUNNING and the next emulator on it fails them as interrupted.
   */
  async halt(): Promise<void> {
    this.halted = true;
    for (const run of this.running.values()) run.halt();
    await Promise.allSettled([...this.invocations]);
    await this.whenIdle();
  }

  async whenIdle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()].map((run) => run.done));
  }

  private async follow(
    arn: string,
    mapper: HistoryMapper,
    events: AsyncGenerator<EngineEvent>,
    stopRequest: () => StopRequest | undefined,
    interrupted: () => boolean,
  ): Promise<void> {
    for await (const event of events) {
      if (this.halted || interrupted()) return;
      const outcome = mapper.map(event);
      if (outcome) return this.finish(arn, outcome, event.timestamp, stopRequest());
    }
  }

  private finish(
    arn: string,
    outcome: Outcome,
    stopDate: number,
    stopRequest: StopRequest | undefined,
  ): void {
    const record = this.executions.get(arn);
    if (!record) return;
    const { type, details, fields } = ending(outcome, stopRequest);
    this.history.append(arn, type, stopDate, details);
    Object.assign(record, { status: outcome.status, stopDate }, fields);
    this.executions.set(arn, record);
    this.onStatusChange(record);
  }

  private taskHandlers(
    record: ExecutionRecord,
    tasks: ReadonlyMap<string, TaskSpec>,
    mapper: HistoryMapper,
    stopped: () => boolean,
  ): Record<string, (input: JsonValue) => Promise<JsonValue>> {
    const handler =
      (stateName: string, task: TaskSpec) =>
      async (input: JsonValue): Promise<JsonValue> => {
        if (stopped() || this.halted) throw STOPPED;
        const scheduledAt = Date.now();
        const attempt: TaskAttempt = {
          stateName,
          resource: task.resource,
          input: JSON.stringify(input),
          timeoutInSeconds: task.timeoutSeconds,
          scheduledAt,
        };
        mapper.recordAttempt(attempt);
        const deadline = scheduledAt + (task.timeoutSeconds ?? ENGINE_TASK_TIMEOUT_SECONDS) * 1000;
        let output: unknown;
        const invocation = this.invokeTask(task.resource, input, {
          executionArn: record.executionArn,
          stateName,
          deadline,
          roleArn: record.roleArn,
        });
        this.invocations.add(invocation);
        try {
          output = await invocation;
        } catch (error) {
          throw lambdaError(error);
        } finally {
          this.invocations.delete(invocation);
        }
        if (this.halted) throw STOPPED;
        // Like a Lambda payload: what the state machine gets is the JSON of what the task returned.
        const payload = JSON.stringify(output ?? null);
        attempt.result = { at: Date.now(), output: payload };
        return JSON.parse(payload) as JsonValue;
      };
    return Object.fromEntries([...tasks].map(([name, task]) => [name, handler(name, task)]));
  }
}

/**
 * Thrown instead of invoking a Task after StopExecution: the engine would otherwise go on retrying
 * the state that was running. Neither retried nor caught, so the run ends at once.
 */
const STOPPED = Object.assign(new Error('The execution was stopped.'), {
  isRetryable: false,
  isCatchable: false,
});

/**
 * The error the engine matches Retry and Catch on: named by the Lambda errorType, with its JSON
 * cause; a service integration's error keeps its name and its text cause.
 */
function lambdaError(error: unknown): Error {
  if (error instanceof ServiceIntegrationError) {
    const wrapped = new Error(error.message, { cause: error.message });
    wrapped.name = error.name;
    return wrapped;
  }
  const errorType = error instanceof Error ? error.name : 'Error';
  const errorMessage = error instanceof Error ? error.message : String(error);
  const cause = JSON.stringify({ errorType, errorMessage, trace: [] });
  const wrapped = new Error(cause, { cause });
  wrapped.name = errorType;
  return wrapped;
}

/** The closing history event of an outcome, and what it sets on the execution record. */
function ending(
  outcome: Outcome,
  stopRequest: StopRequest | undefined,
): { type: string; details?: object; fields: Partial<ExecutionRecord> } {
  switch (outcome.status) {
    case 'SUCCEEDED': {
      const { output } = outcome;
      return {
        type: 'ExecutionSucceeded',
        details: { output, outputDetails: NOT_TRUNCATED },
        fields: { output },
      };
    }
    case 'FAILED': {
      const { error, cause } = outcome;
      return { type: 'ExecutionFailed', details: { error, cause }, fields: { error, cause } };
    }
    case 'TIMED_OUT':
      return {
        type: 'ExecutionTimedOut',
        details: { error: 'States.Timeout' },
        fields: { error: 'States.Timeout' },
      };
    case 'ABORTED': {
      const { error, cause } = stopRequest ?? {};
      const details = error === undefined && cause === undefined ? undefined : { error, cause };
      return { type: 'ExecutionAborted', details, fields: { error, cause } };
    }
  }
}

function contextObject(record: ExecutionRecord) {
  return {
    Execution: {
      Id: record.executionArn,
      Input: JSON.parse(record.input) as JsonValue,
      Name: record.name,
      RoleArn: record.roleArn,
      StartTime: new Date(record.startDate).toISOString(),
      RedriveCount: record.redriveCount,
    },
    StateMachine: { Id: record.stateMachineArn, Name: Arns.stateMachineName(record.stateMachineArn) },
  };
}
