import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  paginateListAttachedUserPolicies,
  paginateListGroupsForUser,
} from '@aws-sdk/client-iam';
import { describeAwsFailure, isAccessDenied, isThrottling } from './awsErrors';
import { iam } from './clients';
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

/** The IAM path of every user and group the onboarding creates (and of template groups it may copy). */
export const ONBOARDED_PATH = '/onboarded/';

/**
 * Tags the onboarding reads back: who the user is, which emails were already sent (on the
 * temporary-password secret) and that the user was notified (on the user, once both are out).
 */
/** The tag that marks a user as this project's: only such users are ever adopted or changed. */
export const MANAGED_BY = { key: 'managedBy', value: 'iam-onboarding' } as const;

export const TAG_KEYS = {
  employeeId: 'employeeId',
  eventId: 'eventId',
  welcomeSent: 'onboarding:welcomeSent',
  passwordSent: 'onboarding:passwordSent',
  notified: 'onboarding:notified',
} as const;

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

/** A tag value IAM accepts: disallowed characters become `_`, at most 256 characters. */
export function iamTagValue(value: string): string {
  return Array.from(value.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, '_'))
    .slice(0, 256)
    .join('');
}

/** The value of one tag in an IAM tag list, if present. */
export function tagValue(
  tags: readonly { Key?: string; Value?: string }[] | undefined,
  key: string,
): string | undefined {
  return tags?.find((tag) => tag.Key === key)?.Value;
}

/** Attaches a managed policy to a user (a no-op when attached already). */
export async function attachUserPolicy(userName: string, policyArn: string): Promise<void> {
  const command = new AttachUserPolicyCommand({ UserName: userName, PolicyArn: policyArn });
  await callIam('AttachUserPolicy', () => iam.send(command), policyArn);
}

/** Adds a user to a group (a no-op when a member already). */
export async function addUserToGroup(userName: string, groupName: string): Promise<void> {
  const command = new AddUserToGroupCommand({ GroupName: groupName, UserName: userName });
  await callIam('AddUserToGroup', () => iam.send(command));
}

export type UserGrants = {
  groups: { name: string; path: string; arn: string }[];
  /** ARNs of the managed policies attached to the user directly. */
  policies: string[];
};

/** A user's groups and directly attached managed policies, or undefined when the user does not exist. */
export async function userGrants(userName: string): Promise<UserGrants | undefined> {
  const grants: UserGrants = { groups: [], policies: [] };
  let action = 'ListGroupsForUser';
  try {
    for await (const page of paginateListGroupsForUser({ client: iam }, { UserName: userName })) {
      for (const { GroupName, Path, Arn } of page.Groups ?? []) {
        if (GroupName && Arn) grants.groups.push({ name: GroupName, path: Path ?? '', arn: Arn });
      }
    }
    action = 'ListAttachedUserPolicies';
    for await (const page of paginateListAttachedUserPolicies({ client: iam }, { UserName: userName })) {
      for (const { PolicyArn } of page.AttachedPolicies ?? []) if (PolicyArn) grants.policies.push(PolicyArn);
    }
  } catch (error) {
    if (iamErrorCode(error) === 'NoSuchEntity') return undefined;
    throw iamError(action, error);
  }
  return grants;
}
