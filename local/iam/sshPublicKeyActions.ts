import { duplicateSshPublicKey, noSuchEntity, quotaExceeded } from './errors';
import { ID_PREFIX, isoNow, newId } from './ids';
import { requestUser } from './implicitUser';
import { nameKey, type SshPublicKeyRecord, type UserRecord } from './model';
import { pageFields, paginate } from './pagination';
import type { Handlers, Params } from './params';
import { QUOTAS } from './quotas';
import { RULES } from './rules';
import { parseSshPublicKey } from './sshKeys';
import type { IamState } from './state';

const ENCODINGS = ['SSH', 'PEM'] as const;

const metadataXml = (key: SshPublicKeyRecord, user: UserRecord) => ({
  UserName: user.userName,
  SSHPublicKeyId: key.sshPublicKeyId,
  Status: key.status,
  UploadDate: key.uploadDate,
});

const keyXml = (key: SshPublicKeyRecord, user: UserRecord, encoding: (typeof ENCODINGS)[number]) => ({
  UserName: user.userName,
  SSHPublicKeyId: key.sshPublicKeyId,
  Fingerprint: key.fingerprint,
  SSHPublicKeyBody: encoding === 'PEM' ? key.pemBody : key.sshBody,
  Status: key.status,
  UploadDate: key.uploadDate,
});

/** The key `SSHPublicKeyId` of user `UserName` (required: SSH key actions have no implicit user but List). */
function requireKey(params: Params, state: IamState) {
  const user = state.requireUser(params.required('UserName', RULES.userName));
  const id = params.required('SSHPublicKeyId', RULES.sshPublicKeyId);
  const key = state.sshPublicKeys.get(id);
  if (!key || key.userKey !== nameKey(user.userName)) {
    throw noSuchEntity(`The SSH Public Key with id ${id} cannot be found.`);
  }
  return { user, key };
}

/** SSH public keys of IAM users (for CodeCommit): RSA, at most five per user. */
export const sshPublicKeyActions: Handlers = {
  UploadSSHPublicKey: (params, state) => {
    const user = state.requireUser(params.required('UserName', RULES.userName));
    const parsed = parseSshPublicKey(params.required('SSHPublicKeyBody', RULES.sshPublicKeyBody));
    const userKey = nameKey(user.userName);
    const owned = state.ownedBy(state.sshPublicKeys, userKey);
    if (owned.some((key) => key.fingerprint === parsed.fingerprint)) {
      throw duplicateSshPublicKey('The SSH public key is already associated with the specified IAM user.');
    }
    if (owned.length >= QUOTAS.sshPublicKeysPerUser) {
      throw quotaExceeded('SSHPublicKeysPerUser', QUOTAS.sshPublicKeysPerUser);
    }
    const key: SshPublicKeyRecord = {
      sshPublicKeyId: newId(ID_PREFIX.sshPublicKey, 16),
      userKey,
      ...parsed,
      status: 'Active',
      uploadDate: isoNow(),
    };
    state.sshPublicKeys.set(key.sshPublicKeyId, key);
    return { SSHPublicKey: keyXml(key, user, 'SSH') };
  },

  ListSSHPublicKeys: (params, state, caller) => {
    const user = requestUser(params, state, caller, RULES.userName);
    const keys = state.ownedBy(state.sshPublicKeys, nameKey(user.userName));
    const page = paginate(keys, (key) => `${key.uploadDate} ${key.sshPublicKeyId}`, params);
    return { SSHPublicKeys: page.items.map((key) => metadataXml(key, user)), ...pageFields(page) };
  },

  GetSSHPublicKey: (params, state) => {
    const { user, key } = requireKey(params, state);
    return { SSHPublicKey: keyXml(key, user, params.requiredOneOf('Encoding', ENCODINGS)) };
  },

  UpdateSSHPublicKey: (params, state) => {
    const { key } = requireKey(params, state);
    const status = params.status();
    state.sshPublicKeys.set(key.sshPublicKeyId, { ...key, status });
    return undefined;
  },

  DeleteSSHPublicKey: (params, state) => {
    const { key } = requireKey(params, state);
    state.sshPublicKeys.delete(key.sshPublicKeyId);
    return undefined;
  },
};
