import { requireAttachablePolicy } from './attachments';
import { noSuchEntity, quotaExceeded } from './errors';
import { nameKey } from './model';
import { pageFields, paginate } from './pagination';
import type { Handlers, Params } from './params';
import { QUOTAS } from './quotas';
import { attachedPolicyXml } from './responses';
import { RULES } from './rules';
import type { IamState } from './state';

/** A user or group as a holder of managed policies. */
type Target = {
  kind: 'User' | 'Group';
  arns: readonly string[];
  quota: { name: string; limit: number };
  save: (arns: string[]) => void;
};

function userTarget(params: Params, state: IamState): Target {
  const user = state.requireUser(params.required('UserName', RULES.userName));
  return {
    kind: 'User',
    arns: user.attachedPolicyArns,
    quota: { name: 'PoliciesPerUser', limit: QUOTAS.policiesPerUser },
    save: (arns) => state.users.set(nameKey(user.userName), { ...user, attachedPolicyArns: arns }),
  };
}

function groupTarget(params: Params, state: IamState): Target {
  const group = state.requireGroup(params.required('GroupName', RULES.groupName));
  return {
    kind: 'Group',
    arns: group.attachedPolicyArns,
    quota: { name: 'PoliciesPerGroup', limit: QUOTAS.policiesPerGroup },
    save: (arns) => state.groups.set(nameKey(group.groupName), { ...group, attachedPolicyArns: arns }),
  };
}

/** Attaching an attached policy again succeeds without a change, as in IAM. */
function attach(target: Target, params: Params, state: IamState): undefined {
  const policy = requireAttachablePolicy(state, params.required('PolicyArn', RULES.arn), target.kind);
  if (target.arns.includes(policy.arn)) return undefined;
  if (target.arns.length >= target.quota.limit) throw quotaExceeded(target.quota.name, target.quota.limit);
  target.save([...target.arns, policy.arn]);
  return undefined;
}

function detach(target: Target, params: Params, state: IamState): undefined {
  const arn = params.required('PolicyArn', RULES.arn);
  state.findPolicy(arn);
  if (!target.arns.includes(arn)) throw noSuchEntity(`Policy ${arn} was not found.`);
  target.save(target.arns.filter((attached) => attached !== arn));
  return undefined;
}

function listAttached(target: Target, params: Params, state: IamState) {
  const prefix = params.optional('PathPrefix', RULES.policyPath) ?? '/';
  const policies = target.arns
    .flatMap((arn) => state.findPolicy(arn) ?? [])
    .filter((policy) => policy.path.startsWith(prefix));
  const page = paginate(policies, (policy) => `${nameKey(policy.policyName)} ${policy.policyId}`, params);
  return { AttachedPolicies: page.items.map(attachedPolicyXml), ...pageFields(page) };
}

export const attachmentActions: Handlers = {
  AttachUserPolicy: (params, state) => attach(userTarget(params, state), params, state),
  AttachGroupPolicy: (params, state) => attach(groupTarget(params, state), params, state),
  DetachUserPolicy: (params, state) => detach(userTarget(params, state), params, state),
  DetachGroupPolicy: (params, state) => detach(groupTarget(params, state), params, state),
  ListAttachedUserPolicies: (params, state) => listAttached(userTarget(params, state), params, state),
  ListAttachedGroupPolicies: (params, state) => listAttached(groupTarget(params, state), params, state),
};
