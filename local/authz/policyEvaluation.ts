/**
 * AWS's policy evaluation logic for one principal in one account: identity-based policies and an
 * optional permissions boundary ("Policy evaluation logic", "Permissions boundaries for IAM
 * entities"). Resource-based policies, SCPs and session policies are not modelled.
 */

import { conditionsMatch } from './conditions';
import {
  actionMatches,
  arnMatches,
  type ContextKeys,
  contextKeys,
  type Resolver,
  resolver,
} from './matching';
import type { NamedPolicy, RequestContext, Statement } from './policy';

export { actionMatches } from './matching';

export type {
  ConditionBlock,
  NamedPolicy,
  PolicyDocument,
  RequestContext,
  Statement,
} from './policy';

export type StatementRef = { policy: string; sid?: string; index: number };
export type Decision = {
  decision: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
  /** Where the decision was made: the identity-based policies or the permissions boundary. */
  by?: 'identity' | 'boundary';
  /** The decisive statement: the matching Deny, or (on Allow) the first identity Allow that matched. */
  statement?: StatementRef;
};

type Checked = { policy: NamedPolicy; statements: Statement[] };

/**
 * Decides one request: an explicit Deny in the identity policies or the boundary wins (identity
 * first); otherwise an identity Allow is needed, and a boundary Allow too when there is a boundary.
 * Throws on a malformed document (no Statement, a bad Effect, Action with NotAction, ...).
 */
export function evaluate(
  context: RequestContext,
  policies: { identity: NamedPolicy[]; boundary?: NamedPolicy },
): Decision {
  const identity = policies.identity.map(checked);
  const boundary = policies.boundary && [checked(policies.boundary)];
  const keys = contextKeys(context.keys);
  const find = (set: Checked[], effect: Statement['Effect']) => firstMatch(set, effect, context, keys);

  const identityDeny = find(identity, 'Deny');
  if (identityDeny) return { decision: 'ExplicitDeny', by: 'identity', statement: identityDeny };
  const boundaryDeny = boundary && find(boundary, 'Deny');
  if (boundaryDeny) return { decision: 'ExplicitDeny', by: 'boundary', statement: boundaryDeny };
  const allow = find(identity, 'Allow');
  if (!allow) return { decision: 'ImplicitDeny', by: 'identity' };
  if (boundary && !find(boundary, 'Allow')) return { decision: 'ImplicitDeny', by: 'boundary' };
  return { decision: 'Allow', by: 'identity', statement: allow };
}

function firstMatch(
  set: Checked[],
  effect: Statement['Effect'],
  context: RequestContext,
  keys: ContextKeys,
): StatementRef | undefined {
  for (const { policy, statements } of set) {
    const resolve = resolver(keys, policy.document.Version);
    const index = statements.findIndex(
      (statement) => statement.Effect === effect && applies(statement, context, keys, resolve),
    );
    const statement = statements[index];
    if (statement) return { policy: policy.name, sid: statement.Sid, index };
  }
  return undefined;
}

function applies(
  statement: Statement,
  context: RequestContext,
  keys: ContextKeys,
  resolve: Resolver,
): boolean {
  const actionListed = (patterns: string | string[]) =>
    list(patterns).some((pattern) => actionMatches(pattern, context.action));
  const resourceListed = (patterns: string | string[]) =>
    list(patterns).some((pattern) => arnMatches(pattern, context.resource, resolve));
  return (
    (statement.Action !== undefined
      ? actionListed(statement.Action)
      : !actionListed(statement.NotAction ?? [])) &&
    (statement.Resource !== undefined
      ? resourceListed(statement.Resource)
      : !resourceListed(statement.NotResource ?? [])) &&
    conditionsMatch(statement.Condition, keys, resolve)
  );
}

function checked(policy: NamedPolicy): Checked {
  const { Statement } = policy.document;
  if (!Statement) throw new Error(`Policy ${policy.name} has no Statement`);
  const statements = list(Statement);
  statements.forEach((statement, index) => {
    const problem = statementProblem(statement);
    if (problem) throw new Error(`Policy ${policy.name} statement ${statement.Sid ?? index}: ${problem}`);
  });
  return { policy, statements };
}

function statementProblem(statement: Statement): string | undefined {
  if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') {
    return `Effect must be Allow or Deny, not ${JSON.stringify(statement.Effect)}`;
  }
  const { Action, NotAction, Resource, NotResource } = statement;
  if ((Action === undefined) === (NotAction === undefined)) {
    return 'needs exactly one of Action and NotAction';
  }
  if ((Resource === undefined) === (NotResource === undefined)) {
    return 'needs exactly one of Resource and NotResource';
  }
  return undefined;
}

function list<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}
