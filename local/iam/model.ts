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
