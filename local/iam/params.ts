import type { Principal } from '../authz/principals';
import { queryParameters } from '../aws/queryProtocol';
import type { AwsRequest } from '../aws/types';
import type { XmlObject } from '../aws/xml';
import { invalidInput, validationError } from './errors';
import type { Tag } from './model';
import { type IntegerRule, MAX_TAGS, matchesPattern, RULES, STATUSES, type StringRule } from './rules';
import type { IamState } from './state';

/**
 * One IAM action: the content of its `<ActionResult>` element, or undefined for actions that return
 * only metadata. `caller` is who signed the request (IAM's implicit user when UserName is omitted).
 */
type Handler = (
  params: Params,
  state: IamState,
  caller: Principal,
) => XmlObject | undefined | Promise<XmlObject | undefined>;

export type Handlers = Readonly<Record<string, Handler>>;

/**
 * The parameters of one query-protocol request (form body, else query string), read with IAM's
 * model validation: the first violation is answered as IAM words it
 * ("1 validation error detected: Value 'x' at 'userName' failed to satisfy constraint: ...").
 */
export class Params {
  private constructor(private readonly values: URLSearchParams) {}

  static fromRequest(request: Pick<AwsRequest, 'query' | 'body'>): Params {
    return new Params(queryParameters(request));
  }

  get action(): string | undefined {
    return this.values.get('Action') ?? undefined;
  }

  /** A value as sent, unvalidated: authorization reads the request before the action validates it. */
  peek(name: string): string | undefined {
    return this.values.get(name) ?? undefined;
  }

  /** The `Name.member.N[suffix]` values as sent, unvalidated. */
  peekMembers(name: string, suffix = ''): string[] {
    return this.members(name, (found) => found === suffix).map(([, fields]) => fields.get(suffix) ?? '');
  }

  optional(name: string, rule: StringRule): string | undefined {
    const value = this.values.get(name);
    if (value === null) return undefined;
    checkString(value, memberLabel(name), rule);
    return value;
  }

  required(name: string, rule: StringRule): string {
    const value = this.optional(name, rule);
    if (value === undefined) throw notNull(memberLabel(name));
    return value;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const value = this.values.get(name);
    if (value === null) return undefined;
    const match = allowed.find((candidate) => candidate === value);
    if (match === undefined) {
      throw violation(
        memberLabel(name),
        value,
        `Member must satisfy enum value set: [${allowed.join(', ')}]`,
      );
    }
    return match;
  }

  requiredOneOf<T extends string>(name: string, allowed: readonly T[]): T {
    const value = this.oneOf(name, allowed);
    if (value === undefined) throw notNull(memberLabel(name));
    return value;
  }

  /**
   * A credential's `Status` (statusType). IAM words this enum's violation without the value or
   * the set ("Value at 'status' failed to satisfy constraint: Member must satisfy enum value set").
   */
  status(): (typeof STATUSES)[number] {
    const value = this.values.get('Status');
    if (value === null) throw notNull('status');
    const match = STATUSES.find((candidate) => candidate === value);
    if (match === undefined) throw violation('status', undefined, 'Member must satisfy enum value set');
    return match;
  }

  boolean(name: string): boolean | undefined {
    const value = this.values.get(name);
    if (value === null) return undefined;
    if (value.toLowerCase() === 'true') return true;
    if (value.toLowerCase() === 'false') return false;
    throw violation(memberLabel(name), value, 'Member must be a boolean');
  }

  integer(name: string, rule: IntegerRule): number | undefined {
    const value = this.values.get(name);
    if (value === null) return undefined;
    const label = memberLabel(name);
    if (!/^-?\d+$/.test(value)) throw violation(label, value, 'Member must be an integer');
    const number = Number(value);
    if (number < rule.min)
      throw violation(label, value, `Member must have value greater than or equal to ${rule.min}`);
    if (number > rule.max)
      throw violation(label, value, `Member must have value less than or equal to ${rule.max}`);
    return number;
  }

  /** A `Name.member.N` list, in N order. */
  list(name: string, rule: StringRule, size: { required: boolean; max: number }): string[] {
    const items = this.members(name, (suffix) => suffix === '');
    if (size.required && items.length === 0) throw notNull(memberLabel(name));
    if (items.length > size.max) throw tooMany(memberLabel(name), size.max);
    return items.map(([index, fields]) => {
      const value = fields.get('') ?? '';
      checkString(value, `${memberLabel(name)}.${index}.member`, rule);
      return value;
    });
  }

  /** `Tags.member.N.Key` / `.Value`, checked like IAM: at most 50, keys unique case-insensitively. */
  tags(name = 'Tags', required = false): Tag[] {
    const items = this.members(name, (suffix) => suffix === '.Key' || suffix === '.Value');
    const label = memberLabel(name);
    if (required && items.length === 0) throw notNull(label);
    if (items.length > MAX_TAGS) throw tooMany(label, MAX_TAGS);
    const tags = items.map(([index, fields]): Tag => {
      const key = fields.get('.Key');
      const value = fields.get('.Value');
      if (key === undefined) throw notNull(`${label}.${index}.member.key`);
      if (value === undefined) throw notNull(`${label}.${index}.member.value`);
      checkString(key, `${label}.${index}.member.key`, RULES.tagKey);
      checkString(value, `${label}.${index}.member.value`, RULES.tagValue);
      return { key, value };
    });
    if (new Set(tags.map((tag) => tag.key.toLowerCase())).size !== tags.length) {
      throw invalidInput('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    }
    return tags;
  }

  private members(name: string, accepts: (suffix: string) => boolean): [number, Map<string, string>][] {
    const byIndex = new Map<number, Map<string, string>>();
    const prefix = `${name}.member.`;
    for (const [key, value] of this.values) {
      if (!key.startsWith(prefix)) continue;
      const match = /^(\d+)(.*)$/.exec(key.slice(prefix.length));
      if (!match?.[1] || match[2] === undefined || !accepts(match[2])) continue;
      const index = Number(match[1]);
      const fields = byIndex.get(index) ?? new Map<string, string>();
      fields.set(match[2], value);
      byIndex.set(index, fields);
    }
    return [...byIndex.entries()].sort(([a], [b]) => a - b);
  }
}

/** `UserName` -> `userName`, the member name IAM uses in validation messages. */
function memberLabel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function checkString(value: string, label: string, rule: StringRule): void {
  const shown = rule.sensitive ? undefined : value;
  if (rule.min !== undefined && value.length < rule.min) {
    throw violation(label, shown, `Member must have length greater than or equal to ${rule.min}`);
  }
  if (rule.max !== undefined && value.length > rule.max) {
    throw violation(label, shown, `Member must have length less than or equal to ${rule.max}`);
  }
  if (rule.pattern !== undefined && !matchesPattern(value, rule.pattern)) {
    throw violation(label, shown, `Member must satisfy regular expression pattern: ${rule.pattern}`);
  }
}

/** Sensitive values (passwords) are never echoed back. */
function violation(label: string, value: string | undefined, constraint: string) {
  const shown = value === undefined ? 'Value' : `Value '${value}'`;
  return validationError(
    `1 validation error detected: ${shown} at '${label}' failed to satisfy constraint: ${constraint}`,
  );
}

function tooMany(label: string, max: number) {
  return violation(label, undefined, `Member must have length less than or equal to ${max}`);
}

function notNull(label: string) {
  return validationError(
    `1 validation error detected: Value null at '${label}' failed to satisfy constraint: Member must not be null`,
  );
}
