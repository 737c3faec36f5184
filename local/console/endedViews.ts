import type { ExecutionListItem, SFNClient } from '@aws-sdk/client-sfn';
import { loadExecutionView, unlessSucceeded } from '../../cli/executionView/load';
import type { ExecutionView } from '../../cli/executionView/view';

/** AWS keeps an execution redrivable for 14 days after it stopped; then its redriveStatus changes. */
const REDRIVABLE_MS = 14 * 86_400_000;

/**
 * The ops view of each listed execution, read once while it stays ended with the same status and
 * redrive count, and on the same side of its redrive window (a succeeded one needs no history: its
 * output names the user). One per console, so
 * the executions list, the users pages and the mailbox never read the same execution twice.
 */
export class EndedViews {
  private readonly views = new Map<string, { version: string; view: ExecutionView }>();

  constructor(private readonly sfn: SFNClient) {}

  async of(item: ExecutionListItem): Promise<ExecutionView> {
    const executionArn = String(item.executionArn);
    const windowOpen = !item.stopDate || Date.now() - item.stopDate.getTime() <= REDRIVABLE_MS;
    const version = `${item.status} ${item.redriveCount ?? 0} ${windowOpen}`;
    const cached = this.views.get(executionArn);
    if (cached?.version === version) return cached.view;
    const { view } = await loadExecutionView(this.sfn, executionArn, { withHistory: unlessSucceeded });
    if (view.status !== 'RUNNING') this.views.set(executionArn, { version, view });
    return view;
  }
}
