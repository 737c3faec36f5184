import {
  CreateUserCommand,
  GetUserCommand,
  TagUserCommand,
  UntagUserCommand,
  type User,
} from '@aws-sdk/client-iam';
import middy from '@middy/core';
import { loadAccessProfiles, profileFor } from './shared/accessProfiles';
import { loadConfig } from './shared/config';
import { taggedUser, unmanagedReason } from './shared/employeeUser';
import {
  IamNotYetConsistentError,
  IamServiceError,
  UserAdoptionRefusedError,
  UserNameConflictError,
} from './shared/errors';
import type { Employee } from './shared/hrEvent';
import { ONBOARDED_PATH } from './shared/iam';
import { iam } from './shared/iamClient';
import { callIam, iamError, iamErrorCode } from './shared/iamErrors';
import { logger } from './shared/logger';
import { executionLogging, handlerOptions } from './shared/middleware';
import { passwordRecipient } from './shared/passwordRecipient';
import { iamTagValue, MANAGED_BY, TAG_KEYS, tagValue } from './shared/tags';
import { userNameCandidates } from './shared/userName';

export type CreateUserInput = {
  eventId: string;
  occurredAt: string;
  employee: Employee;
  executionArn: string;
};
export type CreateUserOutput = {
  userName: string;
  userArn: string;
  /** An existing user of this employee carries on: an unfinished onboarding, or a rehire. */
  adopted: boolean;
  /** The user had been disabled by the employee's termination and is enabled again by this hire. */
  rehired: boolean;
};

/**
 * Creates the employee's IAM user under /onboarded/ with the profile's permissions boundary, trying
 * each derived name in turn. A name taken by another employee's user moves on to the next name. A
 * user of this employee is adopted only while its onboarding is unfinished, or rehired while a
 * termination holds it disabled for the retention (see {@link adoption}); any other is refused,
 * changing nothing: a second hire must never reset a live user's password. Checks first that the
 * password has somewhere to go, so a hire that cannot finish creates nothing.
 */
async function core({ eventId, occurredAt, employee }: CreateUserInput): Promise<CreateUserOutput> {
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
            { Key: TAG_KEYS.department, Value: iamTagValue(employee.department) },
            { Key: TAG_KEYS.lastEventAt, Value: iamTagValue(occurredAt) },
            { Key: TAG_KEYS.lastEventId, Value: iamTagValue(eventId) },
            { Key: MANAGED_BY.key, Value: MANAGED_BY.value },
          ],
        }),
      );
      logger.info('User created', { userName });
      return created(User, userName, { adopted: false, rehired: false });
    } catch (error) {
      if (iamErrorCode(error) !== 'EntityAlreadyExists')
        throw iamError('CreateUser', error, profile.permissionsBoundary);
    }
    const existing = await existingUser(userName);
    if (existing && tagValue(existing.Tags, TAG_KEYS.employeeId) === iamTagValue(employee.id)) {
      const verdict = adoption(existing, employee.id, eventId, occurredAt);
      if (verdict.refusal) {
        throw new UserAdoptionRefusedError(
          `User ${userName} of employee ${employee.id} is not adopted by event ${eventId}: ${verdict.refusal}. Nothing was changed.`,
        );
      }
      const rehired = verdict.rehire === true;
      if (rehired) await rehire(userName, eventId, occurredAt, employee);
      logger.info(rehired ? 'User rehired' : 'User adopted', { userName });
      return created(existing, userName, { adopted: true, rehired });
    }
    logger.info('User name taken by someone else', { userName });
  }
  throw new UserNameConflictError(
    `Every user name for employee ${employee.id} is taken: ${candidates.join(', ')}`,
  );
}

/**
 * Whether an existing user tagged with this employee's id may be adopted. It must be this project's
 * (path /onboarded/, tag managedBy=iam-onboarding), and either its onboarding is unfinished (created
 * by this event: a retry or redrive; or never tagged notified), or it is a rehire: the user was
 * disabled by the last HR event applied to it (a termination; a user disabled by hand is not), and
 * this hire is not older than that event.
 */
function adoption(
  user: User,
  employeeId: string,
  eventId: string,
  occurredAt: string,
): { refusal: string; rehire?: never } | { refusal?: never; rehire: boolean } {
  const unmanaged = unmanagedReason(taggedUser(user), employeeId);
  if (unmanaged) return { refusal: unmanaged };
  const disabledBy = tagValue(user.Tags, TAG_KEYS.disabledBy);
  if (disabledBy !== undefined) {
    const lastEventId = tagValue(user.Tags, TAG_KEYS.lastEventId);
    // This hire tagged the user already (a retry after a crash mid-rehire): carry on.
    if (lastEventId === iamTagValue(eventId)) return { rehire: true };
    if (disabledBy !== lastEventId)
      return { refusal: `it was disabled by ${disabledBy}, not by the employee's termination` };
    const lastEventAt = tagValue(user.Tags, TAG_KEYS.lastEventAt) ?? '';
    if (Date.parse(occurredAt) < Date.parse(lastEventAt))
      return {
        refusal: `the termination ${disabledBy} (${lastEventAt}) is newer than this hire (${occurredAt})`,
      };
    return { rehire: true };
  }
  const sameEvent = tagValue(user.Tags, TAG_KEYS.eventId) === iamTagValue(eventId);
  if (!sameEvent && tagValue(user.Tags, TAG_KEYS.notified) !== undefined)
    return { refusal: 'it finished onboarding for another event' };
  return { rehire: false };
}

/**
 * Makes a user disabled by a termination this hire's: tagged with this event first, then the
 * termination's marks removed, so a crash in between retries as the same rehire. The waiting leaver
 * then finds the user no longer disabled by it and deletes nothing. GeneratePassword gives a fresh
 * password (the termination deleted the login profile); access keys stay inactive.
 */
async function rehire(
  userName: string,
  eventId: string,
  occurredAt: string,
  employee: Employee,
): Promise<void> {
  const Tags = [
    { Key: TAG_KEYS.eventId, Value: iamTagValue(eventId) },
    { Key: TAG_KEYS.department, Value: iamTagValue(employee.department) },
    { Key: TAG_KEYS.lastEventAt, Value: iamTagValue(occurredAt) },
    { Key: TAG_KEYS.lastEventId, Value: iamTagValue(eventId) },
  ];
  await callIam('TagUser', () => iam.send(new TagUserCommand({ UserName: userName, Tags })));
  const TagKeys = [TAG_KEYS.disabledBy, TAG_KEYS.disabledAt, TAG_KEYS.notified];
  await callIam('UntagUser', () => iam.send(new UntagUserCommand({ UserName: userName, TagKeys })));
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

function created(
  user: User | undefined,
  userName: string,
  how: Pick<CreateUserOutput, 'adopted' | 'rehired'>,
): CreateUserOutput {
  if (!user?.Arn) throw new IamServiceError(`IAM returned no ARN for user ${userName}`);
  return { userName: user.UserName ?? userName, userArn: user.Arn, ...how };
}

export const handler = middy(core, handlerOptions).use(executionLogging());
