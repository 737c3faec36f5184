import { setTimeout as sleep } from 'node:timers/promises';
import { ListUserTagsCommand, TagUserCommand } from '@aws-sdk/client-iam';
import middy from '@middy/core';
import { loadConfig } from './shared/config';
import { passwordEmail, welcomeEmail } from './shared/emails';
import { PasswordSecretMissingError, RetryableError } from './shared/errors';
import type { Employee } from './shared/hrEvent';
import { accountSignInUrl } from './shared/iam';
import { iam } from './shared/iamClient';
import { callIam } from './shared/iamErrors';
import { logger } from './shared/logger';
import { sendEmail } from './shared/mail';
import { executionLogging, handlerOptions } from './shared/middleware';
import { passwordRecipient } from './shared/passwordRecipient';
import { redactAddress } from './shared/redact';
import {
  deleteTemporaryPassword,
  discardOnPermanentFailure,
  readTemporaryPassword,
  tagTemporaryPassword,
  temporaryPasswordTags,
} from './shared/secrets';
import { iamTagValue, TAG_KEYS, tagValue } from './shared/tags';

export type NotifyUserInput = {
  userName: string;
  eventId: string;
  employee: Employee;
  secretArn: string;
  executionArn: string;
};
/** Where the emails went, redacted: the execution history is no place for addresses. */
export type NotifyUserOutput = { welcomeSentTo: string; passwordSentTo: string };

/**
 * Emails the sign-in URL and user name to the work address, then the temporary password, separately,
 * to the manager (else the personal address). Each send is recorded as a tag on the password's secret
 * right after it succeeds, and skipped when a rerun finds that tag. Once both are out the user is
 * tagged as notified and the secret deleted; a rerun that finds the secret gone and the user notified
 * for this event has nothing left to do. A permanent failure deletes the secret too: that password
 * will never be sent.
 */
async function core(input: NotifyUserInput): Promise<NotifyUserOutput> {
  return discardOnPermanentFailure(input.secretArn, () => notify(input));
}

async function notify({
  userName,
  eventId,
  employee,
  secretArn,
}: NotifyUserInput): Promise<NotifyUserOutput> {
  const { ACCOUNT_ID, SENDER_EMAIL, PASSWORD_RECIPIENT_DOMAINS } = loadConfig(process.env, [
    'ACCOUNT_ID',
    'SENDER_EMAIL',
    'PASSWORD_RECIPIENT_DOMAINS',
  ]);
  const passwordTo = passwordRecipient(employee, PASSWORD_RECIPIENT_DOMAINS);
  const output = {
    welcomeSentTo: redactAddress(employee.workEmail),
    passwordSentTo: redactAddress(passwordTo),
  };
  const marker = iamTagValue(eventId);
  const sent = await temporaryPasswordTags(secretArn);
  if (sent === undefined) {
    if (await notifiedFor(userName, marker)) return output;
    // Revoked (the sweep, or this run's stop or timeout) or deleted by hand: never email a password
    // that no longer signs in, and never set a new one behind ops' back. A new HR event starts over.
    throw new PasswordSecretMissingError(
      `The temporary password secret ${secretArn} no longer exists, so no password was sent: it was revoked (older than the maximum age, or the run was stopped or timed out) or deleted. Have HR send a new employee.hired event to issue a new password.`,
    );
  }

  if (tagValue(sent, TAG_KEYS.welcomeSent) !== marker) {
    const url = await accountSignInUrl(ACCOUNT_ID);
    const content = welcomeEmail({ givenName: employee.givenName, userName, signInUrl: url });
    await sendEmail({ from: SENDER_EMAIL, to: employee.workEmail, ...content });
    await recordSent(secretArn, TAG_KEYS.welcomeSent, marker);
  }
  if (tagValue(sent, TAG_KEYS.passwordSent) !== marker) {
    const password = await readTemporaryPassword(secretArn);
    const content = passwordEmail({ userName, password });
    await sendEmail({ from: SENDER_EMAIL, to: passwordTo, ...content, secret: password });
    await recordSent(secretArn, TAG_KEYS.passwordSent, marker);
  }
  // Before the delete: once the secret is gone, this tag is what tells a rerun the step completed.
  const notified = new TagUserCommand({
    UserName: userName,
    Tags: [{ Key: TAG_KEYS.notified, Value: marker }],
  });
  await callIam('TagUser', () => iam.send(notified));
  await deleteTemporaryPassword(secretArn);
  return output;
}

/** Whether the user is tagged as notified for this event (one page is enough: at most 50 tags). */
async function notifiedFor(userName: string, marker: string): Promise<boolean> {
  const { Tags } = await callIam('ListUserTags', () =>
    iam.send(new ListUserTagsCommand({ UserName: userName })),
  );
  return tagValue(Tags, TAG_KEYS.notified) === marker;
}

/**
 * In-place retries of a record whose email is already out: full jitter, 100 ms doubling, at most 2 s
 * a wait (at most ~8 s in all, well inside the function's timeout).
 */
const RECORD_RETRIES = 8;
const RECORD_BASE_DELAY_MS = 100;
const RECORD_MAX_DELAY_MS = 2000;

/**
 * Records a sent email on the password's secret. The email cannot be unsent and a rerun of the step
 * would send it again, so a retryable failure (throttling above all) is retried here before it fails
 * the step.
 */
async function recordSent(secretArn: string, key: string, marker: string): Promise<void> {
  for (let retry = 0; ; retry += 1) {
    try {
      await tagTemporaryPassword(secretArn, key, marker);
      return;
    } catch (error) {
      if (!(error instanceof RetryableError) || retry >= RECORD_RETRIES) throw error;
      logger.warn('Recording a sent email failed, retrying', { key, retry, error: error.name });
      await sleep(Math.random() * Math.min(RECORD_MAX_DELAY_MS, RECORD_BASE_DELAY_MS * 2 ** retry));
    }
  }
}

export const handler = middy(core, handlerOptions).use(executionLogging());
