import { deleteConflict, entityAlreadyExists, quotaExceeded } from './errors';
import { entityArn, ID_PREFIX, isoNow, newId } from './ids';
import { type GroupRecord, nameKey } from './model';
import { pageFields, paginate } from './pagination';
import type { Handlers } from './params';
import { QUOTAS } from './quotas';
import { groupXml, userXml } from './responses';
import { RULES } from './rules';

export const groupActions: Handlers = {
  CreateGroup: (params, state) => {
    const groupName = params.required('GroupName', RULES.groupName);
    const path = params.optional('Path', RULES.path) ?? '/';
    const key = nameKey(groupName);
    if (state.groups.has(key)) throw entityAlreadyExists(`Group with name ${groupName} already exists.`);
    if (state.groups.size >= QUOTAS.groups) throw quotaExceeded('GroupsPerAccount', QUOTAS.groups);
    const group: GroupRecord = {
      groupName,
      path,
      groupId: newId(ID_PREFIX.group),
      arn: entityArn(state.accountId, 'group', path, groupName),
      createDate: isoNow(),
      attachedPolicyArns: [],
    };
    state.groups.set(key, group);
    return { Group: groupXml(group) };
  },

  GetGroup: (params, state) => {
    const group = state.requireGroup(params.required('GroupName', RULES.groupName));
    const members = state.groupMembers(nameKey(group.groupName));
    const page = paginate(members, (user) => nameKey(user.userName), params);
    return {
      Group: groupXml(group),
      Users: page.items.map((user) => userXml(user, 'listing')),
      ...pageFields(page),
    };
  },

  ListGroups: (params, state) => {
    const prefix = params.optional('PathPrefix', RULES.pathPrefix) ?? '/';
    const groups = state.groups.values().filter((group) => group.path.startsWith(prefix));
    const page = paginate(groups, (group) => nameKey(group.groupName), params);
    return { Groups: page.items.map(groupXml), ...pageFields(page) };
  },

  DeleteGroup: (params, state) => {
    const group = state.requireGroup(params.required('GroupName', RULES.groupName));
    const key = nameKey(group.groupName);
    if (state.groupMembers(key).length > 0) {
      throw deleteConflict('Cannot delete entity, must remove users from group first.');
    }
    if (group.attachedPolicyArns.length > 0) {
      throw deleteConflict('Cannot delete entity, must detach all policies first.');
    }
    state.groups.delete(key);
    return undefined;
  },

  AddUserToGroup: (params, state) => {
    const group = state.requireGroup(params.required('GroupName', RULES.groupName));
    const user = state.requireUser(params.required('UserName', RULES.existingUserName));
    const groupKey = nameKey(group.groupName);
    if (user.groupKeys.includes(groupKey)) return undefined;
    if (user.groupKeys.length >= QUOTAS.groupsPerUser)
      throw quotaExceeded('GroupsPerUser', QUOTAS.groupsPerUser);
    state.users.set(nameKey(user.userName), { ...user, groupKeys: [...user.groupKeys, groupKey] });
    return undefined;
  },

  RemoveUserFromGroup: (params, state) => {
    const group = state.requireGroup(params.required('GroupName', RULES.groupName));
    const user = state.requireUser(params.required('UserName', RULES.existingUserName));
    const groupKey = nameKey(group.groupName);
    if (!user.groupKeys.includes(groupKey)) return undefined;
    const groupKeys = user.groupKeys.filter((key) => key !== groupKey);
    state.users.set(nameKey(user.userName), { ...user, groupKeys });
    return undefined;
  },

  ListGroupsForUser: (params, state) => {
    const user = state.requireUser(params.required('UserName', RULES.existingUserName));
    const groups = user.groupKeys.flatMap((key) => state.groups.get(key) ?? []);
    const page = paginate(groups, (group) => nameKey(group.groupName), params);
    return { Groups: page.items.map(groupXml), ...pageFields(page) };
  },
};
