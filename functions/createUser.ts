import { CreateUserCommand, GetUserCommand, type User } from '@aws-sdk/client-iam';
import middy from '@middy/core';
import { loadAccessProfiles, profileFor } from './shared/accessProfiles';
import { iam } from './shared/clients';
import { loadConfig } from './shared/config';
import { IamNotYetConsistentError, IamServiceError, UserNameConflictError } from './shared/errors';
import type { Employee } from './shared/hrEvent';
import { iamError, iamErrorCode, iamTagValue, ONBOARDED_PATH, TAG_KEYS, tagValue } from './shared/iam';
import { logger } from './shared/logger';
import { executionLogging, handlerOptions } from './shared/middleware';
import { userNameCandidates } from './shared/userName';

export type CreateUserInput = { eventId: string; employee: Employee; executionArn: string };
export type CreateUserOutput = { userName: string; userArn: string; adopted: boolean };

/**
 * Creates the employee's IAM user under /onboarded/ with the profile's permissions boundary, trying
 * each derived name in turn. A user that already exists with this employee's id tag is adopted (a
 * retry, or a rehire); AttachPolicies then converges its boundary and policies.
 */
async function core({ eventId, employee }: CreateUserInput): Promise<CreateUserOutput> {
  const { ACCOUNT_ID } = loadConfig(process.env, ['ACCOUNT_ID']);
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
            { Key: 'managedBy', Value: 'iam-onboarding' },
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
      logger.info('User adopted', { userName });
      return created(existing, userName, true);
    }
    logger.info('User name taken by someone else', { userName });
  }
  throw new UserNameConflictError(
    `Every user name for employee ${employee.id} is taken: ${candidates.join(', ')}`,
  );
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
