import {
  CreateLoginProfileCommand,
  GetAccountPasswordPolicyCommand,
  UpdateLoginProfileCommand,
} from '@aws-sdk/client-iam';
import middy from '@middy/core';
import { loadConfig } from './shared/config';
import type { Employee } from './shared/hrEvent';
import { iam } from './shared/iamClient';
import { iamError, iamErrorCode } from './shared/iamErrors';
import { logger } from './shared/logger';
import { executionLogging, handlerOptions } from './shared/middleware';
import { DEFAULT_MINIMUM_PASSWORD_LENGTH, generatePassword } from './shared/password';
import { discardOnPermanentFailure, storeTemporaryPassword, withoutSecret } from './shared/secrets';
import { iamTagValue } from './shared/tags';

export type GeneratePasswordInput = {
  userName: string;
  eventId: string;
  employee: Employee;
  executionArn: string;
};
/** Only where the password is: the password itself never enters the workflow's data. */
export type GeneratePasswordOutput = { secretArn: string };

/**
 * Generates a console password that meets the account's password policy, stores it in Secrets
 * Manager and only then sets it on the user (reset required at first sign-in), so a crash in between
 * never leaves the user with a password nobody knows. A rerun replaces both with a new password.
 */
async function core({ userName, eventId, employee }: GeneratePasswordInput): Promise<GeneratePasswordOutput> {
  const { SECRET_PREFIX } = loadConfig(process.env, ['SECRET_PREFIX']);
  const password = generatePassword(await minimumPasswordLength());
  const secretArn = await storeTemporaryPassword({
    name: `${SECRET_PREFIX}${userName}`,
    password,
    // Secrets Manager accepts the same tag characters as IAM.
    tags: {
      employeeId: iamTagValue(employee.id),
      eventId: iamTagValue(eventId),
      purpose: 'temporary-password',
    },
  });
  await discardOnPermanentFailure(secretArn, () => setLoginProfile(userName, password));
  logger.info('Temporary password stored and set', { userName, secretArn });
  return { secretArn };
}

async function minimumPasswordLength(): Promise<number> {
  try {
    const { PasswordPolicy } = await iam.send(new GetAccountPasswordPolicyCommand({}));
    return PasswordPolicy?.MinimumPasswordLength ?? DEFAULT_MINIMUM_PASSWORD_LENGTH;
  } catch (error) {
    // NoSuchEntity: the account has no password policy, so AWS's default rules apply.
    if (iamErrorCode(error) === 'NoSuchEntity') return DEFAULT_MINIMUM_PASSWORD_LENGTH;
    throw iamError('GetAccountPasswordPolicy', error);
  }
}

/** Sets the console password; a login profile left by an earlier attempt gets the new one. */
async function setLoginProfile(userName: string, password: string): Promise<void> {
  const profile = { UserName: userName, Password: password, PasswordResetRequired: true };
  try {
    await iam.send(new CreateLoginProfileCommand(profile));
    return;
  } catch (error) {
    if (iamErrorCode(error) !== 'EntityAlreadyExists') {
      throw iamError('CreateLoginProfile', withoutSecret(error, password));
    }
  }
  try {
    await iam.send(new UpdateLoginProfileCommand(profile));
  } catch (error) {
    throw iamError('UpdateLoginProfile', withoutSecret(error, password));
  }
}

export const handler = middy(core, handlerOptions).use(executionLogging());
