import { requireBoundaryPolicy } from './attachments';
import { deleteConflict, entityAlreadyExists, limitExceeded, quotaExceeded } from './errors';
import { entityArn, ID_PREFIX, isoNow, newId } from './ids';
import { nameKey, type Tag, type UserRecord } from './model';
import { pageFields, paginate } from './pagination';
import type { Handlers } from './params';
import { QUOTAS } from './quotas';
import { tagsXml, userXml } from './responses';
import { MAX_TAGS, RULES } from './rules';

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

  DeleteUser: (params, state) => {
    const user = state.requireUser(params.required('UserName', RULES.existingUserName));
    const key = nameKey(user.userName);
    if (state.loginProfiles.has(key))
      throw deleteConflict('Cannot delete entity, must delete login profile first.');
    if (user.groupKeys.length > 0)
      throw deleteConflict('Cannot delete entity, must remove users from group first.');
    if (user.attachedPolicyArns.length > 0)
      throw deleteConflict('Cannot delete entity, must detach all policies first.');
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

/** Tag keys are case-insensitive: a new tag replaces the one whose key matches, in place. */
function mergeTags(current: readonly Tag[], added: readonly Tag[]): Tag[] {
  const merged = [...current];
  for (const tag of added) {
    const index = merged.findIndex((existing) => existing.key.toLowerCase() === tag.key.toLowerCase());
    if (index >= 0) merged[index] = tag;
    else merged.push(tag);
  }
  return merged;
}
