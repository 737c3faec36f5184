/** The records the Secrets Manager emulator keeps in its JournalStore collection. */

export type Tag = { Key: string; Value: string };

export type StoredVersion = {
  versionId: string;
  secretString?: string;
  /** Base64 of the bytes, as the JSON protocol carries blobs. */
  secretBinary?: string;
  stages: string[];
  /** Epoch seconds. */
  createdDate: number;
};

export type StoredSecret = {
  name: string;
  arn: string;
  description?: string;
  kmsKeyId?: string;
  tags: Tag[];
  versions: StoredVersion[];
  createdDate: number;
  lastChangedDate: number;
  /** Midnight UTC of the last GetSecretValue day, as AWS reports it. */
  lastAccessedDate?: number;
  /** When DeleteSecret scheduled the deletion. */
  deletedDate?: number;
  /** End of the recovery window: the secret is gone after this instant. */
  deletionDate?: number;
};

export type SecretValue = { secretString?: string; secretBinary?: string };

export const AWSCURRENT = 'AWSCURRENT';

export const AWSPREVIOUS = 'AWSPREVIOUS';
