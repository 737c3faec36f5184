import {
  DescribeStateMachineCommand,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  type SFNClient,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { loadExecutionView } from '../../cli/executionView/load';
import { type Recovery, recoveryOf } from '../../cli/executionView/recovery';
import { type StateSummary, stateSummaries } from '../../cli/executionView/steps';
import { type TimelineEvent, timeline } from '../../cli/executionView/timeline';
import type { Employee, ExecutionView } from '../../cli/executionView/view';
import type { EndedViews } from './endedViews';
import { type ExecutionQuery, eventIdOf, matchesSearch, startedWithin } from './executionQuery';
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
  /** The HR event's id (the execution's name is derived from it). */
  eventId?: string;
  userName?: string;
  failedStep?: string;
  /** For a FAILED, TIMED_OUT or ABORTED execution: what a redrive would do (see recoveryOf). */
  recovery?: Recovery;
};

/** A page of the executions list, newest first. */
export type ExecutionPage = {
  executions: ExecutionSummary[];
  /** ListExecutions' token for the next (older) page; null after the last one. */
  nextToken: string | null;
  /** How many executions this page looked at to find its rows. */
  scanned: number;
};

/** A search reads at most this many executions, in at most MAX_CALLS ListExecutions calls, per page. */
const MAX_SCAN = 1000;
const MAX_CALLS = 20;

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

  /**
   * The executions `query` asks for, newest first, from ListExecutions page after page until `limit`
   * rows: each page asks for the rows still missing, so the last token it returns is exactly where
   * the next page starts. A search looks at most MAX_SCAN executions per page (`nextToken` goes on).
   */
  async list(query: ExecutionQuery): Promise<ExecutionPage> {
    const executions: ExecutionSummary[] = [];
    let { nextToken } = query;
    let scanned = 0;
    for (let calls = 0; calls < MAX_CALLS; calls += 1) {
      const page = await this.sfn.send(
        new ListExecutionsCommand({
          stateMachineArn: this.stateMachineArn,
          statusFilter: query.status,
          maxResults: query.limit - executions.length,
          nextToken,
        }),
      );
      const items = page.executions ?? [];
      nextToken = page.nextToken;
      scanned += items.length;
      const inRange = items.filter((item) => startedWithin(item.startDate, query));
      const views = await Promise.all(inRange.map((item) => this.views.of(item)));
      const { q } = query;
      executions.push(...views.filter((view) => !q || matchesSearch(view, q)).map(summaryOf));
      // Newest first: once one started before `since`, so did every one after it (older).
      const since = query.since;
      if (since && items.some((item) => item.startDate && item.startDate < since)) nextToken = undefined;
      if (!nextToken || executions.length >= query.limit || scanned >= MAX_SCAN) break;
    }
    return { executions, nextToken: nextToken ?? null, scanned };
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
    eventId: eventIdOf(view),
    userName: view.userName,
    failedStep: view.failedStep?.name,
    recovery: recoveryOf(view),
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
