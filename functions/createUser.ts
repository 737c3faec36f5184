import { CreateUserCommand, GetUserCommand, type User } from '@aws-sdk/client-iam';
import middy from '@middy/core';
import { loadAccessProfiles, profileFor } from './shared/accessProfiles';
import { loadConfig } from './shared/config';
import {
  IamNotYetConsistentError,
  IamServiceError,
  UserAdoptionRefusedError,
  UserNameConflictError,
} from './shared/errors';
import type { Employee } from './shared/hrEvent';
import { ONBOARDED_PATH } from './shared/iam';
import { iam } from './shared/iamClient';
import { iamError, iamErrorCode } from './shared/iamErrors';
import { logger } from './shared/logger';
import { executionLogging, handlerOptions } from './shared/middleware';
import { passwordRecipient } from './shared/passwordRecipient';
import { iamTagValue, MANAGED_BY, TAG_KEYS, tagValue } from './shared/tags';
import { userNameCandidates } from './shared/userName';

export type CreateUserInput = { eventId: string; employee: Employee; executionArn: string };
export type CreateUserOutput = { userName: string; userArn: string; adopted: boolean };

/**
 * Creates the employee's IAM user under /onboarded/ with the profile's permissions boundary, trying
 * each derived name in turn. A name taken by another employee's user moves on to the next name. A
 * user of this employee is adopted only while its onboarding is unfinished (see {@link adoptable});
 * any other is refused, changing nothing: a second hire must never reset a live user's password.
 * Checks first that the password has somewhere to go, so a hire that cannot finish creates nothing.
 */
async function core({ eventId, employee }: CreateUserInput): Promise<CreateUserOutput> {
  const { ACCOUNT_ID, PASSWORD_RECIPIENT_DOMAINS } = loadConfig(process.env, [
    'ACCOUNT_ID',
    'PASSWORD_RECIPIENT_DOMAINS',
  ]);
  passwordRecipient(employee, PASSWORD_RECIPIENT_DOMAINS);
  const profile = profileFor(loadAccessProfiles(ACCOUNT_ID), employee);
  const candidates = userNameCandidates(employee);
  for (const userName of candidates) {
    try {
      const { User } = await iam.send(
        new CreateUserCommand({
          UserName: userName,
          Path: ONBOARDED_PATH,
          PermissionsBoundary: profile.permissionsBoundary,
          Tags: [
            { Key: TAG_KEYS.employeeId, Value: iamTagValue(employee.id) },
            { Key: TAG_KEYS.eventId, Value: iamTagValue(eventId) },
            { Key: 'department', Value: iamTagValue(employee.department) },
            { Key: MANAGED_BY.key, Value: MANAGED_BY.value },
          ],
        }),
      );
      logger.info('User created', { userName });
      return created(User, userName, false);
    } catch (error) {
      if (iamErrorCode(error) !== 'EntityAlreadyExists')
        throw iamError('CreateUser', error, profile.permissionsBoundary);
    }
    const existing = await existingUser(userName);
    if (tagValue(existing?.Tags, TAG_KEYS.employeeId) === iamTagValue(employee.id)) {
      const refusal = adoptable(existing, eventId);
      if (refusal) {
        throw new UserAdoptionRefusedError(
          `User ${userName} of employee ${employee.id} is not adopted by event ${eventId}: ${refusal}. Nothing was changed.`,
        );
      }
      logger.info('User adopted', { userName });
      return created(existing, userName, true);
    }
    logger.info('User name taken by someone else', { userName });
  }
  throw new UserNameConflictError(
    `Every user name for employee ${employee.id} is taken: ${candidates.join(', ')}`,
  );
}

/**
 * Why an existing user tagged with this employee's id may not be adopted, or undefined when it may:
 * it must be this project's (path /onboarded/, tag managedBy=iam-onboarding) and its onboarding
 * unfinished: created by this event (a retry or redrive), or never tagged notified.
 */
function adoptable(user: User | undefined, eventId: string): string | undefined {
  if (user?.Path !== ONBOARDED_PATH) return `its path is ${user?.Path ?? 'unknown'}, not ${ONBOARDED_PATH}`;
  if (tagValue(user.Tags, MANAGED_BY.key) !== MANAGED_BY.value) return 'it is not managed by iam-onboarding';
  const sameEvent = tagValue(user.Tags, TAG_KEYS.eventId) === iamTagValue(eventId);
  const notified = tagValue(user.Tags, TAG_KEYS.notified);
  if (!sameEvent && notified !== undefined) return 'it finished onboarding for another event';
  return undefined;
}

async function existingUser(userName: string): Promise<User | undefined> {
  try {
    return (await iam.send(new GetUserCommand({ UserName: userName }))).User;
  } catch (error) {
    if (iamErrorCode(error) !== 'NoSuchEntity') throw iamError('GetUser', error);
    throw new IamNotYetConsistentError(`User ${userName} already exists but GetUser cannot find it`, {
      cause: error,
    });
  }
}

function created(user: User | undefined, userName: string, adopted: boolean): CreateUserOutput {
  if (!user?.Arn) throw new IamServiceError(`IAM returned no ARN for user ${userName}`);
  return { userName: user.UserName ?? userName, userArn: user.Arn, adopted };
}

export const handler = middy(core, handlerOptions).use(executionLogging());
