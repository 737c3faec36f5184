import { noSuchEntity, policyNotAttachable } from './errors';
import type { ManagedPolicy } from './model';
import type { IamState } from './state';

/** The policy at `arn`, if it may be attached to a user or group. */
export function requireAttachablePolicy(
  state: IamState,
  arn: string,
  entity: 'User' | 'Group',
): ManagedPolicy {
  const policy = state.findPolicy(arn);
  if (!policy) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  if (!policy.isAttachable) throw policyNotAttachable(`Cannot attach a Service Role Policy to a ${entity}.`);
  return policy;
}

/** The policy at `arn`, if it may serve as a user's permissions boundary. */
export function requireBoundaryPolicy(state: IamState, arn: string): ManagedPolicy {
  const policy = state.findPolicy(arn);
  if (!policy) throw noSuchEntity(`Scope ARN: ${arn} does not exist or is not attachable.`);
  if (!policy.isAttachable) throw policyNotAttachable('Cannot attach a Service Role Policy to a User.');
  return policy;
}
