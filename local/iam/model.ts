/** Entities as stored in the journal (JSON). Keys are lower-cased names: IAM names are unique case-insensitively. */

export type Tag = { key: string; value: string };

export type UserRecord = {
  userName: string;
  path: string;
  userId: string;
  arn: string;
  createDate: string;
  permissionsBoundaryArn?: string;
  tags: Tag[];
  /** Keys of the groups the user belongs to. */
  groupKeys: string[];
  attachedPolicyArns: string[];
};

export type GroupRecord = {
  groupName: string;
  path: string;
  groupId: string;
  arn: string;
  createDate: string;
  attachedPolicyArns: string[];
};

export type CustomerPolicyRecord = {
  policyName: string;
  policyId: string;
  arn: string;
  path: string;
  description?: string;
  /** As submitted: IAM returns the document with its original formatting. */
  document: string;
  createDate: string;
  tags: Tag[];
};

export type LoginProfileRecord = {
  userName: string;
  createDate: string;
  passwordResetRequired: boolean;
  /** `scrypt$<salt>$<hash>` (base64); the password itself is never stored. */
  passwordHash: string;
};

export type PasswordPolicyRecord = {
  minimumPasswordLength: number;
  requireSymbols: boolean;
  requireNumbers: boolean;
  requireUppercaseCharacters: boolean;
  requireLowercaseCharacters: boolean;
  allowUsersToChangePassword: boolean;
  maxPasswordAge?: number;
  passwordReusePrevention?: number;
  hardExpiry?: boolean;
};

export type AccountAliasRecord = { alias: string };

/** Active, Inactive or Expired (the API's statusType; IAM itself sets Expired). */
export type CredentialStatus = 'Active' | 'Inactive' | 'Expired';

/** A user's dependents are keyed by their own id and name their user by key (`nameKey(userName)`). */
export type AccessKeyRecord = {
  accessKeyId: string;
  userKey: string;
  status: CredentialStatus;
  /** Kept so that a key can sign requests; IAM returns it only from CreateAccessKey. */
  secretAccessKey: string;
  createDate: string;
  lastUsed?: { date: string; serviceName: string; region: string };
};

export type SigningCertificateRecord = {
  certificateId: string;
  userKey: string;
  /** As uploaded. */
  certificateBody: string;
  /** SHA-256 of the DER encoding, to refuse the same certificate twice in the account. */
  fingerprint: string;
  status: CredentialStatus;
  uploadDate: string;
};

export type SshPublicKeyRecord = {
  sshPublicKeyId: string;
  userKey: string;
  /** The key in OpenSSH form (`ssh-rsa AAAA...`), whatever form it was uploaded in. */
  sshBody: string;
  /** The key as a PEM SubjectPublicKeyInfo, for GetSSHPublicKey's PEM encoding. */
  pemBody: string;
  /** MD5 of the OpenSSH key blob, colon-separated hex, as IAM shows it. */
  fingerprint: string;
  status: CredentialStatus;
  uploadDate: string;
};

export type ServiceCredentialRecord = {
  serviceSpecificCredentialId: string;
  userKey: string;
  serviceName: string;
  /** CodeCommit and Keyspaces: `<user>-at-<account>` and a password. */
  serviceUserName?: string;
  /** Bedrock and CloudWatch Logs API keys: an alias and a secret. */
  serviceCredentialAlias?: string;
  status: CredentialStatus;
  createDate: string;
  expirationDate?: string;
};

/** A virtual MFA device, keyed by its serial number (its ARN). */
export type VirtualMfaDeviceRecord = {
  serialNumber: string;
  path: string;
  name: string;
  /** The TOTP secret, base32 (RFC 4648, no padding). */
  base32Seed: string;
  createDate: string;
  tags: Tag[];
  /** Set while the device is enabled for a user. */
  userKey?: string;
  enableDate?: string;
};

/** An inline policy embedded in a user, keyed by `<userKey>/<nameKey(policyName)>`. */
export type UserPolicyRecord = {
  userKey: string;
  policyName: string;
  /** As submitted. */
  document: string;
};

/** A managed policy as the API shows it, whether AWS managed or customer managed. */
export type ManagedPolicy = {
  policyName: string;
  policyId: string;
  arn: string;
  path: string;
  defaultVersionId: string;
  description?: string;
  document: string;
  createDate: string;
  updateDate: string;
  isAttachable: boolean;
  tags: Tag[];
  awsManaged: boolean;
};

export const nameKey = (name: string) => name.toLowerCase();
