import { deleteConflict, entityAlreadyExists, noSuchEntity, quotaExceeded } from './errors';
import { entityArn, ID_PREFIX, isoNow, newId } from './ids';
import { type CustomerPolicyRecord, type ManagedPolicy, nameKey } from './model';
import { pageFields, paginate } from './pagination';
import type { Handlers, Params } from './params';
import { encodeDocument, validatePolicyDocument } from './policyDocument';
import { QUOTAS } from './quotas';
import { policyXml } from './responses';
import { RULES } from './rules';
import { customerPolicy, type IamState } from './state';

const SCOPES = ['All', 'AWS', 'Local'] as const;

function requirePolicy(params: Params, state: IamState): ManagedPolicy {
  const arn = params.required('PolicyArn', RULES.arn);
  const policy = state.findPolicy(arn);
  if (!policy) throw noSuchEntity(`Policy ${arn} was not found.`);
  return policy;
}

export const policyActions: Handlers = {
  CreatePolicy: (params, state) => {
    const policyName = params.required('PolicyName', RULES.policyName);
    const path = params.optional('Path', RULES.policyPath) ?? '/';
    const document = params.required('PolicyDocument', RULES.policyDocument);
    const description = params.optional('Description', RULES.policyDescription);
    const tags = params.tags();
    validatePolicyDocument(document);
    const key = nameKey(policyName);
    if (state.policies.has(key)) {
      throw entityAlreadyExists(
        `A policy called ${policyName} already exists. Duplicate names are not allowed.`,
      );
    }
    if (state.policies.size >= QUOTAS.customerPolicies) {
      throw quotaExceeded('PoliciesPerAccount', QUOTAS.customerPolicies);
    }
    const record: CustomerPolicyRecord = {
      policyName,
      policyId: newId(ID_PREFIX.policy),
      arn: entityArn(state.accountId, 'policy', path, policyName),
      path,
      description,
      document,
      createDate: isoNow(),
      tags,
    };
    state.policies.set(key, record);
    return { Policy: policyXml(customerPolicy(record), state, 'full') };
  },

  GetPolicy: (params, state) => ({ Policy: policyXml(requirePolicy(params, state), state, 'full') }),

  ListPolicies: (params, state) => {
    const scope = params.oneOf('Scope', SCOPES) ?? 'All';
    const onlyAttached = params.boolean('OnlyAttached') ?? false;
    const prefix = params.optional('PathPrefix', RULES.policyPath) ?? '/';
    const policies = state
      .allPolicies()
      .filter((policy) => scope === 'All' || policy.awsManaged === (scope === 'AWS'))
      .filter((policy) => !onlyAttached || state.attachmentCount(policy.arn) > 0)
      .filter((policy) => policy.path.startsWith(prefix));
    const page = paginate(policies, (policy) => `${nameKey(policy.policyName)} ${policy.policyId}`, params);
    return { Policies: page.items.map((policy) => policyXml(policy, state, 'listing')), ...pageFields(page) };
  },

  DeletePolicy: (params, state) => {
    const policy = requirePolicy(params, state);
    if (policy.awsManaged) throw noSuchEntity(`Policy ${policy.arn} was not found.`);
    if (state.attachmentCount(policy.arn) > 0 || state.permissionsBoundaryUsageCount(policy.arn) > 0) {
      throw deleteConflict('Cannot delete a policy attached to entities.');
    }
    state.policies.delete(nameKey(policy.policyName));
    return undefined;
  },

  GetPolicyVersion: (params, state) => {
    const policy = requirePolicy(params, state);
    const versionId = params.required('VersionId', RULES.policyVersionId);
    if (versionId !== policy.defaultVersionId) {
      throw noSuchEntity(`Policy ${policy.arn} version ${versionId} does not exist or is not attachable.`);
    }
    return {
      PolicyVersion: {
        Document: encodeDocument(policy.document),
        VersionId: versionId,
        IsDefaultVersion: true,
        CreateDate: policy.updateDate,
      },
    };
  },
};
