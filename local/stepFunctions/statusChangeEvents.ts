import { randomUUID } from 'node:crypto';
import type { ExecutionRecord } from './model';
import { redriveStatus } from './redrive';

/** An event as EventBridge delivers it to a target. */
export type EventBridgeEvent = {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  /** ISO 8601, to the second. */
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
};

/** EventBridge's limit on the escaped input and output together, past which Step Functions leaves them out. */
const MAX_PAYLOAD_BYTES = 248 * 1024;

/**
 * The "Step Functions Execution Status Change" event Step Functions sends to the account's default
 * bus when a Standard execution's status changes (Step Functions Developer Guide, "EventBridge for
 * Step Functions execution status changes"): source `aws.states`, the execution as the only resource,
 * and DescribeExecution's fields as the detail, dates in epoch milliseconds. The input is left out
 * (`inputDetails.included` false) when the escaped input and output exceed 248 KB together, the
 * output when it alone does.
 */
export function executionStatusChangeEvent(
  record: ExecutionRecord,
  where: { accountId: string; region: string },
  now = Date.now(),
): EventBridgeEvent {
  const escaped = (text: string | undefined) =>
    text === undefined ? 0 : Buffer.byteLength(JSON.stringify(text));
  const outputIncluded = escaped(record.output) <= MAX_PAYLOAD_BYTES;
  const inputIncluded =
    escaped(record.input) + (outputIncluded ? escaped(record.output) : 0) <= MAX_PAYLOAD_BYTES;
  const redrive = redriveStatus(record, now);
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: where.accountId,
    time: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: where.region,
    resources: [record.executionArn],
    detail: {
      executionArn: record.executionArn,
      stateMachineArn: record.stateMachineArn,
      name: record.name,
      status: record.status,
      startDate: record.startDate,
      stopDate: record.stopDate ?? null,
      input: inputIncluded ? record.input : null,
      inputDetails: { included: inputIncluded },
      output: outputIncluded ? (record.output ?? null) : null,
      outputDetails: record.output === undefined ? null : { included: outputIncluded },
      error: record.error ?? null,
      cause: record.cause ?? null,
      redriveCount: record.redriveCount,
      redriveDate: record.redriveDate ?? null,
      redriveStatus: redrive.redriveStatus,
      redriveStatusReason: 'redriveStatusReason' in redrive ? redrive.redriveStatusReason : null,
    },
  };
}
