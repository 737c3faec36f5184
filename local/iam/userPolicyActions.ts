import { limitExceeded, noSuchEntity } from './errors';
import { nameKey, type UserPolicyRecord, type UserRecord } from './model';
import { pageFields, paginate } from './pagination';
import type { Handlers, Params } from './params';
import { encodeDocument, policySize, validatePolicyDocument } from './policyDocument';
import { QUOTAS } from './quotas';
import { RULES } from './rules';
import type { IamState } from './state';

const policyKey = (user: UserRecord, policyName: string) =>
  `${nameKey(user.userName)}/${nameKey(policyName)}`;

function requireUserPolicy(params: Params, state: IamState) {
  const user = state.requireUser(params.required('UserName', RULES.existingUserName));
  const policyName = params.required('PolicyName', RULES.policyName);
  const policy = state.userPolicies.get(policyKey(user, policyName));
  if (!policy) throw noSuchEntity(`The user policy with name ${policyName} cannot be found.`);
  return { user, policy };
}

/**
 * Inline policies embedded in a user. A document is validated as for managed policies; the size
 * quota is the user's aggregate (2,048 characters of all its inline policies, whitespace not counted).
 */
export const userPolicyActions: Handlers = {
  PutUserPolicy: (params, state) => {
    const user = state.requireUser(params.required('UserName', RULES.existingUserName));
    const policyName = params.required('PolicyName', RULES.policyName);
    const document = params.required('PolicyDocument', RULES.policyDocument);
    validatePolicyDocument(document, { managedSize: false });
    const key = policyKey(user, policyName);
    const others = state
      .ownedBy(state.userPolicies, nameKey(user.userName))
      .filter((policy) => policyKey(user, policy.policyName) !== key);
    const aggregate = [...others.map((policy) => policy.document), document].reduce(
      (size, text) => size + policySize(text),
      0,
    );
    if (aggregate > QUOTAS.userPolicySize) {
      throw limitExceeded(
        `Maximum policy size of ${QUOTAS.userPolicySize} bytes exceeded for user ${user.userName}`,
      );
    }
    const record: UserPolicyRecord = { userKey: nameKey(user.userName), policyName, document };
    state.userPolicies.set(key, record);
    return undefined;
  },

  /** The document URL-encoded, as IAM returns it (SDKs leave decoding to the caller). */
  GetUserPolicy: (params, state) => {
    const { user, policy } = requireUserPolicy(params, state);
    return {
      UserName: user.userName,
      PolicyName: policy.policyName,
      PolicyDocument: encodeDocument(policy.document),
    };
  },

  ListUserPolicies: (params, state) => {
    const user = state.requireUser(params.required('UserName', RULES.existingUserName));
    const policies = state.ownedBy(state.userPolicies, nameKey(user.userName));
    const page = paginate(policies, (policy) => nameKey(policy.policyName), params);
    return { PolicyNames: page.items.map((policy) => policy.policyName), ...pageFields(page) };
  },

  DeleteUserPolicy: (params, state) => {
    const { user, policy } = requireUserPolicy(params, state);
    state.userPolicies.delete(policyKey(user, policy.policyName));
    return undefined;
  },
};
