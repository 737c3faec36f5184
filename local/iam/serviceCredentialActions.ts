import { randomBytes } from 'node:crypto';
import type { Principal } from '../authz/principals';
import { noSuchEntity, quotaExceeded } from './errors';
import { ID_PREFIX, isoNow, newId, newSecret } from './ids';
import { requestUser } from './implicitUser';
import { nameKey, type ServiceCredentialRecord, type UserRecord } from './model';
import { pageFields, paginate } from './pagination';
import type { Handlers, Params } from './params';
import { QUOTAS } from './quotas';
import { INTEGER_RULES, RULES } from './rules';
import type { IamState } from './state';

/**
 * The services IAM issues service-specific credentials for: a user name and password (CodeCommit's
 * Git credentials, Amazon Keyspaces), or an API key alias and secret (Bedrock, CloudWatch Logs).
 */
export const CREDENTIAL_SERVICES: Readonly<Record<string, 'password' | 'apiKey'>> = {
  'codecommit.amazonaws.com': 'password',
  'cassandra.amazonaws.com': 'password',
  'bedrock.amazonaws.com': 'apiKey',
  'logs.amazonaws.com': 'apiKey',
};

const DAY_MS = 86_400_000;

/** IAM answers an unsupported service with NoSuchEntity (not NotSupportedService, which its model also lists). */
function requireService(serviceName: string): 'password' | 'apiKey' {
  const kind = Object.hasOwn(CREDENTIAL_SERVICES, serviceName) ? CREDENTIAL_SERVICES[serviceName] : undefined;
  if (!kind)
    throw noSuchEntity(`No such service ${serviceName} is supported for Service Specific Credentials`);
  return kind;
}

/** A service password as IAM generates them: 59 characters of the base64 alphabet and a final `=`. */
function newServicePassword(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  return `${[...randomBytes(59)].map((byte) => alphabet[byte % 64]).join('')}=`;
}

/** The secret Create and Reset return: a password, or an API key secret. */
const newCredentialSecret = (credential: ServiceCredentialRecord) =>
  credential.serviceUserName === undefined ? newSecret(32) : newServicePassword();

const metadataXml = (credential: ServiceCredentialRecord, user: UserRecord) => ({
  UserName: user.userName,
  Status: credential.status,
  ServiceUserName: credential.serviceUserName,
  ServiceCredentialAlias: credential.serviceCredentialAlias,
  CreateDate: credential.createDate,
  ExpirationDate: credential.expirationDate,
  ServiceSpecificCredentialId: credential.serviceSpecificCredentialId,
  ServiceName: credential.serviceName,
});

/** The whole credential with its secret: only Create and Reset return it, and it is never stored. */
const credentialXml = (credential: ServiceCredentialRecord, user: UserRecord, secret: string) => ({
  CreateDate: credential.createDate,
  ExpirationDate: credential.expirationDate,
  ServiceName: credential.serviceName,
  ServiceUserName: credential.serviceUserName,
  ServicePassword: credential.serviceUserName === undefined ? undefined : secret,
  ServiceCredentialAlias: credential.serviceCredentialAlias,
  ServiceCredentialSecret: credential.serviceCredentialAlias === undefined ? undefined : secret,
  ServiceSpecificCredentialId: credential.serviceSpecificCredentialId,
  UserName: user.userName,
  Status: credential.status,
});

function requireCredential(params: Params, state: IamState, caller: Principal) {
  const user = requestUser(params, state, caller, RULES.userName);
  const id = params.required('ServiceSpecificCredentialId', RULES.serviceSpecificCredentialId);
  const credential = state.serviceCredentials.get(id);
  if (!credential || credential.userKey !== nameKey(user.userName)) {
    throw noSuchEntity(`No such credential ${id} exists`);
  }
  return { user, credential };
}

/** `<user>-at-<account>`, with a `-<n>` suffix when the user's other credential for the service holds it. */
function serviceUserName(
  user: UserRecord,
  accountId: string,
  taken: ReadonlySet<string | undefined>,
): string {
  const base = `${user.userName}-at-${accountId}`;
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? base : `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

export const serviceCredentialActions: Handlers = {
  CreateServiceSpecificCredential: (params, state) => {
    const user = state.requireUser(params.required('UserName', RULES.userName));
    const serviceName = params.required('ServiceName', RULES.serviceName);
    const ageDays = params.integer('CredentialAgeDays', INTEGER_RULES.credentialAgeDays);
    const kind = requireService(serviceName);
    const userKey = nameKey(user.userName);
    const siblings = state
      .ownedBy(state.serviceCredentials, userKey)
      .filter((credential) => credential.serviceName === serviceName);
    if (siblings.length >= QUOTAS.serviceSpecificCredentialsPerUserPerService) {
      throw quotaExceeded(
        'ServiceSpecificCredentialsPerUserPerService',
        QUOTAS.serviceSpecificCredentialsPerUserPerService,
      );
    }
    const createDate = isoNow();
    const credential: ServiceCredentialRecord = {
      serviceSpecificCredentialId: newId(ID_PREFIX.serviceSpecificCredential),
      userKey,
      serviceName,
      status: 'Active',
      createDate,
      ...(kind === 'password'
        ? {
            serviceUserName: serviceUserName(
              user,
              state.accountId,
              new Set(siblings.map((sibling) => sibling.serviceUserName)),
            ),
          }
        : {
            serviceCredentialAlias: `${user.userName}+${newId('', 8).toLowerCase()}`,
            expirationDate:
              ageDays === undefined
                ? undefined
                : new Date(Date.parse(createDate) + ageDays * DAY_MS).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          }),
    };
    state.serviceCredentials.set(credential.serviceSpecificCredentialId, credential);
    return {
      ServiceSpecificCredential: credentialXml(credential, user, newCredentialSecret(credential)),
    };
  },

  ListServiceSpecificCredentials: (params, state, caller) => {
    const serviceName = params.optional('ServiceName', RULES.serviceName);
    if (serviceName !== undefined) requireService(serviceName);
    const allUsers = params.boolean('AllUsers') ?? false;
    const owners = allUsers ? state.users.values() : [requestUser(params, state, caller, RULES.userName)];
    const credentials = owners.flatMap((user) =>
      state
        .ownedBy(state.serviceCredentials, nameKey(user.userName))
        .filter((credential) => serviceName === undefined || credential.serviceName === serviceName)
        .map((credential) => ({ credential, user })),
    );
    const page = paginate(
      credentials,
      ({ credential }) => `${credential.createDate} ${credential.serviceSpecificCredentialId}`,
      params,
    );
    return {
      ServiceSpecificCredentials: page.items.map(({ credential, user }) => metadataXml(credential, user)),
      ...pageFields(page),
    };
  },

  UpdateServiceSpecificCredential: (params, state, caller) => {
    const { credential } = requireCredential(params, state, caller);
    const status = params.status();
    state.serviceCredentials.set(credential.serviceSpecificCredentialId, { ...credential, status });
    return undefined;
  },

  /** A new service-generated password (or secret); the user name and id stay. */
  ResetServiceSpecificCredential: (params, state, caller) => {
    const { user, credential } = requireCredential(params, state, caller);
    return {
      ServiceSpecificCredential: credentialXml(credential, user, newCredentialSecret(credential)),
    };
  },

  DeleteServiceSpecificCredential: (params, state, caller) => {
    const { credential } = requireCredential(params, state, caller);
    state.serviceCredentials.delete(credential.serviceSpecificCredentialId);
    return undefined;
  },
};
