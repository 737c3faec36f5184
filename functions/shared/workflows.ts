import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  ExecutionDoesNotExist,
} from '@aws-sdk/client-sfn';
import type { HrEventType } from './hrEvent';
import { sfn } from './sfnClient';

/** The workflow each HR event type runs: the variable holding its state machine's ARN. */
export const WORKFLOWS = {
  'employee.hired': 'STATE_MACHINE_ARN',
  'employee.updated': 'MOVER_STATE_MACHINE_ARN',
  'employee.terminated': 'LEAVER_STATE_MACHINE_ARN',
} as const satisfies Record<HrEventType, string>;

/** The three state machines' variables. */
export const WORKFLOW_MACHINES = Object.values(WORKFLOWS);

/** DescribeExecution, or undefined when the execution does not exist. */
export async function describeIfExists(arn: string): Promise<DescribeExecutionCommandOutput | undefined> {
  try {
    return await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
  } catch (error) {
    if (error instanceof ExecutionDoesNotExist) return undefined;
    throw error;
  }
}
