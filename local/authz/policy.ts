/** IAM policy documents and the request context they are evaluated against (the evaluation is policyEvaluation.ts). */

export type ConditionBlock = Record<string, Record<string, unknown>>; // operator -> key -> value(s)
export type Statement = {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: ConditionBlock;
};
export type PolicyDocument = { Version?: string; Id?: string; Statement: Statement | Statement[] };
/** A policy as the evaluator sees it, named for explanations, e.g. 'CreateUserRole/createUser' or a policy ARN. */
export type NamedPolicy = { name: string; document: PolicyDocument };
/** One authorization request, as AWS builds it for one action. */
export type RequestContext = {
  action: string; // 'iam:CreateUser' (service prefix lower case; match case-insensitively)
  resource: string; // the ARN, or '*' for actions that take no resource
  /**
   * Condition context keys present in the request: global (aws:...) and service keys. Key names
   * are case-insensitive. Multivalued keys are arrays; an empty array counts as a missing key.
   */
  keys: Record<string, string | string[] | boolean | number>;
};
