import { type Decision, evaluate, type NamedPolicy, type RequestContext } from '../authz/policyEvaluation';
import { invalidInput, noSuchEntity } from './errors';
import { nameKey, type UserRecord } from './model';
import type { Handlers, Params } from './params';
import { RULES } from './rules';
import type { IamState } from './state';

const DECISIONS: Record<Decision['decision'], string> = {
  Allow: 'allowed',
  ExplicitDeny: 'explicitDeny',
  ImplicitDeny: 'implicitDeny',
};

/**
 * SimulatePrincipalPolicy for IAM users: the managed policies attached to the user and to its
 * groups, within its permissions boundary, evaluated for each action and resource with the
 * context entries given (plus the user's own aws:username, aws:userid and aws:PrincipalArn, which
 * policy variables such as `${aws:username}` need). Role and group sources are not emulated.
 */
export const simulationActions: Handlers = {
  SimulatePrincipalPolicy: (params, state) => {
    const source = params.required('PolicySourceArn', RULES.arn);
    const actions = params.list('ActionNames', { min: 3, max: 128 }, { required: true, max: 1000 });
    const resources = params.list('ResourceArns', { min: 1, max: 2048 }, { required: false, max: 1000 });
    const user = userOf(source, state);
    const policies = userPolicies(user, state);
    const keys = { ...contextEntries(params), ...principalKeys(user, state.accountId) };
    const results = actions.flatMap((action) =>
      (resources.length > 0 ? resources : ['*']).map((resource) => {
        const context: RequestContext = { action, resource, keys };
        const decision = evaluate(context, policies);
        const boundary = policies.boundary && evaluate(context, { identity: [policies.boundary] });
        return {
          EvalActionName: action,
          EvalResourceName: resource,
          EvalDecision: DECISIONS[decision.decision],
          MatchedStatements: decision.statement
            ? [{ SourcePolicyId: decision.statement.policy, SourcePolicyType: 'IAM Policy' }]
            : [],
          MissingContextValues: [],
          ...(boundary && {
            PermissionsBoundaryDecisionDetail: {
              AllowedByPermissionsBoundary: boundary.decision === 'Allow',
            },
          }),
        };
      }),
    );
    return { EvaluationResults: results, IsTruncated: false };
  },
};

function userOf(arn: string, state: IamState): UserRecord {
  const match = /^arn:aws:iam::(\d{12}):user\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (!match?.[2]) throw invalidInput(`Invalid ARN ${arn}: only IAM users can be simulated here.`);
  const user = state.users.get(nameKey(match[2]));
  if (!user || user.arn !== arn) throw noSuchEntity(`The user with ARN ${arn} cannot be found.`);
  return user;
}

/** The user's identity policies (its own and its groups' managed policies, its inline policies) and its boundary. */
export function userPolicies(
  user: UserRecord,
  state: IamState,
): { identity: NamedPolicy[]; boundary?: NamedPolicy } {
  const groupArns = user.groupKeys.flatMap((key) => state.groups.get(key)?.attachedPolicyArns ?? []);
  const managed = [...new Set([...user.attachedPolicyArns, ...groupArns])].flatMap((arn) => {
    const policy = state.findPolicy(arn);
    return policy ? [{ name: arn, document: JSON.parse(policy.document) }] : [];
  });
  const inline = state
    .ownedBy(state.userPolicies, nameKey(user.userName))
    .map((policy) => ({ name: `${user.arn}/${policy.policyName}`, document: JSON.parse(policy.document) }));
  const identity = [...managed, ...inline];
  const boundaryPolicy = user.permissionsBoundaryArn
    ? state.findPolicy(user.permissionsBoundaryArn)
    : undefined;
  return {
    identity,
    ...(boundaryPolicy && {
      boundary: { name: boundaryPolicy.arn, document: JSON.parse(boundaryPolicy.document) },
    }),
  };
}

function principalKeys(user: UserRecord, accountId: string): RequestContext['keys'] {
  return {
    'aws:username': user.userName,
    'aws:userid': user.userId,
    'aws:PrincipalArn': user.arn,
    'aws:PrincipalAccount': accountId,
    'aws:PrincipalType': 'User',
  };
}

/** `ContextEntries.member.N.{ContextKeyName, ContextKeyType, ContextKeyValues.member.M}`. */
function contextEntries(params: Params): RequestContext['keys'] {
  const keys: RequestContext['keys'] = {};
  for (let n = 1; ; n++) {
    const prefix = `ContextEntries.member.${n}`;
    const name = params.peek(`${prefix}.ContextKeyName`);
    if (name === undefined) return keys;
    const type = params.peek(`${prefix}.ContextKeyType`) ?? 'string';
    const values = params.peekMembers(`${prefix}.ContextKeyValues`);
    keys[name] = type.endsWith('List') ? values : (values[0] ?? '');
  }
}
