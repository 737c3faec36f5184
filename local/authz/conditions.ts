/**
 * The Condition element as AWS documents it in "IAM JSON policy elements: Condition operators"
 * and "Single-valued vs. multivalued context keys".
 */

import { BlockList, isIP } from 'node:net';
import {
  arnMatches,
  type ContextKeys,
  type ContextValue,
  globMatches,
  type Piece,
  plainText,
  type Resolver,
} from './matching';
import type { ConditionBlock } from './policy';

/** Does one request value match one policy value? Variables apply only where `resolve` is used. */
type Comparator = (request: string, policy: string, resolve: Resolver) => boolean;

const withVariables =
  (compare: (request: string, policy: Piece[]) => boolean): Comparator =>
  (request, policy, resolve) => {
    const pieces = resolve(policy);
    return pieces !== undefined && compare(request, pieces);
  };

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const numeric =
  (compare: (request: number, policy: number) => boolean): Comparator =>
  (request, policy) =>
    NUMBER.test(request) && NUMBER.test(policy) && compare(Number(request), Number(policy));

// Epoch seconds, or the W3C profile of ISO 8601 (a time needs a zone designator).
const EPOCH_SECONDS = /^\d+$/;
const W3C_DATE = /^\d{4}-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?$/;
const toTime = (value: string) =>
  EPOCH_SECONDS.test(value) ? Number(value) * 1000 : W3C_DATE.test(value) ? Date.parse(value) : Number.NaN;
const date =
  (compare: (request: number, policy: number) => boolean): Comparator =>
  (request, policy) =>
    compare(toTime(request), toTime(policy));

const CIDR = /^([^/]+)(?:\/(\d{1,3}))?$/;
function inRange(address: string, range: string): boolean {
  const [, network = '', prefix] = CIDR.exec(range) ?? [];
  const family = isIP(network);
  if (family === 0) return false;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const width = family === 4 ? 32 : 128;
  // A bare address is a range of one (IAM defaults to /32).
  const bits = prefix === undefined ? width : Number(prefix);
  if (bits > width) return false;
  const list = new BlockList();
  list.addSubnet(network, bits, type);
  return list.check(address, type);
}

const arnLike: Comparator = (request, policy, resolve) => arnMatches(policy, request, resolve);

const POSITIVE = new Map<string, Comparator>([
  ['StringEquals', withVariables((request, policy) => request === plainText(policy))],
  [
    'StringEqualsIgnoreCase',
    withVariables((request, policy) => request.toLowerCase() === plainText(policy).toLowerCase()),
  ],
  ['StringLike', withVariables((request, policy) => globMatches(policy, request))],
  ['NumericEquals', numeric((request, policy) => request === policy)],
  ['NumericLessThan', numeric((request, policy) => request < policy)],
  ['NumericLessThanEquals', numeric((request, policy) => request <= policy)],
  ['NumericGreaterThan', numeric((request, policy) => request > policy)],
  ['NumericGreaterThanEquals', numeric((request, policy) => request >= policy)],
  ['DateEquals', date((request, policy) => request === policy)],
  ['DateLessThan', date((request, policy) => request < policy)],
  ['DateLessThanEquals', date((request, policy) => request <= policy)],
  ['DateGreaterThan', date((request, policy) => request > policy)],
  ['DateGreaterThanEquals', date((request, policy) => request >= policy)],
  ['Bool', withVariables((request, policy) => request === plainText(policy))],
  ['BinaryEquals', (request, policy) => Buffer.from(request, 'base64').equals(Buffer.from(policy, 'base64'))],
  ['IpAddress', (request, policy) => inRange(request, policy)],
  ['ArnEquals', arnLike],
  ['ArnLike', arnLike],
]);

/** Negated operators and the operator they negate. */
const NEGATED = new Map([
  ['StringNotEquals', 'StringEquals'],
  ['StringNotEqualsIgnoreCase', 'StringEqualsIgnoreCase'],
  ['StringNotLike', 'StringLike'],
  ['NumericNotEquals', 'NumericEquals'],
  ['DateNotEquals', 'DateEquals'],
  ['NotIpAddress', 'IpAddress'],
  ['ArnNotEquals', 'ArnEquals'],
  ['ArnNotLike', 'ArnLike'],
]);

const OPERATOR = /^(?:(ForAllValues|ForAnyValue):)?(\w+?)(IfExists)?$/;

/**
 * True when every condition in `block` holds: operators AND, keys within an operator AND, the
 * policy values of one key OR. Key names are case-insensitive. An unknown operator is false.
 */
export function conditionsMatch(
  block: ConditionBlock | undefined,
  keys: ContextKeys,
  resolve: Resolver,
): boolean {
  return Object.entries(block ?? {}).every(([operator, entries]) =>
    Object.entries(entries).every(([key, values]) =>
      conditionMatches(operator, keys.get(key.toLowerCase()), policyValues(values), resolve),
    ),
  );
}

function conditionMatches(
  operator: string,
  value: ContextValue | undefined,
  policy: string[],
  resolve: Resolver,
): boolean {
  const [, set, base = '', ifExists] = OPERATOR.exec(operator) ?? [];
  const request = value === undefined ? [] : Array.isArray(value) ? value : [String(value)];
  // An empty set of values counts as a missing key.
  const missing = request.length === 0;
  if (base === 'Null') return !set && !ifExists && policy.includes(String(missing));
  const negated = NEGATED.has(base);
  const compare = POSITIVE.get(NEGATED.get(base) ?? base);
  if (!compare) return false;
  if (missing && ifExists) return true;
  const matchesOne = (one: string) =>
    policy.some((candidate) => compare(one, candidate, resolve)) !== negated;
  if (set === 'ForAllValues') return request.every(matchesOne);
  if (set === 'ForAnyValue') return request.some(matchesOne);
  // Without a set operator, a positive operator needs any value to match, a negated one that none
  // does: so a missing key is true for negated operators and false for the others.
  return negated ? request.every(matchesOne) : request.some(matchesOne);
}

/** Policy values as strings: JSON booleans and numbers compare as their string forms. */
function policyValues(values: unknown): string[] {
  return (Array.isArray(values) ? values : [values]).map(String);
}
