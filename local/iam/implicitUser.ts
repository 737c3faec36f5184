import type { Principal } from '../authz/principals';
import { validationError } from './errors';
import type { UserRecord } from './model';
import type { Params } from './params';
import { RULES, type StringRule } from './rules';
import type { IamState } from './state';

/**
 * The name a request's UserName names or, when it is omitted, the IAM user who signed the request
 * ("IAM determines the user name implicitly based on the access key ID signing the request"),
 * unvalidated: what authorization reads.
 */
export function impliedUserName(params: Params, caller: Principal | undefined): string | undefined {
  return params.peek('UserName') ?? (caller?.type === 'User' ? caller.userName : undefined);
}

/** The user a request is about: UserName, else the signing IAM user; a role session must name one. */
export function requestUser(
  params: Params,
  state: IamState,
  caller: Principal,
  rule: StringRule = RULES.existingUserName,
): UserRecord {
  const named = params.optional('UserName', rule);
  const userName = named ?? (caller.type === 'User' ? caller.userName : undefined);
  if (userName === undefined) {
    throw validationError('Must specify userName when calling with non-User credentials');
  }
  return state.requireUser(userName);
}
