import type { ExecutionListItem, SFNClient } from '@aws-sdk/client-sfn';
import { loadExecutionView, unlessSucceeded } from '../../cli/executionView/load';
import type { ExecutionView } from '../../cli/executionView/view';

/**
 * The ops view of each listed execution, read once while it stays ended with the same status and
 * redrive count (a succeeded one needs no history: its output names the user). One per console, so
 * the executions list, the users pages and the mailbox never read the same execution twice.
 */
export class EndedViews {
  private readonly views = new Map<string, { version: string; view: ExecutionView }>();

  constructor(private readonly sfn: SFNClient) {}

  async of(item: ExecutionListItem): Promise<ExecutionView> {
    const executionArn = String(item.executionArn);
    const version = `${item.status} ${item.redriveCount ?? 0}`;
    const cached = this.views.get(executionArn);
    if (cached?.version === version) return cached.view;
    const { view } = await loadExecutionView(this.sfn, executionArn, { withHistory: unlessSucceeded });
    if (view.status !== 'RUNNING') this.views.set(executionArn, { version, view });
    return view;
  }
}
