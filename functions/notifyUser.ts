import { ListAccountAliasesCommand, ListUserTagsCommand, TagUserCommand } from '@aws-sdk/client-iam';
import middy from '@middy/core';
import { iam } from './shared/clients';
import { loadConfig } from './shared/config';
import { PasswordRecipientMissingError } from './shared/errors';
import type { Employee } from './shared/hrEvent';
import { callIam, iamTagValue, TAG_KEYS, tagValue } from './shared/iam';
import { signInUrl } from './shared/links';
import { passwordEmail, sendEmail, welcomeEmail } from './shared/mail';
import { executionLogging } from './shared/middleware';
import { deleteTemporaryPassword, readTemporaryPassword } from './shared/secrets';

export type NotifyUserInput = {
  userName: string;
  eventId: string;
  employee: Employee;
  secretArn: string;
  executionArn: string;
};
export type NotifyUserOutput = { welcomeSentTo: string; passwordSentTo: string };

/**
 * Emails the sign-in URL and user name to the work address, then the temporary password, separately,
 * to the manager (else the personal address), then deletes the password's secret. Each send is
 * recorded as a tag on the user right after it succeeds, and skipped when a rerun finds that tag.
 */
async function core({ userName, eventId, employee, secretArn }: NotifyUserInput): Promise<NotifyUserOutput> {
  const { ACCOUNT_ID, SENDER_EMAIL } = loadConfig(process.env, ['ACCOUNT_ID', 'SENDER_EMAIL']);
  const passwordTo = employee.managerEmail ?? employee.personalEmail;
  if (!passwordTo) {
    throw new PasswordRecipientMissingError(`Employee ${employee.id} has no managerEmail or personalEmail`);
  }
  const marker = iamTagValue(eventId);
  // One page is enough: a user has at most 50 tags and a page holds 100.
  const { Tags } = await callIam('ListUserTags', () =>
    iam.send(new ListUserTagsCommand({ UserName: userName })),
  );

  if (tagValue(Tags, TAG_KEYS.welcomeSent) !== marker) {
    const { AccountAliases } = await callIam('ListAccountAliases', () =>
      iam.send(new ListAccountAliasesCommand({})),
    );
    const url = signInUrl(AccountAliases?.[0] ?? ACCOUNT_ID);
    const content = welcomeEmail({ givenName: employee.givenName, userName, signInUrl: url });
    await sendEmail({ from: SENDER_EMAIL, to: employee.workEmail, ...content });
    await recordSent(userName, TAG_KEYS.welcomeSent, marker);
  }
  if (tagValue(Tags, TAG_KEYS.passwordSent) !== marker) {
    const password = await readTemporaryPassword(secretArn);
    await sendEmail({ from: SENDER_EMAIL, to: passwordTo, ...passwordEmail({ userName, password }) });
    await recordSent(userName, TAG_KEYS.passwordSent, marker);
  }
  await deleteTemporaryPassword(secretArn);
  return { welcomeSentTo: employee.workEmail, passwordSentTo: passwordTo };
}

async function recordSent(userName: string, key: string, marker: string): Promise<void> {
  const command = new TagUserCommand({ UserName: userName, Tags: [{ Key: key, Value: marker }] });
  await callIam('TagUser', () => iam.send(command));
}

export const handler = middy(core).use(executionLogging());
