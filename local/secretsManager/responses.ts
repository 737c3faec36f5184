import type { JsonObject } from '../aws/jsonProtocol';
import type { StoredSecret } from './model';

export function listEntry(secret: StoredSecret): JsonObject {
  const labelled = secret.versions.filter((v) => v.stages.length > 0);
  return {
    ARN: secret.arn,
    Name: secret.name,
    ...(secret.description !== undefined ? { Description: secret.description } : {}),
    ...(secret.kmsKeyId !== undefined ? { KmsKeyId: secret.kmsKeyId } : {}),
    LastChangedDate: secret.lastChangedDate,
    ...(secret.lastAccessedDate !== undefined ? { LastAccessedDate: secret.lastAccessedDate } : {}),
    ...(secret.deletedDate !== undefined ? { DeletedDate: secret.deletedDate } : {}),
    ...(secret.tags.length > 0 ? { Tags: secret.tags.map((t) => ({ ...t })) } : {}),
    ...(labelled.length > 0
      ? { SecretVersionsToStages: Object.fromEntries(labelled.map((v) => [v.versionId, [...v.stages]])) }
      : {}),
    CreatedDate: secret.createdDate,
  };
}
