import middy from '@middy/core';
import { getTaggedUser, unmanagedReason } from './shared/employeeUser';
import { UserNotManagedError } from './shared/errors';
import { logger } from './shared/logger';
import { executionLogging, handlerOptions } from './shared/middleware';
import { iamTagValue, TAG_KEYS, tagValue } from './shared/tags';
import { deleteUserAndDependents, type UserDependents } from './shared/userDeletion';

export type DeleteUserInput = {
  userName: string;
  eventId: string;
  employee: { id: string };
  executionArn: string;
};
export type DeleteUserOutput =
  | { deleted: true; removed: UserDependents }
  | { deleted: false; reason: 'already gone' | 'superseded' };

/**
 * The leaver's last step, after the retention: deletes the user and everything attached to it, in
 * IAM's order (see userDeletion.ts). Only while the user is still this project's and still disabled
 * by this termination: a rehire in the meantime removed that tag, and another termination replaced
 * it (that one's leaver deletes the user after its own retention); either way the user is kept.
 */
async function core({ userName, eventId, employee }: DeleteUserInput): Promise<DeleteUserOutput> {
  const user = await getTaggedUser(userName);
  if (!user) return { deleted: false, reason: 'already gone' };
  const refusal = unmanagedReason(user, employee.id);
  if (refusal)
    throw new UserNotManagedError(`User ${userName} is not deleted by event ${eventId}: ${refusal}.`);
  if (tagValue(user.tags, TAG_KEYS.disabledBy) !== iamTagValue(eventId)) {
    logger.info('User kept: a later event (a rehire, or another termination) changed it since', {
      userName,
      disabledBy: tagValue(user.tags, TAG_KEYS.disabledBy),
    });
    return { deleted: false, reason: 'superseded' };
  }
  const removed = await deleteUserAndDependents(userName);
  if (!removed) return { deleted: false, reason: 'already gone' };
  logger.info('User deleted', { userName, removed });
  return { deleted: true, removed };
}

export const handler = middy(core, handlerOptions).use(executionLogging());
