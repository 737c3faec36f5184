import type { Collection } from '../store';
import { requireBoundaryPolicy } from './attachments';
import { deleteConflict, entityAlreadyExists, limitExceeded, quotaExceeded } from './errors';
import { entityArn, ID_PREFIX, isoNow, newId } from './ids';
import { nameKey, type Tag, type UserRecord } from './model';
import { pageFields, paginate } from './pagination';
import type { Handlers } from './params';
import { QUOTAS } from './quotas';
import { tagsXml, userXml } from './responses';
import { MAX_TAGS, RULES } from './rules';
import type { IamState } from './state';

export const userActions: Handlers = {
  CreateUser: (params, state) => {
    const userName = params.required('UserName', RULES.userName);
    const path = params.optional('Path', RULES.path) ?? '/';
    const boundaryArn = params.optional('PermissionsBoundary', RULES.arn);
    const tags = params.tags();
    const key = nameKey(userName);
    if (state.users.has(key)) throw entityAlreadyExists(`User with name ${userName} already exists.`);
    if (state.users.size >= QUOTAS.users) throw quotaExceeded('UsersPerAccount', QUOTAS.users);
    const user: UserRecord = {
      userName,
      path,
      userId: newId(ID_PREFIX.user),
      arn: entityArn(state.accountId, 'user', path, userName),
      createDate: isoNow(),
      permissionsBoundaryArn:
        boundaryArn === undefined ? undefined : requireBoundaryPolicy(state, boundaryArn).arn,
      tags,
      groupKeys: [],
      attachedPolicyArns: [],
    };
    state.users.set(key, user);
    return { User: userXml(user, 'full') };
  },

  GetUser: (params, state) => {
    const user = state.requireUser(params.required('UserName', RULES.existingUserName));
    return { User: userXml(user, 'full') };
  },

  ListUsers: (params, state) => {
    const prefix = params.optional('PathPrefix', RULES.pathPrefix) ?? '/';
    const users = state.users.values().filter((user) => user.path.startsWith(prefix));
    const page = paginate(users, (user) => nameKey(user.userName), params);
    return { Users: page.items.map((user) => userXml(user, 'listing')), ...pageFields(page) };
  },

  /**
   * Refused with DeleteConflict while the user has any dependent, checked in the order of the API
   * Reference's list of what to remove first, each with the message IAM answers for it.
   */
  DeleteUser: (params, state) => {
    const user = state.requireUser(params.required('UserName', RULES.existingUserName));
    const key = nameKey(user.userName);
    const conflict = dependentConflict(state, user, key);
    if (conflict) throw deleteConflict(`Cannot delete entity, must ${conflict} first.`);
    state.users.delete(key);
    return undefined;
  },

  TagUser: (params, state) => {
    const user = state.requireUser(params.required('UserName', RULES.existingUserName));
    const tags = mergeTags(user.tags, params.tags('Tags', true));
    if (tags.length > MAX_TAGS) throw limitExceeded('The number of tags has reached the maximum limit.');
    state.users.set(nameKey(user.userName), { ...user, tags });
    return undefined;
  },

  UntagUser: (params, state) => {
    const user = state.requireUser(params.required('UserName', RULES.existingUserName));
    const removed = new Set(
      params.list('TagKeys', RULES.tagKey, { required: true, max: MAX_TAGS }).map((key) => key.toLowerCase()),
    );
    const tags = user.tags.filter((tag) => !removed.has(tag.key.toLowerCase()));
    state.users.set(nameKey(user.userName), { ...user, tags });
    return undefined;
  },

  ListUserTags: (params, state) => {
    const user = state.requireUser(params.required('UserName', RULES.existingUserName));
    const page = paginate(user.tags, (tag) => tag.key.toLowerCase(), params);
    return { Tags: tagsXml(page.items), ...pageFields(page) };
  },

  PutUserPermissionsBoundary: (params, state) => {
    const user = state.requireUser(params.required('UserName', RULES.userName));
    const policy = requireBoundaryPolicy(state, params.required('PermissionsBoundary', RULES.arn));
    state.users.set(nameKey(user.userName), { ...user, permissionsBoundaryArn: policy.arn });
    return undefined;
  },

  DeleteUserPermissionsBoundary: (params, state) => {
    const user = state.requireUser(params.required('UserName', RULES.userName));
    state.users.set(nameKey(user.userName), { ...user, permissionsBoundaryArn: undefined });
    return undefined;
  },
};

/** What DeleteUser asks to remove first, or undefined when the user has no dependent left. */
function dependentConflict(state: IamState, user: UserRecord, key: string): string | undefined {
  const owns = <T extends { userKey?: string }>(collection: Collection<T>) =>
    state.ownedBy(collection, key).length > 0;
  if (state.loginProfiles.has(key)) return 'delete login profile';
  if (owns(state.accessKeys)) return 'delete access keys';
  if (owns(state.signingCertificates)) return 'delete certificates';
  if (owns(state.sshPublicKeys)) return 'remove referenced objects';
  if (owns(state.serviceCredentials)) return 'remove referenced objects';
  if (owns(state.mfaDevices)) return 'delete MFA device';
  if (owns(state.userPolicies)) return 'delete policies';
  if (user.attachedPolicyArns.length > 0) return 'detach all policies';
  if (user.groupKeys.length > 0) return 'remove users from group';
  return undefined;
}

/** Tag keys are case-insensitive: a new tag replaces the one whose key matches, in place. */
export function mergeTags(current: readonly Tag[], added: readonly Tag[]): Tag[] {
  const merged = [...current];
  for (const tag of added) {
    const index = merged.findIndex((existing) => existing.key.toLowerCase() === tag.key.toLowerCase());
    if (index >= 0) merged[index] = tag;
    else merged.push(tag);
  }
  return merged;
}
