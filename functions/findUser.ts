import middy from '@middy/core';
import { findEmployeeUser, isStale, unmanagedReason } from './shared/employeeUser';
import { EmployeeUserNotFoundError, UserNotManagedError } from './shared/errors';
import type { Employee } from './shared/hrEvent';
import { logger } from './shared/logger';
import { executionLogging, handlerOptions } from './shared/middleware';
import { TAG_KEYS, tagValue } from './shared/tags';

export type FindUserInput = {
  eventId: string;
  occurredAt: string;
  /** An update's full record, or a termination's `{id}`. */
  employee: Employee | { id: string };
  executionArn: string;
};
export type FindUserOutput = {
  userName: string;
  userArn: string;
  /** The event is older than the last one applied to the user: the workflow changes nothing. */
  stale: boolean;
  lastEventAt: string | null;
  lastEventId: string | null;
};

/**
 * The first state of the mover and the leaver: the employee's IAM user, which must be this
 * project's, and whether the event is stale (older than the last event applied to the user).
 */
async function core({ eventId, occurredAt, employee }: FindUserInput): Promise<FindUserOutput> {
  const record = 'workEmail' in employee ? employee : undefined;
  const user = await findEmployeeUser(employee.id, record);
  if (!user)
    throw new EmployeeUserNotFoundError(
      `No IAM user carries employee ${employee.id}'s id: was the employee ever onboarded, or already deleted? Event ${eventId} changed nothing.`,
    );
  const refusal = unmanagedReason(user, employee.id);
  if (refusal)
    throw new UserNotManagedError(
      `User ${user.userName} of employee ${employee.id} is not changed by event ${eventId}: ${refusal}. Nothing was changed.`,
    );
  const stale = isStale(user, occurredAt);
  const lastEventAt = tagValue(user.tags, TAG_KEYS.lastEventAt) ?? null;
  const lastEventId = tagValue(user.tags, TAG_KEYS.lastEventId) ?? null;
  if (stale)
    logger.warn('Stale event: a newer one was applied', {
      userName: user.userName,
      lastEventAt,
      lastEventId,
    });
  return { userName: user.userName, userArn: user.userArn, stale, lastEventAt, lastEventId };
}

export const handler = middy(core, handlerOptions).use(executionLogging());
