import { AwsError } from '../aws/types';

// Codes and HTTP statuses as in IAM's service model (2010-05-08).
export const noSuchEntity = (message: string) => new AwsError(404, 'NoSuchEntity', message);
export const entityAlreadyExists = (message: string) => new AwsError(409, 'EntityAlreadyExists', message);
export const deleteConflict = (message: string) => new AwsError(409, 'DeleteConflict', message);
export const limitExceeded = (message: string) => new AwsError(409, 'LimitExceeded', message);
export const invalidInput = (message: string) => new AwsError(400, 'InvalidInput', message);
export const validationError = (message: string) => new AwsError(400, 'ValidationError', message);
export const passwordPolicyViolation = () =>
  new AwsError(400, 'PasswordPolicyViolation', 'Password does not conform to the account password policy.');
export const policyNotAttachable = (message: string) => new AwsError(400, 'PolicyNotAttachable', message);
export const malformedPolicyDocument = (message: string) =>
  new AwsError(400, 'MalformedPolicyDocument', message);
export const malformedCertificate = (message: string) => new AwsError(400, 'MalformedCertificate', message);
export const duplicateCertificate = (message: string) => new AwsError(409, 'DuplicateCertificate', message);
export const invalidPublicKey = (message: string) => new AwsError(400, 'InvalidPublicKey', message);
export const duplicateSshPublicKey = (message: string) => new AwsError(400, 'DuplicateSSHPublicKey', message);
export const unrecognizedPublicKeyEncoding = (message: string) =>
  new AwsError(400, 'UnrecognizedPublicKeyEncoding', message);
export const invalidAuthenticationCode = (message: string) =>
  new AwsError(403, 'InvalidAuthenticationCode', message);
export const invalidAction = (action: string) =>
  new AwsError(400, 'InvalidAction', `Could not find operation ${action} for version 2010-05-08`);
export const serviceFailure = () =>
  new AwsError(
    500,
    'ServiceFailure',
    'The request processing has failed because of an unknown error, exception or failure.',
  );

/** IAM's wording for every per-account and per-entity quota. */
export const quotaExceeded = (quota: string, limit: number) =>
  limitExceeded(`Cannot exceed quota for ${quota}: ${limit}`);
