import {
  GetUserCommand,
  ListUserTagsCommand,
  paginateListUsers,
  type Tag,
  type User,
} from '@aws-sdk/client-iam';
import type { Employee } from './hrEvent';
import { ONBOARDED_PATH } from './iam';
import { iam } from './iamClient';
import { iamError, iamErrorCode } from './iamErrors';
import { iamTagValue, MANAGED_BY, TAG_KEYS, tagValue } from './tags';
import { userNameCandidates } from './userName';

/** An IAM user with its tags, as the lifecycle workflows read it. */
export type TaggedUser = { userName: string; userArn: string; path: string; tags: Tag[] };

/**
 * The IAM user carrying `employeeId`: first among the names the employee's record derives (the
 * common case: one GetUser), else by reading the tags of every /onboarded/ user (a renamed employee,
 * or a termination, which carries only the id). Undefined when no user carries it.
 */
export async function findEmployeeUser(
  employeeId: string,
  record?: Pick<Employee, 'id' | 'givenName' | 'familyName' | 'workEmail'>,
): Promise<TaggedUser | undefined> {
  const id = iamTagValue(employeeId);
  for (const userName of record ? userNameCandidates(record) : []) {
    const user = await getTaggedUser(userName);
    if (user && tagValue(user.tags, TAG_KEYS.employeeId) === id) return user;
  }
  const pages = paginateListUsers({ client: iam }, { PathPrefix: ONBOARDED_PATH });
  for (;;) {
    // Only the listing's own failures are ListUsers'; userTags names its own.
    const page = await pages.next().catch((error: unknown) => Promise.reject(iamError('ListUsers', error)));
    if (page.done) return undefined;
    for (const { UserName, Arn, Path } of page.value.Users ?? []) {
      if (!UserName || !Arn) continue;
      const tags = await userTags(UserName);
      if (tags && tagValue(tags, TAG_KEYS.employeeId) === id)
        return { userName: UserName, userArn: Arn, path: Path ?? '', tags };
    }
  }
}

/** A user and its tags (GetUser), or undefined when there is no such user. */
export async function getTaggedUser(userName: string): Promise<TaggedUser | undefined> {
  try {
    const { User } = await iam.send(new GetUserCommand({ UserName: userName }));
    return User?.Arn ? taggedUser(User) : undefined;
  } catch (error) {
    if (iamErrorCode(error) === 'NoSuchEntity') return undefined;
    throw iamError('GetUser', error);
  }
}

/** A user as GetUser answers it, in the shape the workflows read. */
export function taggedUser(user: User): TaggedUser {
  return {
    userName: user.UserName ?? '',
    userArn: user.Arn ?? '',
    path: user.Path ?? '',
    tags: user.Tags ?? [],
  };
}

/** Every tag of a user (ListUserTags, up to IAM's 50), or undefined when the user is gone. */
async function userTags(userName: string): Promise<Tag[] | undefined> {
  try {
    return (await iam.send(new ListUserTagsCommand({ UserName: userName }))).Tags ?? [];
  } catch (error) {
    if (iamErrorCode(error) === 'NoSuchEntity') return undefined;
    throw iamError('ListUserTags', error);
  }
}

/**
 * Why the workflows may not change this user, or undefined when they may: it must be this project's
 * (path /onboarded/, tag managedBy=iam-onboarding) and carry the employee's id.
 */
export function unmanagedReason(user: TaggedUser, employeeId: string): string | undefined {
  if (user.path !== ONBOARDED_PATH) return `its path is ${user.path}, not ${ONBOARDED_PATH}`;
  if (tagValue(user.tags, MANAGED_BY.key) !== MANAGED_BY.value)
    return `it is not tagged ${MANAGED_BY.key}=${MANAGED_BY.value}`;
  if (tagValue(user.tags, TAG_KEYS.employeeId) !== iamTagValue(employeeId))
    return `it is not tagged ${TAG_KEYS.employeeId}=${employeeId}`;
  return undefined;
}

/**
 * Whether an event is older than the last one applied to the user (its `lifecycle:lastEventAt` tag):
 * then it must change nothing, so a late or resent event never undoes a newer one. Instants are
 * compared, not strings (HR may send any time zone); an event at the same instant is not stale.
 */
export function isStale(user: TaggedUser, occurredAt: string): boolean {
  const last = tagValue(user.tags, TAG_KEYS.lastEventAt);
  return last !== undefined && Date.parse(occurredAt) < Date.parse(last);
}
