import { describeAwsFailure, isAccessDenied, isThrottling } from './awsErrors';
import {
  AccessDeniedError,
  IamLimitExceededError,
  IamNotYetConsistentError,
  IamRequestRejectedError,
  IamServiceError,
  IamThrottledError,
  PasswordPolicyViolationError,
  PolicyNotFoundError,
} from './errors';

// IAM answers these while another change to the same entity is in flight: worth a retry.
const BUSY_CODES = new Set(['ConcurrentModification', 'EntityTemporarilyUnmodifiable']);

/**
 * AWS's error code without the SDK's `Exception` suffix: the SDK names IAM's `NoSuchEntity`
 * `NoSuchEntityException` but leaves unmodelled codes such as `Throttling` as they are.
 */
export function iamErrorCode(error: unknown): string {
  return describeAwsFailure(error).code.replace(/Exception$/, '');
}

/**
 * Wraps an IAM SDK failure in the error class Step Functions matches on. `NoSuchEntity` means an
 * entity we just created or listed is not visible yet (retryable), unless its message names
 * `policyArn`: then the policy does not exist (permanent, as is PolicyNotAttachable). Every other code (InvalidInput,
 * ValidationError, AccessDenied, MalformedPolicyDocument...) is a permanent IamRequestRejectedError.
 */
export function iamError(action: string, error: unknown, policyArn?: string): Error {
  const failure = describeAwsFailure(error);
  const code = iamErrorCode(error);
  const message = `IAM ${action} failed: ${code}: ${failure.message}`;
  const options = { cause: error };
  if (isThrottling(failure)) return new IamThrottledError(message, options);
  if (isAccessDenied(failure)) return new AccessDeniedError(message, options);
  if (failure.transient || BUSY_CODES.has(code)) return new IamServiceError(message, options);
  if (code === 'LimitExceeded') return new IamLimitExceededError(message, options);
  if (code === 'PasswordPolicyViolation') return new PasswordPolicyViolationError(message, options);
  if (code === 'PolicyNotAttachable') return new PolicyNotFoundError(message, options);
  if (code === 'NoSuchEntity') {
    return policyArn !== undefined && failure.message.includes(policyArn)
      ? new PolicyNotFoundError(message, options)
      : new IamNotYetConsistentError(message, options);
  }
  return new IamRequestRejectedError(message, options);
}

/** Runs one IAM call, wrapping any failure with {@link iamError}. */
export async function callIam<T>(action: string, call: () => Promise<T>, policyArn?: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw iamError(action, error, policyArn);
  }
}
