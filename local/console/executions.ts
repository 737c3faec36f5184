import {
  DescribeStateMachineCommand,
  type ExecutionStatus,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  type SFNClient,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { loadExecutionView } from '../../cli/executionView/load';
import { type StateSummary, stateSummaries } from '../../cli/executionView/steps';
import { type TimelineEvent, timeline } from '../../cli/executionView/timeline';
import type { Employee, ExecutionView } from '../../cli/executionView/view';
import type { EndedViews } from './endedViews';
import { type AslDefinition, layoutStateGraph, type StateGraph } from './stateGraph';

/** A row of the executions list. */
export type ExecutionSummary = {
  executionArn: string;
  name: string;
  status: string;
  startDate?: string;
  stopDate?: string;
  durationMs?: number;
  redriveCount: number;
  employee: Employee;
  userName?: string;
  failedStep?: string;
};

/** A state of the definition as the page shows it: the status in words ('not run', 'timed out'...). */
export type StateRun = Omit<StateSummary, 'status' | 'enteredAt'> & { status: string; enteredAt?: string };

/** A history event as the page shows it: JSON texts pretty-printed, nothing dropped. */
export type TimelineEntry = Omit<TimelineEvent, 'timestamp'> & { timestamp: string };

/** Everything the execution page shows. */
export type ExecutionDetails = ExecutionSummary & {
  stateMachineArn: string;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  readableCause?: string;
  redriveStatus?: string;
  redriveStatusReason?: string;
  /** Ended in a Fail state after a Catch: a redrive would only run that Fail state again. */
  failedPermanently: boolean;
  /** The state a redrive would resume at. */
  resumesAt?: string;
  graph: StateGraph;
  states: StateRun[];
  events: TimelineEntry[];
};

/**
 * Reads and acts on executions of one state machine through the Step Functions API, so it works
 * the same against AWS and the local stack; what an execution means comes from the CLI's
 * execution view, each ended execution read once (EndedViews).
 */
export class Executions {
  private readonly definitions = new Map<string, AslDefinition>();

  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
    private readonly views: EndedViews,
  ) {}

  async list(status: ExecutionStatus | undefined, limit: number): Promise<ExecutionSummary[]> {
    const { executions = [] } = await this.sfn.send(
      new ListExecutionsCommand({
        stateMachineArn: this.stateMachineArn,
        statusFilter: status,
        maxResults: limit,
      }),
    );
    return Promise.all(executions.map(async (item) => summaryOf(await this.views.of(item))));
  }

  async details(executionArn: string): Promise<ExecutionDetails> {
    const { view, events } = await loadExecutionView(this.sfn, executionArn);
    const definition = await this.definition(String(view.stateMachineArn));
    return {
      ...summaryOf(view),
      stateMachineArn: String(view.stateMachineArn),
      input: prettyJson(view.input ?? '{}'),
      output: view.output === undefined ? undefined : prettyJson(view.output),
      error: view.error,
      cause: view.cause,
      readableCause: view.readableCause,
      redriveStatus: view.redriveStatus,
      redriveStatusReason: view.redriveStatusReason,
      failedPermanently: view.failedPermanently,
      resumesAt: view.resumesAt,
      graph: layoutStateGraph(definition),
      states: stateSummaries(Object.keys(definition.States), view.steps).map((state) => ({
        ...state,
        status: statusWords(state.status),
        enteredAt: state.enteredAt?.toISOString(),
      })),
      events: timeline(events).map((event) => ({
        ...event,
        timestamp: event.timestamp.toISOString(),
        input: event.input === undefined ? undefined : prettyJson(event.input),
        output: event.output === undefined ? undefined : prettyJson(event.output),
      })),
    };
  }

  async redrive(executionArn: string): Promise<{ redriveDate?: string }> {
    const { redriveDate } = await this.sfn.send(new RedriveExecutionCommand({ executionArn }));
    return { redriveDate: redriveDate?.toISOString() };
  }

  async stop(executionArn: string): Promise<{ stopDate?: string }> {
    const { stopDate } = await this.sfn.send(
      new StopExecutionCommand({ executionArn, cause: 'Stopped from the ops console' }),
    );
    return { stopDate: stopDate?.toISOString() };
  }

  private async definition(stateMachineArn: string): Promise<AslDefinition> {
    let definition = this.definitions.get(stateMachineArn);
    if (!definition) {
      const described = await this.sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
      definition = JSON.parse(String(described.definition)) as AslDefinition;
      this.definitions.set(stateMachineArn, definition);
    }
    return definition;
  }
}

function summaryOf(view: ExecutionView): ExecutionSummary {
  return {
    executionArn: view.executionArn,
    name: view.name,
    status: view.status,
    startDate: view.startDate?.toISOString(),
    stopDate: view.stopDate?.toISOString(),
    durationMs: view.durationMs,
    redriveCount: view.redriveCount,
    employee: view.employee,
    userName: view.userName,
    failedStep: view.failedStep?.name,
  };
}

/** `NOT_RUN` -> `not run`, `TIMED_OUT` -> `timed out`: the page's words (and its CSS classes). */
function statusWords(status: StateSummary['status']): string {
  return status.toLowerCase().replace(/_/g, ' ');
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
