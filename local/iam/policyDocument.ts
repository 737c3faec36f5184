import { malformedPolicyDocument, quotaExceeded } from './errors';
import { QUOTAS } from './quotas';

const TOP_LEVEL = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_ELEMENTS = new Set([
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
]);

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isStringOrStrings = (value: unknown) =>
  value === undefined ||
  typeof value === 'string' ||
  (Array.isArray(value) && value.every((item) => typeof item === 'string'));

/**
 * Checks an identity-based policy document as IAM does on CreatePolicy, with IAM's messages:
 * JSON syntax and structure, version 2012-10-17, actions and resources in every statement, and
 * (unless `managedSize` is false: inline policies have their own, aggregate quota) the
 * managed-policy size quota (characters other than whitespace).
 */
export function validatePolicyDocument(text: string, { managedSize = true } = {}): void {
  const document = parse(text);
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  if (!statements.every(isObject)) throw syntaxError();
  if (statements.some((statement) => 'Principal' in statement || 'NotPrincipal' in statement)) {
    throw malformedPolicyDocument('Policy document should not specify a principal.');
  }
  if (!statements.every(hasValidSyntax)) throw syntaxError();
  if (document.Version !== '2012-10-17') {
    throw malformedPolicyDocument('Policy document must be version 2012-10-17 or greater.');
  }
  if (statements.some((s) => s.Action === undefined && s.NotAction === undefined)) {
    throw malformedPolicyDocument('Policy statement must contain actions.');
  }
  if (statements.some((s) => s.Resource === undefined && s.NotResource === undefined)) {
    throw malformedPolicyDocument('Policy statement must contain resources.');
  }
  if (managedSize && policySize(text) > QUOTAS.policySize)
    throw quotaExceeded('PolicySize', QUOTAS.policySize);
}

/** A policy's size as IAM counts it: whitespace is not counted. */
export const policySize = (text: string) => text.replace(/\s/g, '').length;

/** RFC 3986 encoding, as IAM returns policy documents. */
export function encodeDocument(document: string): string {
  return encodeURIComponent(document).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function parse(text: string): Json {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw syntaxError();
  }
  if (!isObject(document) || Object.keys(document).some((key) => !TOP_LEVEL.has(key))) throw syntaxError();
  const statement = document.Statement;
  if (!isObject(statement) && !(Array.isArray(statement) && statement.length > 0)) throw syntaxError();
  return document;
}

function hasValidSyntax(statement: Json): boolean {
  return (
    Object.keys(statement).every((key) => STATEMENT_ELEMENTS.has(key)) &&
    (statement.Effect === 'Allow' || statement.Effect === 'Deny') &&
    !(statement.Action !== undefined && statement.NotAction !== undefined) &&
    !(statement.Resource !== undefined && statement.NotResource !== undefined) &&
    ['Action', 'NotAction', 'Resource', 'NotResource'].every((key) => isStringOrStrings(statement[key])) &&
    (statement.Condition === undefined || isObject(statement.Condition))
  );
}

function syntaxError() {
  return malformedPolicyDocument('Syntax errors in policy.');
}
