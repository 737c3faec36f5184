import type { DescribeExecutionCommandOutput } from '@aws-sdk/client-sfn';
import type { HrEventType } from './hrEvent';

/**
 * What HR is told about an event's execution, a small vocabulary over Step Functions' statuses:
 * `running` (RUNNING, PENDING_REDRIVE), `waiting` (a leaver in its effective-date or retention Wait),
 * `succeeded` (SUCCEEDED), `ignored` (SUCCEEDED as a stale event that changed nothing), `failed`
 * (FAILED, TIMED_OUT) and `stopped` (ABORTED).
 */
export const EVENT_STATUSES = ['running', 'waiting', 'succeeded', 'ignored', 'failed', 'stopped'] as const;
export type EventStatusName = (typeof EVENT_STATUSES)[number];

/** The 200 answer of GET /events/{eventId}: no input, no cause, no personal data. */
export type EventStatus = {
  eventId: string;
  type: HrEventType;
  status: EventStatusName;
  executionArn: string;
  startedAt: string;
  stoppedAt?: string;
  /** failed or stopped: the error's name only (`UserNameConflictError`, `States.Timeout`). */
  error?: string;
  /** succeeded: the IAM user the event created (hired), changed (updated) or deleted (terminated). */
  userName?: string;
  /** succeeded, hired or updated: the account's console sign-in URL, as in the welcome email. */
  signInUrl?: string;
};

/** An error name as Step Functions and this project spell them; anything else is not repeated. */
const ERROR_NAME = /^[A-Za-z][\w.:-]{0,79}$/;
/** The error Step Functions gives an execution that ran past its TimeoutSeconds. */
const EXECUTION_TIMEOUT = 'States.Timeout';

/**
 * Maps a described execution to the status HR sees. `waiting` says whether the execution's latest
 * history event entered a Wait state. The user name comes from the execution's output (`$.user`,
 * CreateUser's or FindUser's result) and only that field of it is read.
 */
export function eventStatus(
  eventId: string,
  type: HrEventType,
  execution: DescribeExecutionCommandOutput,
  waiting: boolean,
): Omit<EventStatus, 'signInUrl'> {
  const base = {
    eventId,
    type,
    executionArn: execution.executionArn ?? '',
    startedAt: (execution.startDate ?? new Date(0)).toISOString(),
    ...(execution.stopDate && { stoppedAt: execution.stopDate.toISOString() }),
  };
  const error =
    execution.error !== undefined && ERROR_NAME.test(execution.error) ? execution.error : undefined;
  switch (execution.status) {
    case 'RUNNING':
    case 'PENDING_REDRIVE':
      return { ...base, status: waiting ? 'waiting' : 'running' };
    case 'SUCCEEDED': {
      const user = outputUser(execution.output);
      if (user.stale) return { ...base, status: 'ignored' };
      return { ...base, status: 'succeeded', ...(user.userName && { userName: user.userName }) };
    }
    case 'FAILED':
      return { ...base, status: 'failed', ...(error && { error }) };
    case 'TIMED_OUT':
      return { ...base, status: 'failed', error: error ?? EXECUTION_TIMEOUT };
    case 'ABORTED':
      return { ...base, status: 'stopped', ...(error && { error }) };
    default:
      throw new Error(`Unknown execution status ${String(execution.status)}`);
  }
}

/** `$.user.userName` and `$.user.stale` of an execution's output, and nothing else of it. */
function outputUser(output: string | undefined): { userName?: string; stale: boolean } {
  let value: unknown;
  try {
    value = JSON.parse(output ?? '');
  } catch {
    return { stale: false };
  }
  const user = typeof value === 'object' && value !== null && 'user' in value ? value.user : undefined;
  if (typeof user !== 'object' || user === null) return { stale: false };
  const userName = 'userName' in user && typeof user.userName === 'string' ? user.userName : undefined;
  return { ...(userName && { userName }), stale: 'stale' in user && user.stale === true };
}
