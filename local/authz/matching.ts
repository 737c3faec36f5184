/**
 * Wildcard matching for actions and ARNs, and policy variable substitution, as AWS documents them
 * in "IAM JSON policy elements: Action / Resource" and "IAM policy elements: Variables and tags".
 */

import type { RequestContext } from './policy';

export type ContextValue = RequestContext['keys'][string];
/** Request context keys by lower-case name: key names are case-insensitive. */
export type ContextKeys = ReadonlyMap<string, ContextValue>;

/**
 * Policy text after variable substitution. In `wild` pieces `*` and `?` are wildcards; the others
 * (substituted values and the `${*}`, `${?}`, `${$}` escapes) are literal.
 */
export type Piece = { text: string; wild: boolean };
/** Substitutes a policy's variables in one string; undefined when a variable has no value. */
export type Resolver = (text: string) => Piece[] | undefined;

const VARIABLES_VERSION = '2012-10-17';
// split() with a capture group alternates policy text (even indexes) and variable bodies (odd).
const VARIABLE = /\$\{([^}]*)\}/;
const ESCAPES = new Set(['*', '?', '$']);
const WITH_DEFAULT = /^(.*?)\s*,\s*'(.*)'$/;

/** Indexes a request's context keys by lower-case name. */
export function contextKeys(keys: RequestContext['keys']): ContextKeys {
  return new Map(Object.entries(keys).map(([name, value]) => [name.toLowerCase(), value]));
}

/**
 * The variable substitution of a policy with this `Version`: `${key}` and `${key, 'default'}`
 * from the request context, and the `${*}`, `${?}`, `${$}` escapes. Versions before 2012-10-17
 * have no variables: `${...}` is literal text there.
 */
export function resolver(keys: ContextKeys, version: string | undefined): Resolver {
  if (version !== VARIABLES_VERSION) return (text) => [{ text, wild: true }];
  return (text) => {
    const pieces: Piece[] = [];
    for (const [index, part] of text.split(VARIABLE).entries()) {
      if (index % 2 === 0) {
        pieces.push({ text: part, wild: true });
        continue;
      }
      const value = variableValue(part, keys);
      if (value === undefined) return undefined;
      pieces.push({ text: value, wild: false });
    }
    return pieces;
  };
}

function variableValue(body: string, keys: ContextKeys): string | undefined {
  if (ESCAPES.has(body)) return body;
  const [, name = body, fallback] = WITH_DEFAULT.exec(body) ?? [];
  const value = keys.get(name.toLowerCase());
  // A multivalued key cannot be a policy variable (Single-valued vs. multivalued context keys).
  return value === undefined || Array.isArray(value) ? fallback : String(value);
}

/** The pieces as plain text, for operators without wildcards. */
export function plainText(pieces: Piece[]): string {
  return pieces.map((piece) => piece.text).join('');
}

/** Whole-string match: `*` is any run of characters (including none), `?` exactly one. */
export function globMatches(pieces: Piece[], value: string, ignoreCase = false): boolean {
  const source = pieces.map(regexSource).join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'isu' : 'su').test(value);
}

function regexSource({ text, wild }: Piece): string {
  return Array.from(text, (char) => {
    if (wild && char === '*') return '.*';
    if (wild && char === '?') return '.';
    return char.replace(/[.*+?^${}()|[\]\\]/, '\\$&');
  }).join('');
}

/** True when `pattern` (e.g. 'iam:*User*', case-insensitive) matches `action`. */
export function actionMatches(pattern: string, action: string): boolean {
  return globMatches([{ text: pattern, wild: true }], action, true);
}

/**
 * True when the ARN `pattern` matches `arn`, case-sensitively and component by component
 * (arn, partition, service, region, account, resource): a wildcard does not cross a ':' except in
 * the resource, which keeps everything after the fifth ':'. `*` alone matches any resource,
 * including the '*' of actions that take none.
 */
export function arnMatches(pattern: string, arn: string, resolve: Resolver): boolean {
  if (pattern === '*') return true;
  const wanted = arnComponents(pattern);
  const actual = arnComponents(arn);
  if (!wanted || !actual) return false;
  return wanted.every((component, index) => {
    const pieces = resolve(component);
    return pieces !== undefined && globMatches(pieces, actual[index] ?? '');
  });
}

function arnComponents(arn: string): string[] | undefined {
  const parts = arn.split(':');
  return parts.length < 6 ? undefined : [...parts.slice(0, 5), parts.slice(5).join(':')];
}
