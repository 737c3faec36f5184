import type { Collection, JournalStore } from '../store';
import { invalidInput, noSuchEntity } from './errors';
import { AWS_MANAGED_POLICIES } from './managedPolicies';
import {
  type AccessKeyRecord,
  type AccountAliasRecord,
  type CustomerPolicyRecord,
  type GroupRecord,
  type LoginProfileRecord,
  type ManagedPolicy,
  nameKey,
  type PasswordPolicyRecord,
  type ServiceCredentialRecord,
  type SigningCertificateRecord,
  type SshPublicKeyRecord,
  type UserPolicyRecord,
  type UserRecord,
  type VirtualMfaDeviceRecord,
} from './model';

/** The key of the account's single password policy. */
export const ACCOUNT_KEY = 'account';

const POLICY_ARN = /^arn:aws:iam::(aws|\d{12}):policy(\/|\/.*\/)([^/]+)$/;

/** The IAM account's durable state, one journal collection per entity kind, plus lookups. */
export class IamState {
  readonly users: Collection<UserRecord>;
  readonly groups: Collection<GroupRecord>;
  readonly policies: Collection<CustomerPolicyRecord>;
  readonly loginProfiles: Collection<LoginProfileRecord>;
  readonly passwordPolicy: Collection<PasswordPolicyRecord>;
  readonly aliases: Collection<AccountAliasRecord>;
  readonly accessKeys: Collection<AccessKeyRecord>;
  readonly signingCertificates: Collection<SigningCertificateRecord>;
  readonly sshPublicKeys: Collection<SshPublicKeyRecord>;
  readonly serviceCredentials: Collection<ServiceCredentialRecord>;
  readonly mfaDevices: Collection<VirtualMfaDeviceRecord>;
  readonly userPolicies: Collection<UserPolicyRecord>;

  constructor(
    store: JournalStore,
    readonly accountId: string,
  ) {
    this.users = store.collection('users');
    this.groups = store.collection('groups');
    this.policies = store.collection('policies');
    this.loginProfiles = store.collection('loginProfiles');
    this.passwordPolicy = store.collection('passwordPolicy');
    this.aliases = store.collection('accountAliases');
    this.accessKeys = store.collection('accessKeys');
    this.signingCertificates = store.collection('signingCertificates');
    this.sshPublicKeys = store.collection('sshPublicKeys');
    this.serviceCredentials = store.collection('serviceSpecificCredentials');
    this.mfaDevices = store.collection('virtualMfaDevices');
    this.userPolicies = store.collection('userPolicies');
  }

  requireUser(userName: string): UserRecord {
    const user = this.users.get(nameKey(userName));
    if (!user) throw noSuchEntity(`The user with name ${userName} cannot be found.`);
    return user;
  }

  requireGroup(groupName: string): GroupRecord {
    const group = this.groups.get(nameKey(groupName));
    if (!group) throw noSuchEntity(`The group with name ${groupName} cannot be found.`);
    return group;
  }

  /** The AWS managed or customer managed policy at `arn`; InvalidInput when `arn` is not a policy ARN. */
  findPolicy(arn: string): ManagedPolicy | undefined {
    const match = POLICY_ARN.exec(arn);
    if (!match) throw invalidInput(`ARN ${arn} is not valid.`);
    if (match[1] === 'aws') return AWS_MANAGED_POLICIES.find((policy) => policy.arn === arn);
    const record = this.policies.get(nameKey(match[3] ?? ''));
    return record && record.arn === arn ? customerPolicy(record) : undefined;
  }

  allPolicies(): ManagedPolicy[] {
    return [...AWS_MANAGED_POLICIES, ...this.policies.values().map(customerPolicy)];
  }

  /** How many users and groups have `arn` attached. */
  attachmentCount(arn: string): number {
    const holders = [...this.users.values(), ...this.groups.values()];
    return holders.filter((holder) => holder.attachedPolicyArns.includes(arn)).length;
  }

  permissionsBoundaryUsageCount(arn: string): number {
    return this.users.values().filter((user) => user.permissionsBoundaryArn === arn).length;
  }

  /** The records of `collection` that belong to the user with key `userKey`. */
  ownedBy<T extends { userKey?: string }>(collection: Collection<T>, userKey: string): T[] {
    return collection.values().filter((record) => record.userKey === userKey);
  }

  groupMembers(groupKey: string): UserRecord[] {
    return this.users.values().filter((user) => user.groupKeys.includes(groupKey));
  }
}

/** The API view of a stored customer managed policy: one version, v1, always attachable. */
export function customerPolicy(record: CustomerPolicyRecord): ManagedPolicy {
  return {
    ...record,
    defaultVersionId: 'v1',
    updateDate: record.createDate,
    isAttachable: true,
    awsManaged: false,
  };
}
