import type { JsonObject } from '../aws/jsonProtocol';
import { serialization, type Validation } from '../aws/jsonValidation';
import { AwsError } from '../aws/types';
import { type AttributeValue, type Item, readItem, readValue } from './attributeValues';
import { validation } from './errors';
import { Placeholders } from './expressionParser';
import { TABLE_NAME_PATTERN } from './state';

/** Reading the members DynamoDB's item and query actions share. */

export function readTableName(check: Validation, input: JsonObject): string {
  const name = check.string(input, 'TableName', { required: true, min: 1, max: 1024 });
  if (name !== undefined && !name.startsWith('arn:')) {
    check.length('tableName', name.length, name, { min: 3, max: 255 });
    if (!TABLE_NAME_PATTERN.test(name)) {
      check.fail('tableName', name, 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+');
    }
  }
  return name ?? '';
}

/** A map of attribute values (Key, Item, ExclusiveStartKey), or undefined when absent. */
export function readItemMember(
  check: Validation,
  input: JsonObject,
  member: string,
  required: boolean,
): Item | undefined {
  const raw = input[member];
  if (raw === undefined || raw === null) {
    if (required) check.missing(member);
    return undefined;
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) throw serialization(member);
  return readItem(raw as Record<string, unknown>);
}

/** DynamoDB's enum constraint, listing the allowed values as its model orders them. */
export function readEnum(
  check: Validation,
  input: JsonObject,
  member: string,
  allowed: string[],
): string | undefined {
  return check.enumValue(input, member, allowed);
}

export const RETURN_VALUES = ['ALL_NEW', 'UPDATED_OLD', 'ALL_OLD', 'NONE', 'UPDATED_NEW'];
export const RETURN_CONSUMED_CAPACITY = ['INDEXES', 'TOTAL', 'NONE'];
export const RETURN_ON_CONDITION_FAILURE = ['ALL_OLD', 'NONE'];

/** The legacy (pre-expression) parameters: not emulated, refused by name rather than ignored. */
const LEGACY = [
  'Expected',
  'AttributesToGet',
  'AttributeUpdates',
  'KeyConditions',
  'QueryFilter',
  'ScanFilter',
  'ConditionalOperator',
];

export function rejectLegacyParameters(input: JsonObject): void {
  const used = LEGACY.filter((member) => input[member] !== undefined && input[member] !== null);
  if (used.length > 0) {
    throw validation(
      `The iam-onboarding local stack does not emulate the legacy parameters {${used.join(', ')}}: use expressions (ConditionExpression, UpdateExpression, ProjectionExpression, KeyConditionExpression, FilterExpression).`,
    );
  }
}

/**
 * ExpressionAttributeNames and ExpressionAttributeValues, checked as DynamoDB checks them: not
 * empty, keys of the placeholder syntax, values valid attribute values; and only with expressions.
 */
export function readPlaceholders(input: JsonObject, expressionMembers: string[]): Placeholders {
  const hasExpression = expressionMembers.some((m) => typeof input[m] === 'string');
  const names = readMap(input, 'ExpressionAttributeNames', /^#[A-Za-z0-9_]+$/, (value) => {
    if (typeof value !== 'string') throw serialization('ExpressionAttributeNames');
    return value;
  });
  const values = readMap(input, 'ExpressionAttributeValues', /^:[A-Za-z0-9_]+$/, (value, key) => {
    try {
      return readValue(value);
    } catch (error) {
      if (error instanceof AwsError && error.code === 'ValidationException') {
        throw validation(`ExpressionAttributeValues contains invalid value: ${error.message} for key ${key}`);
      }
      throw error;
    }
  });
  if (!hasExpression) {
    if (names) throw validation('ExpressionAttributeNames can only be specified when using expressions');
    if (values) {
      const valueExpressions = expressionMembers.filter((m) => m !== 'ProjectionExpression');
      throw validation(
        `ExpressionAttributeValues can only be specified when using expressions: ${valueExpressions.join(' and ')} ${valueExpressions.length > 1 ? 'are' : 'is'} null`,
      );
    }
  }
  return new Placeholders(names, values);
}

function readMap<T>(
  input: JsonObject,
  member: 'ExpressionAttributeNames' | 'ExpressionAttributeValues',
  keyPattern: RegExp,
  read: (value: unknown, key: string) => T,
): Record<string, T> | undefined {
  const raw = input[member];
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw serialization(member);
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length === 0) throw validation(`${member} must not be empty`);
  const result: Record<string, T> = {};
  for (const [key, value] of entries) {
    if (!keyPattern.test(key))
      throw validation(`${member} contains invalid key: Syntax error; key: "${key}"`);
    result[key] = read(value, key);
  }
  return result;
}

export function optionalString(check: Validation, input: JsonObject, member: string): string | undefined {
  return check.string(input, member, {});
}

export type ConsumedCapacity = { TableName: string; CapacityUnits: number };

/** ConsumedCapacity when asked for (TOTAL or INDEXES): on-demand units, rounded up per KB (write) or 4 KB (read). */
export function consumed(
  mode: string | undefined,
  tableName: string,
  units: number,
): { ConsumedCapacity?: ConsumedCapacity } {
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return {};
  return { ConsumedCapacity: { TableName: tableName, CapacityUnits: units } };
}

export type Attributes = Record<string, AttributeValue>;
