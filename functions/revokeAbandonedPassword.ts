import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import { loadConfig } from './shared/config';
import { passwordRevokedEmail } from './shared/emails';
import type { Employee } from './shared/hrEvent';
import { executionLink } from './shared/links';
import { logger } from './shared/logger';
import { sendEmail } from './shared/mail';
import { executionLogging, handlerOptions } from './shared/middleware';
import { sfn } from './shared/sfnClient';
import { iamTagValue } from './shared/tags';
import {
  listTemporaryPasswords,
  type Revocation,
  revokeTemporaryPassword,
} from './shared/temporaryPasswords';

/** The detail of Step Functions' "Step Functions Execution Status Change" event (DescribeExecution's fields). */
export type ExecutionStatusChange = {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: string;
  /** The execution's input, unless it was too large for the event (`inputDetails.included` false). */
  input?: string | null;
  inputDetails?: { included: boolean } | null;
};
export type RevokeAbandonedPasswordInput = Pick<
  EventBridgeEvent<'Step Functions Execution Status Change', ExecutionStatusChange>,
  'detail'
>;
export type RevokeAbandonedPasswordOutput = {
  status: string;
  revoked: { userName: string; revocation: Revocation }[];
};

const ABANDONED = new Set(['ABORTED', 'TIMED_OUT']);

/**
 * Runs on an onboarding execution's ABORTED or TIMED_OUT (an EventBridge rule, serverless.yml):
 * the run will not deliver its temporary password, so it is revoked now (login profile and secret,
 * as the sweep does) instead of after the maximum age, and ops are told what was done.
 *
 * EventBridge delivers the event asynchronously, so ops may have redriven the execution by then;
 * a redrive owns the password (it reruns GeneratePassword or delivers the stored one), so the
 * execution's status is read first and nothing is revoked unless it is still the abandoned one.
 */
async function core({ detail }: RevokeAbandonedPasswordInput): Promise<RevokeAbandonedPasswordOutput> {
  const config = loadConfig(process.env, [
    'SECRET_PREFIX',
    'SENDER_EMAIL',
    'OPS_EMAIL',
    'AWS_REGION',
    'CONSOLE_URL',
  ]);
  logger.appendKeys({ executionArn: detail.executionArn });
  if (!ABANDONED.has(detail.status)) return { status: detail.status, revoked: [] };
  const { status, redriveCount } = await sfn.send(
    new DescribeExecutionCommand({ executionArn: detail.executionArn }),
  );
  if (status === undefined || !ABANDONED.has(status)) {
    logger.info('Execution redriven since it ended: its run keeps the password', { status, redriveCount });
    return { status: status ?? detail.status, revoked: [] };
  }
  const hire = hireOf(detail);
  const marker = iamTagValue(hire.eventId);
  const secrets = (await listTemporaryPasswords(config.SECRET_PREFIX)).filter(
    (secret) => hire.eventId !== '' && secret.eventId === marker,
  );
  const revoked: RevokeAbandonedPasswordOutput['revoked'] = [];
  for (const secret of secrets) {
    revoked.push({ userName: secret.userName, revocation: await revokeTemporaryPassword(secret) });
  }
  logger.warn('Onboarding ended without delivering its password', { status: detail.status, revoked });

  const link = executionLink(detail.executionArn, config.AWS_REGION, config.CONSOLE_URL);
  const content = passwordRevokedEmail({ ...hire, status: detail.status, revoked, link });
  await sendEmail({ from: config.SENDER_EMAIL, to: config.OPS_EMAIL, ...content });
  return { status: detail.status, revoked };
}

/**
 * The HR event the execution ran for, from the event's copy of its input. Step Functions leaves the
 * input out only past EventBridge's 248 KB; the webhook admits 64 KiB, so that never happens here,
 * and if it did, ops are told that the secrets could not be matched (the sweep revokes them later).
 */
function hireOf(detail: ExecutionStatusChange): { eventId: string; employee: Employee | undefined } {
  try {
    const input: unknown = JSON.parse(detail.input ?? 'null');
    if (
      typeof input === 'object' &&
      input !== null &&
      'eventId' in input &&
      typeof input.eventId === 'string'
    ) {
      const employee = 'employee' in input ? (input.employee as Employee) : undefined;
      return { eventId: input.eventId, employee };
    }
  } catch {
    // Not JSON: handled as no input.
  }
  logger.error('Execution input not in the event: temporary passwords left to the sweep', {
    inputDetails: detail.inputDetails,
  });
  return { eventId: '', employee: undefined };
}

export const handler = middy(core, handlerOptions).use(executionLogging());
