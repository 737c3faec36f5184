import { XmlMap } from '../aws/xml';
import { entityAlreadyExists, noSuchEntity } from './errors';
import { mfaDeviceCounts } from './mfaActions';
import type { PasswordPolicyRecord } from './model';
import { pageFields, paginate } from './pagination';
import type { Handlers } from './params';
import { QUOTAS } from './quotas';
import { INTEGER_RULES, RULES } from './rules';
import { ACCOUNT_KEY, type IamState } from './state';

function requirePasswordPolicy(state: IamState): PasswordPolicyRecord {
  const policy = state.passwordPolicy.get(ACCOUNT_KEY);
  if (!policy) throw noSuchEntity(`The Password Policy with domain name ${state.accountId} cannot be found.`);
  return policy;
}

/** GetAccountSummary's SummaryMap: usage of what this emulator holds, IAM's default quotas, zero for the rest. */
function summary(state: IamState): XmlMap {
  const users = state.users.values();
  const groups = state.groups.values();
  const customerArns = new Set(state.policies.values().map((policy) => policy.arn));
  const customerAttachments = [...users, ...groups]
    .flatMap((holder) => holder.attachedPolicyArns)
    .filter((arn) => customerArns.has(arn)).length;
  const mfa = mfaDeviceCounts(state);
  return new XmlMap([
    ['Users', users.length],
    ['UsersQuota', QUOTAS.users],
    ['Groups', groups.length],
    ['GroupsQuota', QUOTAS.groups],
    ['Policies', customerArns.size],
    ['PoliciesQuota', QUOTAS.customerPolicies],
    ['PolicySizeQuota', QUOTAS.policySize],
    ['PolicyVersionsInUse', customerAttachments],
    ['PolicyVersionsInUseQuota', QUOTAS.policyVersionsInUse],
    ['VersionsPerPolicyQuota', QUOTAS.versionsPerPolicy],
    ['GroupsPerUserQuota', QUOTAS.groupsPerUser],
    ['AttachedPoliciesPerUserQuota', QUOTAS.policiesPerUser],
    ['AttachedPoliciesPerGroupQuota', QUOTAS.policiesPerGroup],
    ['AttachedPoliciesPerRoleQuota', QUOTAS.policiesPerRole],
    ['AccessKeysPerUserQuota', QUOTAS.accessKeysPerUser],
    ['SigningCertificatesPerUserQuota', QUOTAS.signingCertificatesPerUser],
    ['UserPolicySizeQuota', QUOTAS.userPolicySize],
    ['GroupPolicySizeQuota', QUOTAS.groupPolicySize],
    ['RolePolicySizeQuota', QUOTAS.rolePolicySize],
    ['AssumeRolePolicySizeQuota', QUOTAS.assumeRolePolicySize],
    ['Roles', 0],
    ['RolesQuota', QUOTAS.roles],
    ['InstanceProfiles', 0],
    ['InstanceProfilesQuota', QUOTAS.instanceProfiles],
    ['ServerCertificates', 0],
    ['ServerCertificatesQuota', QUOTAS.serverCertificates],
    ['Providers', 0],
    ['MFADevices', mfa.devices],
    ['MFADevicesInUse', mfa.inUse],
    ['AccountMFAEnabled', 0],
    ['AccountAccessKeysPresent', 0],
    ['AccountSigningCertificatesPresent', 0],
  ]);
}

export const accountActions: Handlers = {
  GetAccountPasswordPolicy: (_params, state) => {
    const policy = requirePasswordPolicy(state);
    return {
      PasswordPolicy: {
        MinimumPasswordLength: policy.minimumPasswordLength,
        RequireSymbols: policy.requireSymbols,
        RequireNumbers: policy.requireNumbers,
        RequireUppercaseCharacters: policy.requireUppercaseCharacters,
        RequireLowercaseCharacters: policy.requireLowercaseCharacters,
        AllowUsersToChangePassword: policy.allowUsersToChangePassword,
        ExpirePasswords: (policy.maxPasswordAge ?? 0) > 0,
        MaxPasswordAge: policy.maxPasswordAge,
        PasswordReusePrevention: policy.passwordReusePrevention,
        HardExpiry: policy.hardExpiry,
      },
    };
  },

  /** Replaces the whole policy: an omitted parameter takes its default, as in IAM. */
  UpdateAccountPasswordPolicy: (params, state) => {
    state.passwordPolicy.set(ACCOUNT_KEY, {
      minimumPasswordLength:
        params.integer('MinimumPasswordLength', INTEGER_RULES.minimumPasswordLength) ?? 6,
      requireSymbols: params.boolean('RequireSymbols') ?? false,
      requireNumbers: params.boolean('RequireNumbers') ?? false,
      requireUppercaseCharacters: params.boolean('RequireUppercaseCharacters') ?? false,
      requireLowercaseCharacters: params.boolean('RequireLowercaseCharacters') ?? false,
      allowUsersToChangePassword: params.boolean('AllowUsersToChangePassword') ?? false,
      maxPasswordAge: params.integer('MaxPasswordAge', INTEGER_RULES.maxPasswordAge),
      passwordReusePrevention: params.integer(
        'PasswordReusePrevention',
        INTEGER_RULES.passwordReusePrevention,
      ),
      hardExpiry: params.boolean('HardExpiry'),
    });
    return undefined;
  },

  DeleteAccountPasswordPolicy: (_params, state) => {
    requirePasswordPolicy(state);
    state.passwordPolicy.delete(ACCOUNT_KEY);
    return undefined;
  },

  ListAccountAliases: (params, state) => {
    const page = paginate(state.aliases.values(), (record) => record.alias, params);
    return { AccountAliases: page.items.map((record) => record.alias), ...pageFields(page) };
  },

  /** An account has at most one alias: a new one replaces the old. */
  CreateAccountAlias: (params, state) => {
    const alias = params.required('AccountAlias', RULES.accountAlias);
    if (state.aliases.has(alias)) throw entityAlreadyExists(`The account alias ${alias} already exists.`);
    for (const record of state.aliases.values()) state.aliases.delete(record.alias);
    state.aliases.set(alias, { alias });
    return undefined;
  },

  DeleteAccountAlias: (params, state) => {
    const alias = params.required('AccountAlias', RULES.accountAlias);
    if (!state.aliases.delete(alias)) throw noSuchEntity(`The account alias ${alias} cannot be found.`);
    return undefined;
  },

  GetAccountSummary: (_params, state) => ({ SummaryMap: summary(state) }),
};
