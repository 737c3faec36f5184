import { type ExecutionListItem, paginateListExecutions, type SFNClient } from '@aws-sdk/client-sfn';
import type { EndedViews } from './endedViews';
import type { ExecutionRef } from './userLifecycle';

/**
 * Every execution of the state machine as the users pages and the mailbox need it (who it onboards,
 * which user it made, where it failed), from the CLI's execution view (read once per ended run).
 */
export class ExecutionIndex {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
    private readonly views: EndedViews,
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
    const view = await this.views.of(item);
    return {
      executionArn: view.executionArn,
      name: view.name,
      status: view.status,
      startDate: view.startDate?.toISOString(),
      stopDate: view.stopDate?.toISOString(),
      employee: view.employee,
      userName: view.userName,
      failedStep: view.failedStep?.name,
    };
  }
}
