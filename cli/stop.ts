import { DescribeExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { Clients } from './awsClients';
import { formatDate, paintStatus } from './format';
import { type Output, printJson } from './output';
import { resolveExecutionArn } from './target';

export type StopOptions = { execution: string; cause?: string; stateMachine?: string };

/**
 * `stop`: aborts a RUNNING execution (it stays redrivable). An execution that already ended is left
 * as it is and the exit code is 1: nothing was stopped.
 */
export async function stopExecution(
  clients: Pick<Clients, 'sfn'>,
  options: StopOptions,
  out: Output,
): Promise<number> {
  const executionArn = await resolveExecutionArn(clients.sfn, options.execution, options.stateMachine);
  const before = await clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
  if (before.status !== 'RUNNING') {
    if (out.json) printJson(out, { executionArn, stopped: false, status: before.status });
    else out.warn(`${before.name} is already ${before.status}: nothing to stop.`);
    return 1;
  }
  const { stopDate } = await clients.sfn.send(
    new StopExecutionCommand({ executionArn, cause: options.cause }),
  );
  const after = await clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
  if (out.json) {
    printJson(out, { executionArn, stopped: true, status: after.status, stopDate, cause: options.cause });
  } else {
    out.print(
      `${after.name} ${paintStatus(after.status ?? 'ABORTED', out.color)} at ${formatDate(stopDate)}`,
    );
  }
  return 0;
}
