import { type ExecutionListItem, paginateListExecutions, type SFNClient } from '@aws-sdk/client-sfn';
import { loadExecutionView, unlessSucceeded } from '../../cli/executionView/load';
import type { ExecutionRef } from './userLifecycle';

/**
 * Every execution of the state machine as the users pages and the mailbox need it (who it onboards,
 * which user it made, where it failed), from the CLI's execution view. An ended execution is read
 * once per status and redrive; a succeeded one needs no history (its output names the user).
 */
export class ExecutionIndex {
  private readonly ended = new Map<string, { version: string; ref: ExecutionRef }>();

  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async all(): Promise<ExecutionRef[]> {
    const items: ExecutionListItem[] = [];
    const pages = paginateListExecutions(
      { client: this.sfn, pageSize: 1000 },
      { stateMachineArn: this.stateMachineArn },
    );
    for await (const page of pages) items.push(...(page.executions ?? []));
    return Promise.all(items.map((item) => this.ref(item)));
  }

  private async ref(item: ExecutionListItem): Promise<ExecutionRef> {
    const executionArn = String(item.executionArn);
    const version = `${item.status} ${item.redriveCount ?? 0}`;
    const cached = this.ended.get(executionArn);
    if (cached?.version === version) return cached.ref;
    const { view } = await loadExecutionView(this.sfn, executionArn, { withHistory: unlessSucceeded });
    const ref: ExecutionRef = {
      executionArn,
      name: view.name,
      status: view.status,
      startDate: view.startDate?.toISOString(),
      stopDate: view.stopDate?.toISOString(),
      employee: view.employee,
      userName: view.userName,
      failedStep: view.failedStep?.name,
    };
    if (view.status !== 'RUNNING') this.ended.set(executionArn, { version, ref });
    return ref;
  }
}
