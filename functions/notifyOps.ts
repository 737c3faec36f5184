import middy from '@middy/core';
import { loadConfig } from './shared/config';
import { opsAlertEmail } from './shared/emails';
import { readableCause } from './shared/errorCause';
import type { Employee, HrEventType } from './shared/hrEvent';
import { executionLink } from './shared/links';
import { logger } from './shared/logger';
import { sendEmail } from './shared/mail';
import { executionLogging, handlerOptions } from './shared/middleware';
import { redactAddresses } from './shared/redact';

/** What a Catch puts at its ResultPath: the error name and cause, keyed by the failed state's name. */
export type StateFailure = { Error: string; Cause: string };
export type NotifyOpsInput = {
  eventId: string;
  /** Which workflow failed: the type of the HR event it runs for. */
  type: HrEventType;
  /** A termination carries only the employee's id. */
  employee: Employee | { id: string };
  failure: Record<string, StateFailure>;
  executionArn: string;
};
/** Feeds the Fail state's ErrorPath and CausePath, so `cause` is a short human sentence. */
export type NotifyOpsOutput = { step: string; error: string; cause: string; link: string };

const MAX_CAUSE_LENGTH = 500;

/** Emails ops what failed, where and why, with a link to the execution. */
async function core({
  eventId,
  type,
  employee,
  failure,
  executionArn,
}: NotifyOpsInput): Promise<NotifyOpsOutput> {
  const config = loadConfig(process.env, ['OPS_EMAIL', 'SENDER_EMAIL', 'AWS_REGION', 'CONSOLE_URL']);
  const [step, failed] = Object.entries(failure)[0] ?? ['unknown step', { Error: 'Unknown', Cause: '' }];
  const error = failed.Error;
  const cause = shortCause(failed.Cause) || error;
  const link = executionLink(executionArn, config.AWS_REGION, config.CONSOLE_URL);
  logger.error('Workflow failed', { type, step, error, cause, eventId, employeeId: employee.id });
  const content = opsAlertEmail({ eventId, type, employee, step, error, cause, link });
  await sendEmail({ from: config.SENDER_EMAIL, to: config.OPS_EMAIL, ...content });
  return { step, error, cause, link };
}

/**
 * The cause's sentence (a Lambda error's message) on one line, at most MAX_CAUSE_LENGTH characters,
 * with any email address redacted: it goes into the alert, the log and the Fail state.
 */
function shortCause(cause: string): string {
  const oneLine = redactAddresses(readableCause(cause).replace(/\s+/g, ' ').trim());
  return oneLine.length > MAX_CAUSE_LENGTH ? `${oneLine.slice(0, MAX_CAUSE_LENGTH - 1)}…` : oneLine;
}

export const handler = middy(core, handlerOptions).use(executionLogging());
