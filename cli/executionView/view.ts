import type { DescribeExecutionCommandOutput, HistoryEvent } from '@aws-sdk/client-sfn';
import { readableCause } from '../../functions/shared/errorCause';
import { readHistory, type Step, type StepStatus } from './steps';

/** Who an execution onboards, from its input (the HR event). */
export type Employee = { id?: string; name?: string; department?: string };

/** What an execution means to ops: who it is for, what it made, where and why it stopped. */
export type ExecutionView = {
  name: string;
  executionArn: string;
  stateMachineArn?: string;
  status: string;
  /** The execution's input and output as Step Functions returns them (JSON text). */
  input?: string;
  output?: string;
  employee: Employee;
  /** The IAM user: from the output, else from the last state output naming one (CreateUser's). */
  userName?: string;
  startDate?: Date;
  stopDate?: Date;
  /** Until stopDate, or until now while RUNNING. */
  durationMs?: number;
  /** The execution's own error and cause, as DescribeExecution returns them... */
  error?: string;
  cause?: string;
  /** ...and the cause as a sentence (a Lambda error's message). */
  readableCause?: string;
  redriveCount: number;
  redriveDate?: Date;
  redriveStatus?: string;
  redriveStatusReason?: string;
  /** Every visit of a state, in order (none when the history was not read). */
  steps: Step[];
  /**
   * For an execution that ended FAILED, TIMED_OUT or ABORTED: the last step that did not succeed,
   * not counting Fail states (the Task whose retries ran out, the one a Catch left, the one stopped).
   */
  failedStep?: Step;
  /** Ended in a Fail state (after a Catch): a redrive would only run that Fail state again. */
  failedPermanently: boolean;
  /** The state a redrive resumes at: the last one entered. */
  resumesAt?: string;
};

const ENDED_BADLY: ReadonlySet<string> = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);
const UNSUCCESSFUL: ReadonlySet<StepStatus> = new Set(['FAILED', 'CAUGHT', 'TIMED_OUT', 'ABORTED']);

/**
 * The ops view of an execution from DescribeExecution and its GetExecutionHistory events (oldest
 * first; none when only the summary is wanted). `now` ends the durations of what still runs.
 */
export function executionView(
  execution: DescribeExecutionCommandOutput,
  events: readonly HistoryEvent[],
  now = Date.now(),
): ExecutionView {
  const { steps } = readHistory(events, now);
  const status = execution.status ?? 'UNKNOWN';
  const last = steps.at(-1);
  return {
    name: execution.name ?? '',
    executionArn: execution.executionArn ?? '',
    stateMachineArn: execution.stateMachineArn,
    status,
    input: execution.input,
    output: execution.output,
    employee: employeeOf(execution.input),
    userName: userNameOf(execution.output) ?? userNameFromHistory(events),
    startDate: execution.startDate,
    stopDate: execution.stopDate,
    durationMs: execution.startDate && (execution.stopDate?.getTime() ?? now) - execution.startDate.getTime(),
    error: execution.error,
    cause: execution.cause,
    readableCause: readableCause(execution.cause),
    redriveCount: execution.redriveCount ?? 0,
    redriveDate: execution.redriveDate,
    redriveStatus: execution.redriveStatus,
    redriveStatusReason: execution.redriveStatusReason,
    steps,
    failedStep: ENDED_BADLY.has(status)
      ? steps.findLast((step) => UNSUCCESSFUL.has(step.status) && step.type !== 'Fail')
      : undefined,
    failedPermanently: status === 'FAILED' && last?.type === 'Fail',
    resumesAt: last?.name,
  };
}

/** The employee an execution's input (the HR event) names; empty fields count as absent. */
export function employeeOf(input: string | undefined): Employee {
  const employee = record(parseJson(input)?.employee) ?? {};
  const name = [text(employee.givenName), text(employee.familyName)].filter(Boolean).join(' ');
  return { id: text(employee.id), name: name || undefined, department: text(employee.department) };
}

/** `$.user.userName` of an execution's or a state's output (CreateUser's ResultPath). */
function userNameOf(output: string | undefined): string | undefined {
  return text(record(parseJson(output)?.user)?.userName);
}

function userNameFromHistory(events: readonly HistoryEvent[]): string | undefined {
  for (const event of events.toReversed()) {
    const userName = userNameOf(event.stateExitedEventDetails?.output);
    if (userName) return userName;
  }
  return undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function parseJson(json: string | undefined): Record<string, unknown> | undefined {
  if (json === undefined) return undefined;
  try {
    return record(JSON.parse(json));
  } catch {
    return undefined;
  }
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}
