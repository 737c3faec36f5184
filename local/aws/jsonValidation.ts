import type { JsonObject } from './jsonProtocol';
import { AwsError } from './types';

/**
 * AWS's model-constraint validation of JSON-protocol members, worded as AWS words it:
 * "N validation error(s) detected: Value 'x' at 'member' failed to satisfy constraint: ...".
 */

export const serialization = (member: string) =>
  new AwsError(400, 'SerializationException', `Unexpected type for member ${member}.`);

export const lowerFirst = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

/** One violation as AWS lists it; `value` undefined leaves the value out (sensitive or not a string). */
function constraintViolation(path: string, value: string | undefined, constraint: string): string {
  const shown = value === undefined ? 'Value' : `Value '${value}'`;
  return `${shown} at '${path}' failed to satisfy constraint: ${constraint}`;
}

function notNullViolation(path: string): string {
  return `Value null at '${path}' failed to satisfy constraint: Member must not be null`;
}

function validationException(violations: readonly string[]): AwsError {
  const count = violations.length;
  const message = `${count} validation error${count > 1 ? 's' : ''} detected: ${violations.join('; ')}`;
  return new AwsError(400, 'ValidationException', message);
}

/** The ValidationException for one violated constraint. */
export function violation(path: string, value: string | undefined, constraint: string): AwsError {
  return validationException([constraintViolation(path, value, constraint)]);
}

/** The ValidationException for one missing required member. */
export function notNull(path: string): AwsError {
  return validationException([notNullViolation(path)]);
}

export type Limits = {
  required?: boolean;
  min?: number;
  max?: number;
  sensitive?: boolean;
  /** The member path AWS reports, e.g. `tags.1.member.key`; defaults to the lower-camel member name. */
  path?: string;
};

/**
 * Collects model-constraint violations and reports them the way AWS does: one ValidationException,
 * "N validation error(s) detected: Value 'x' at 'member' failed to satisfy constraint: ...".
 */
export class Validation {
  private readonly errors: string[] = [];

  string(input: JsonObject, member: string, limits: Limits): string | undefined {
    const path = limits.path ?? lowerFirst(member);
    const value = input[member];
    if (value === undefined || value === null) {
      if (limits.required) this.missing(member, path);
      return undefined;
    }
    if (typeof value !== 'string') throw serialization(member);
    this.length(path, [...value].length, value, limits);
    return value;
  }

  stringList(
    input: JsonObject,
    member: string,
    limits: Limits & { itemMin?: number; itemMax?: number },
  ): string[] | undefined {
    const path = limits.path ?? lowerFirst(member);
    const value = input[member];
    if (value === undefined || value === null) {
      if (limits.required) this.missing(member, path);
      return undefined;
    }
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw serialization(member);
    const items = value as string[];
    this.length(path, items.length, undefined, { min: limits.min, max: limits.max });
    items.forEach((item, i) => {
      this.length(`${path}.${i + 1}.member`, [...item].length, item, {
        min: limits.itemMin,
        max: limits.itemMax,
      });
    });
    return items;
  }

  integer(
    input: JsonObject,
    member: string,
    limits: { min?: number; max?: number } = {},
  ): number | undefined {
    const value = input[member];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) throw serialization(member);
    const path = lowerFirst(member);
    if (limits.min !== undefined && value < limits.min) {
      this.fail(path, String(value), `Member must have value greater than or equal to ${limits.min}`);
    }
    if (limits.max !== undefined && value > limits.max) {
      this.fail(path, String(value), `Member must have value less than or equal to ${limits.max}`);
    }
    return value;
  }

  boolean(input: JsonObject, member: string): boolean | undefined {
    const value = input[member];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') throw serialization(member);
    return value;
  }

  enumValue(
    input: JsonObject,
    member: string,
    allowed: string[],
    path = lowerFirst(member),
  ): string | undefined {
    const value = input[member];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw serialization(member);
    if (!allowed.includes(value)) {
      this.fail(path, value, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
    }
    return value;
  }

  length(path: string, length: number, value: string | undefined, limits: Limits): void {
    const shown = limits.sensitive ? undefined : value;
    if (limits.min !== undefined && length < limits.min) {
      this.fail(path, shown, `Member must have length greater than or equal to ${limits.min}`);
    }
    if (limits.max !== undefined && length > limits.max) {
      this.fail(path, shown, `Member must have length less than or equal to ${limits.max}`);
    }
  }

  missing(member: string, path = lowerFirst(member)): void {
    this.errors.push(notNullViolation(path));
  }

  fail(path: string, value: string | undefined, constraint: string): void {
    this.errors.push(constraintViolation(path, value, constraint));
  }

  /** Throws the collected violations, if any. */
  done(): void {
    if (this.errors.length > 0) throw validationException(this.errors);
  }
}
