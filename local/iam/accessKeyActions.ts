import type { Principal } from '../authz/principals';
import { noSuchEntity, quotaExceeded } from './errors';
import { isoNow, newAccessKeyId, newSecret } from './ids';
import { requestUser } from './implicitUser';
import { type AccessKeyRecord, nameKey, type UserRecord } from './model';
import { pageFields, paginate } from './pagination';
import type { Handlers, Params } from './params';
import { QUOTAS } from './quotas';
import { RULES } from './rules';
import type { IamState } from './state';

const metadataXml = (key: AccessKeyRecord, user: UserRecord) => ({
  UserName: user.userName,
  AccessKeyId: key.accessKeyId,
  Status: key.status,
  CreateDate: key.createDate,
});

/** The access key `AccessKeyId` of the request's user (UserName, else the signer). */
function requireKey(params: Params, state: IamState, caller: Principal) {
  const user = requestUser(params, state, caller);
  const id = params.required('AccessKeyId', RULES.accessKeyId);
  const key = state.accessKeys.get(id);
  if (!key || key.userKey !== nameKey(user.userName)) {
    throw noSuchEntity(`The Access Key with id ${id} cannot be found.`);
  }
  return { user, key };
}

/** Long-term access keys of IAM users: at most two per user, the secret shown once. */
export const accessKeyActions: Handlers = {
  CreateAccessKey: (params, state, caller) => {
    const user = requestUser(params, state, caller);
    const userKey = nameKey(user.userName);
    if (state.ownedBy(state.accessKeys, userKey).length >= QUOTAS.accessKeysPerUser) {
      throw quotaExceeded('AccessKeysPerUser', QUOTAS.accessKeysPerUser);
    }
    const key: AccessKeyRecord = {
      accessKeyId: newAccessKeyId(),
      userKey,
      status: 'Active',
      secretAccessKey: newSecret(30),
      createDate: isoNow(),
    };
    state.accessKeys.set(key.accessKeyId, key);
    return { AccessKey: { ...metadataXml(key, user), SecretAccessKey: key.secretAccessKey } };
  },

  ListAccessKeys: (params, state, caller) => {
    const user = requestUser(params, state, caller);
    const keys = state.ownedBy(state.accessKeys, nameKey(user.userName));
    const page = paginate(keys, (key) => `${key.createDate} ${key.accessKeyId}`, params);
    return { AccessKeyMetadata: page.items.map((key) => metadataXml(key, user)), ...pageFields(page) };
  },

  UpdateAccessKey: (params, state, caller) => {
    const { key } = requireKey(params, state, caller);
    const status = params.status();
    state.accessKeys.set(key.accessKeyId, { ...key, status });
    return undefined;
  },

  DeleteAccessKey: (params, state, caller) => {
    const { key } = requireKey(params, state, caller);
    state.accessKeys.delete(key.accessKeyId);
    return undefined;
  },

  /** A key never used reports N/A for the service and the Region, and no date. */
  GetAccessKeyLastUsed: (params, state) => {
    const id = params.required('AccessKeyId', RULES.accessKeyId);
    const key = state.accessKeys.get(id);
    const user = key && state.users.get(key.userKey);
    if (!key || !user) throw noSuchEntity(`The Access Key with id ${id} cannot be found.`);
    return {
      UserName: user.userName,
      AccessKeyLastUsed: {
        LastUsedDate: key.lastUsed?.date,
        ServiceName: key.lastUsed?.serviceName ?? 'N/A',
        Region: key.lastUsed?.region ?? 'N/A',
      },
    };
  },
};
