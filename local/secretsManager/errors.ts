import { AwsError } from '../aws/types';

// Secrets Manager's error codes (all HTTP 400) and the messages AWS words them with.

export const MESSAGES = {
  notFound: "Secrets Manager can't find the specified secret.",
  markedForDeletion: "You can't perform this operation on the secret because it was marked for deletion.",
  alreadyMarkedDeleted: "You tried to perform the operation on a secret that's currently marked deleted.",
  createScheduled:
    "You can't create this secret because a secret with this name is already scheduled for deletion.",
  invalidName:
    'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
  bothValues: "You can't specify both a binary secret value and a string secret value in the same secret.",
  noValue: 'You must provide either SecretString or SecretBinary.',
  noToken: 'You must provide a ClientRequestToken value. We recommend a UUID-type value.',
  modifyVersion: "You can't modify an existing version, you can only create a new version.",
  forceAndWindow: "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
  window: 'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).',
  stageMismatch: 'You provided a VersionStage that is not associated to the provided VersionId.',
  nextToken: 'The NextToken value is invalid.',
} as const;

export const invalidParameter = (message: string) => new AwsError(400, 'InvalidParameterException', message);

export const invalidRequest = (message: string) => new AwsError(400, 'InvalidRequestException', message);

export const notFound = (message: string = MESSAGES.notFound) =>
  new AwsError(400, 'ResourceNotFoundException', message);

export const resourceExists = (message: string) => new AwsError(400, 'ResourceExistsException', message);
