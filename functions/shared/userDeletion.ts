import {
  DeactivateMFADeviceCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteServiceSpecificCredentialCommand,
  DeleteSigningCertificateCommand,
  DeleteSSHPublicKeyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DeleteVirtualMFADeviceCommand,
  DetachUserPolicyCommand,
  GetLoginProfileCommand,
  ListServiceSpecificCredentialsCommand,
  paginateListAccessKeys,
  paginateListAttachedUserPolicies,
  paginateListGroupsForUser,
  paginateListMFADevices,
  paginateListSigningCertificates,
  paginateListSSHPublicKeys,
  paginateListUserPolicies,
  RemoveUserFromGroupCommand,
} from '@aws-sdk/client-iam';
import { IamNotYetConsistentError } from './errors';
import { iam } from './iamClient';
import { iamError, iamErrorCode } from './iamErrors';

/** Everything attached to a user that IAM's DeleteUser requires gone first, in IAM's documented order. */
export type UserDependents = {
  loginProfile: boolean;
  accessKeys: string[];
  signingCertificates: string[];
  sshPublicKeys: string[];
  serviceSpecificCredentials: string[];
  /** Serial numbers; a virtual device's is its ARN (`...:mfa/<name>`), deleted after deactivation. */
  mfaDevices: string[];
  inlinePolicies: string[];
  managedPolicies: string[];
  groups: string[];
};

/** Reads what the user has (read-only: what a deletion would remove), or undefined when it is gone. */
export async function userDependents(userName: string): Promise<UserDependents | undefined> {
  const UserName = userName;
  const client = { client: iam };
  let action = 'GetLoginProfile'; // the call under way, named in its failure
  try {
    const loginProfile = await exists(() => iam.send(new GetLoginProfileCommand({ UserName })));
    const dependents: UserDependents = {
      loginProfile,
      accessKeys: [],
      signingCertificates: [],
      sshPublicKeys: [],
      serviceSpecificCredentials: [],
      mfaDevices: [],
      inlinePolicies: [],
      managedPolicies: [],
      groups: [],
    };
    action = 'ListAccessKeys';
    for await (const page of paginateListAccessKeys(client, { UserName }))
      dependents.accessKeys.push(...ids(page.AccessKeyMetadata, 'AccessKeyId'));
    action = 'ListSigningCertificates';
    for await (const page of paginateListSigningCertificates(client, { UserName }))
      dependents.signingCertificates.push(...ids(page.Certificates, 'CertificateId'));
    action = 'ListSSHPublicKeys';
    for await (const page of paginateListSSHPublicKeys(client, { UserName }))
      dependents.sshPublicKeys.push(...ids(page.SSHPublicKeys, 'SSHPublicKeyId'));
    action = 'ListServiceSpecificCredentials';
    // Not paginated: IAM allows two per service, and answers them all at once.
    const credentials = await iam.send(new ListServiceSpecificCredentialsCommand({ UserName }));
    dependents.serviceSpecificCredentials.push(
      ...ids(credentials.ServiceSpecificCredentials, 'ServiceSpecificCredentialId'),
    );
    action = 'ListMFADevices';
    for await (const page of paginateListMFADevices(client, { UserName }))
      dependents.mfaDevices.push(...ids(page.MFADevices, 'SerialNumber'));
    action = 'ListUserPolicies';
    for await (const page of paginateListUserPolicies(client, { UserName }))
      dependents.inlinePolicies.push(...(page.PolicyNames ?? []));
    action = 'ListAttachedUserPolicies';
    for await (const page of paginateListAttachedUserPolicies(client, { UserName }))
      dependents.managedPolicies.push(...ids(page.AttachedPolicies, 'PolicyArn'));
    action = 'ListGroupsForUser';
    for await (const page of paginateListGroupsForUser(client, { UserName }))
      dependents.groups.push(...ids(page.Groups, 'GroupName'));
    return dependents;
  } catch (error) {
    if (iamErrorCode(error) === 'NoSuchEntity') return undefined;
    throw iamError(action, error);
  }
}

/**
 * Deletes the user as IAM documents it for programmatic deletion: every dependent in order (login
 * profile, access keys, signing certificates, SSH public keys, service-specific credentials, MFA
 * devices deactivated then virtual ones deleted, inline policies, attached managed policies, group
 * memberships), then DeleteUser. Idempotent: what is already gone is skipped, so a retry after a
 * crash converges. A dependent added meanwhile makes DeleteUser answer DeleteConflict, a retryable
 * error: the retry lists again. Returns what was removed, or undefined when the user was already gone.
 */
export async function deleteUserAndDependents(userName: string): Promise<UserDependents | undefined> {
  const dependents = await userDependents(userName);
  if (!dependents) return undefined;
  const UserName = userName;
  if (dependents.loginProfile)
    await gone('DeleteLoginProfile', () => iam.send(new DeleteLoginProfileCommand({ UserName })));
  for (const AccessKeyId of dependents.accessKeys)
    await gone('DeleteAccessKey', () => iam.send(new DeleteAccessKeyCommand({ UserName, AccessKeyId })));
  for (const CertificateId of dependents.signingCertificates)
    await gone('DeleteSigningCertificate', () =>
      iam.send(new DeleteSigningCertificateCommand({ UserName, CertificateId })),
    );
  for (const SSHPublicKeyId of dependents.sshPublicKeys)
    await gone('DeleteSSHPublicKey', () =>
      iam.send(new DeleteSSHPublicKeyCommand({ UserName, SSHPublicKeyId })),
    );
  for (const ServiceSpecificCredentialId of dependents.serviceSpecificCredentials)
    await gone('DeleteServiceSpecificCredential', () =>
      iam.send(new DeleteServiceSpecificCredentialCommand({ UserName, ServiceSpecificCredentialId })),
    );
  for (const SerialNumber of dependents.mfaDevices) {
    await gone('DeactivateMFADevice', () =>
      iam.send(new DeactivateMFADeviceCommand({ UserName, SerialNumber })),
    );
    if (isVirtualMfa(SerialNumber))
      await gone('DeleteVirtualMFADevice', () =>
        iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber })),
      );
  }
  for (const PolicyName of dependents.inlinePolicies)
    await gone('DeleteUserPolicy', () => iam.send(new DeleteUserPolicyCommand({ UserName, PolicyName })));
  for (const PolicyArn of dependents.managedPolicies)
    await gone('DetachUserPolicy', () => iam.send(new DetachUserPolicyCommand({ UserName, PolicyArn })));
  for (const GroupName of dependents.groups)
    await gone('RemoveUserFromGroup', () =>
      iam.send(new RemoveUserFromGroupCommand({ UserName, GroupName })),
    );
  try {
    await iam.send(new DeleteUserCommand({ UserName }));
  } catch (error) {
    const code = iamErrorCode(error);
    if (code === 'NoSuchEntity') return dependents;
    if (code === 'DeleteConflict')
      throw new IamNotYetConsistentError(
        `User ${userName} got a new dependent while being deleted: ${String(error)}`,
        {
          cause: error,
        },
      );
    throw iamError('DeleteUser', error);
  }
  return dependents;
}

/** A virtual MFA device's serial is its ARN; hardware and FIDO devices are only deactivated. */
function isVirtualMfa(serialNumber: string): boolean {
  return /^arn:aws[\w-]*:iam::\d{12}:mfa\//.test(serialNumber);
}

/** True when the call answers, false when IAM says NoSuchEntity. */
async function exists(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (error) {
    if (iamErrorCode(error) === 'NoSuchEntity') return false;
    throw error;
  }
}

/** One deletion: NoSuchEntity means it is gone already (a retry), anything else is wrapped. */
async function gone(action: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (iamErrorCode(error) !== 'NoSuchEntity') throw iamError(action, error);
  }
}

function ids<T, K extends keyof T>(items: T[] | undefined, key: K): string[] {
  return (items ?? []).map((item) => item[key]).filter((id): id is T[K] & string => typeof id === 'string');
}
