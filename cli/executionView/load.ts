import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  type HistoryEvent,
  paginateGetExecutionHistory,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { type ExecutionView, executionView } from './view';

/** Every event of an execution, oldest first, with state inputs and outputs. */
export async function loadHistory(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  const pages = paginateGetExecutionHistory({ client: sfn, pageSize: 1000 }, { executionArn });
  for await (const page of pages) events.push(...(page.events ?? []));
  return events;
}

export type LoadOptions = {
  /** Whether the view needs the history (steps, failed step); by default it always does. */
  withHistory?: (execution: DescribeExecutionCommandOutput) => boolean;
};

/** DescribeExecution, GetExecutionHistory (unless `withHistory` says no) and the view of both. */
export async function loadExecutionView(
  sfn: SFNClient,
  executionArn: string,
  { withHistory = () => true }: LoadOptions = {},
): Promise<{ view: ExecutionView; events: HistoryEvent[] }> {
  const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  const events = withHistory(execution) ? await loadHistory(sfn, executionArn) : [];
  return { view: executionView(execution, events), events };
}

/** A succeeded execution's output names its user and nothing failed: the list needs no history. */
export const unlessSucceeded = (execution: DescribeExecutionCommandOutput) =>
  execution.status !== 'SUCCEEDED';
