import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  DescribeStateMachineCommand,
  type ExecutionListItem,
  type ExecutionStatus,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  type SFNClient,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import {
  failedStep,
  prettyJson,
  readableCause,
  type StateRun,
  stateRuns,
  type TimelineEvent,
  timeline,
} from './executionHistory';
import { type AslDefinition, layoutStateGraph, type StateGraph } from './stateGraph';

export type Employee = { id?: string; name?: string; department?: string };

/** A row of the executions list. */
export type ExecutionSummary = {
  executionArn: string;
  name: string;
  status: string;
  startDate: string;
  stopDate?: string;
  durationMs: number;
  redriveCount: number;
  employee: Employee;
  userName?: string;
  failedStep?: string;
};

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
  graph: StateGraph;
  states: StateRun[];
  events: TimelineEvent[];
};

/**
 * Reads and acts on executions of one state machine through the Step Functions API, so it works
 * the same against AWS and the local stack. Ended executions are summarised once (per redrive).
 */
export class Executions {
  /** Per execution ARN: the summary of an ended execution, valid while its status and redrive count hold. */
  private readonly summaries = new Map<string, { version: string; summary: ExecutionSummary }>();
  private readonly definitions = new Map<string, AslDefinition>();

  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async list(status: ExecutionStatus | undefined, limit: number): Promise<ExecutionSummary[]> {
    const { executions = [] } = await this.sfn.send(
      new ListExecutionsCommand({
        stateMachineArn: this.stateMachineArn,
        statusFilter: status,
        maxResults: limit,
      }),
    );
    return Promise.all(executions.map((item) => this.summary(item)));
  }

  async details(executionArn: string): Promise<ExecutionDetails> {
    const execution = await this.sfn.send(new DescribeExecutionCommand({ executionArn }));
    const definition = await this.definition(String(execution.stateMachineArn));
    const events = await this.history(executionArn);
    const states = stateRuns(Object.keys(definition.States), events);
    const summary = summarise(execution, definition, events, states);
    const failedStep = states.find((run) => run.name === summary.failedStep);
    return {
      ...summary,
      stateMachineArn: String(execution.stateMachineArn),
      input: prettyJson(execution.input ?? '{}'),
      output: execution.output === undefined ? undefined : prettyJson(execution.output),
      error: execution.error,
      cause: execution.cause,
      readableCause: readableCause(execution.cause),
      redriveStatus: execution.redriveStatus,
      redriveStatusReason: execution.redriveStatusReason,
      failedPermanently: execution.status === 'FAILED' && failedStep?.status === 'caught',
      graph: layoutStateGraph(definition),
      states,
      events: timeline(events),
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

  private async summary(item: ExecutionListItem): Promise<ExecutionSummary> {
    const executionArn = String(item.executionArn);
    const version = `${item.status} ${item.redriveCount ?? 0}`;
    const cached = this.summaries.get(executionArn);
    if (cached?.version === version) return cached.summary;
    const execution = await this.sfn.send(new DescribeExecutionCommand({ executionArn }));
    const definition = await this.definition(String(execution.stateMachineArn));
    const events = execution.status === 'SUCCEEDED' ? [] : await this.history(executionArn);
    const summary = summarise(
      execution,
      definition,
      events,
      stateRuns(Object.keys(definition.States), events),
    );
    if (execution.status !== 'RUNNING') this.summaries.set(executionArn, { version, summary });
    return summary;
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

  private async history(executionArn: string): Promise<HistoryEvent[]> {
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.sfn.send(
        new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken }),
      );
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return events;
  }
}

function summarise(
  execution: DescribeExecutionCommandOutput,
  definition: AslDefinition,
  events: readonly HistoryEvent[],
  states: readonly StateRun[],
): ExecutionSummary {
  const start = execution.startDate?.getTime() ?? Date.now();
  const taskNames = new Set(
    Object.entries(definition.States).flatMap(([name, state]) => (state.Type === 'Task' ? [name] : [])),
  );
  return {
    executionArn: String(execution.executionArn),
    name: String(execution.name),
    status: String(execution.status),
    startDate: new Date(start).toISOString(),
    stopDate: execution.stopDate?.toISOString(),
    durationMs: (execution.stopDate?.getTime() ?? Date.now()) - start,
    redriveCount: execution.redriveCount ?? 0,
    employee: employeeOf(execution.input),
    userName: userNameOf(execution.output) ?? userNameFromHistory(events),
    failedStep: failedStep(states, taskNames),
  };
}

const asRecord = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};

const asText = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function parse(text: string | undefined): Record<string, unknown> {
  try {
    return asRecord(JSON.parse(text ?? ''));
  } catch {
    return {};
  }
}

function employeeOf(input: string | undefined): Employee {
  const employee = asRecord(parse(input).employee);
  const name = [asText(employee.givenName), asText(employee.familyName)].filter(Boolean).join(' ');
  return { id: asText(employee.id), name: name || undefined, department: asText(employee.department) };
}

/** `$.user.userName` of a state's output (CreateUser's ResultPath). */
function userNameOf(output: string | undefined): string | undefined {
  return asText(asRecord(parse(output).user).userName);
}

function userNameFromHistory(events: readonly HistoryEvent[]): string | undefined {
  for (const event of [...events].reverse()) {
    const userName = userNameOf(event.stateExitedEventDetails?.output);
    if (userName) return userName;
  }
  return undefined;
}
