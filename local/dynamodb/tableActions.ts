import { randomUUID } from 'node:crypto';
import type { JsonObject } from '../aws/jsonProtocol';
import { serialization, Validation } from '../aws/jsonValidation';
import { itemSize } from './attributeValues';
import { invalidParameter, resourceInUse, tableNotFound, validation } from './errors';
import { readTableName } from './requests';
import {
  type AttributeDefinition,
  type DynamoState,
  itemsOf,
  type KeyElement,
  nowSeconds,
  type StoredTable,
  storageKey,
  TABLE_NAME_PATTERN,
  type Tag,
  tableArn,
  tableNameOf,
} from './state';

/** CreateTable, DescribeTable, ListTables and DeleteTable. Tables are ACTIVE as soon as they exist. */

function objects(
  check: Validation,
  input: JsonObject,
  member: string,
  limits: { min: number; max?: number },
): JsonObject[] {
  const raw = input[member];
  if (raw === undefined || raw === null) {
    check.missing(member);
    return [];
  }
  if (!Array.isArray(raw) || raw.some((v) => typeof v !== 'object' || v === null))
    throw serialization(member);
  const path = member.charAt(0).toLowerCase() + member.slice(1);
  check.length(path, raw.length, undefined, limits);
  return raw as JsonObject[];
}

// SSESpecification is taken as AWS's default: DynamoDB encrypts every table at rest.
const NOT_EMULATED = ['GlobalSecondaryIndexes', 'LocalSecondaryIndexes', 'StreamSpecification'];

export function createTable(state: DynamoState, input: JsonObject): JsonObject {
  const check = new Validation();
  const name = check.string(input, 'TableName', { required: true, min: 3, max: 255 }) ?? '';
  if (input.TableName !== undefined && !TABLE_NAME_PATTERN.test(name)) {
    check.fail('tableName', name, 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+');
  }
  const keySchema = objects(check, input, 'KeySchema', { min: 1, max: 2 }).map((element, i) => ({
    AttributeName:
      check.string(element, 'AttributeName', {
        required: true,
        min: 1,
        max: 255,
        path: `keySchema.${i + 1}.member.attributeName`,
      }) ?? '',
    KeyType: check.enumValue(
      element,
      'KeyType',
      ['HASH', 'RANGE'],
      `keySchema.${i + 1}.member.keyType`,
    ) as KeyElement['KeyType'],
  }));
  const definitions = objects(check, input, 'AttributeDefinitions', { min: 0 }).map((definition, i) => ({
    AttributeName:
      check.string(definition, 'AttributeName', {
        required: true,
        min: 1,
        max: 255,
        path: `attributeDefinitions.${i + 1}.member.attributeName`,
      }) ?? '',
    AttributeType: check.enumValue(
      definition,
      'AttributeType',
      ['B', 'N', 'S'],
      `attributeDefinitions.${i + 1}.member.attributeType`,
    ) as AttributeDefinition['AttributeType'],
  }));
  const billingMode = (check.enumValue(input, 'BillingMode', ['PROVISIONED', 'PAY_PER_REQUEST']) ??
    'PROVISIONED') as StoredTable['billingMode'];
  const throughput = input.ProvisionedThroughput as JsonObject | undefined;
  if (throughput !== undefined && (typeof throughput !== 'object' || throughput === null))
    throw serialization('ProvisionedThroughput');
  const read = throughput
    ? integerAt(check, throughput, 'ReadCapacityUnits', 'provisionedThroughput.readCapacityUnits')
    : undefined;
  const write = throughput
    ? integerAt(check, throughput, 'WriteCapacityUnits', 'provisionedThroughput.writeCapacityUnits')
    : undefined;
  const deletionProtection = check.boolean(input, 'DeletionProtectionEnabled') ?? false;
  const tags = readTags(check, input);
  check.done();

  for (const member of NOT_EMULATED) {
    if (input[member] !== undefined && input[member] !== null) {
      throw validation(`The iam-onboarding local stack does not emulate ${member}.`);
    }
  }
  const [hash, range] = keySchema;
  if (hash?.KeyType !== 'HASH')
    throw validation('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  if (range && range.KeyType !== 'RANGE')
    throw validation('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
  if (range && range.AttributeName === hash.AttributeName) {
    throw validation('Both the Hash Key and the Range Key element in the KeySchema have the same name');
  }
  const keyNames = keySchema.map((k) => k.AttributeName);
  const defined = definitions.map((d) => d.AttributeName);
  if (keyNames.some((k) => !defined.includes(k))) {
    throw invalidParameter(
      `Some index key attributes are not defined in AttributeDefinitions. Keys: [${keyNames.join(', ')}], AttributeDefinitions: [${defined.join(', ')}]`,
    );
  }
  if (defined.length !== keyNames.length) {
    throw invalidParameter(
      'Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions',
    );
  }
  if (billingMode === 'PROVISIONED' && (read === undefined || write === undefined)) {
    throw invalidParameter(
      'ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED',
    );
  }
  if (billingMode === 'PAY_PER_REQUEST' && throughput !== undefined) {
    throw invalidParameter(
      'Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
    );
  }
  if (state.tables.has(name)) throw resourceInUse(`Table already exists: ${name}`);

  const table: StoredTable = {
    name,
    arn: tableArn(state, name),
    id: randomUUID(),
    keySchema: keyNames.map((n) => keySchema.find((k) => k.AttributeName === n) as KeyElement),
    attributeDefinitions: definitions,
    billingMode,
    readCapacityUnits: read ?? 0,
    writeCapacityUnits: write ?? 0,
    deletionProtection,
    tags,
    createdAt: nowSeconds(),
  };
  state.tables.set(name, table);
  // Created as AWS answers CreateTable: CREATING; DescribeTable finds it ACTIVE at once.
  return { TableDescription: describe(state, table, 'CREATING') };
}

function integerAt(check: Validation, input: JsonObject, member: string, path: string): number | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw serialization(member);
  if (value < 1) check.fail(path, String(value), 'Member must have value greater than or equal to 1');
  return value;
}

function readTags(check: Validation, input: JsonObject): Tag[] {
  const raw = input.Tags;
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw serialization('Tags');
  return raw.map((tag: unknown, i) => {
    if (typeof tag !== 'object' || tag === null) throw serialization('Tags');
    const path = `tags.${i + 1}.member`;
    return {
      Key:
        check.string(tag as JsonObject, 'Key', { required: true, min: 1, max: 128, path: `${path}.key` }) ??
        '',
      Value:
        check.string(tag as JsonObject, 'Value', {
          required: true,
          min: 0,
          max: 256,
          path: `${path}.value`,
        }) ?? '',
    };
  });
}

export function describe(state: DynamoState, table: StoredTable, status = 'ACTIVE'): JsonObject {
  const items = itemsOf(state, table).values();
  return {
    AttributeDefinitions: table.attributeDefinitions,
    TableName: table.name,
    KeySchema: table.keySchema,
    TableStatus: status,
    CreationDateTime: table.createdAt,
    ProvisionedThroughput: {
      NumberOfDecreasesToday: 0,
      ReadCapacityUnits: table.readCapacityUnits,
      WriteCapacityUnits: table.writeCapacityUnits,
    },
    TableSizeBytes: items.reduce((sum, item) => sum + itemSize(item), 0),
    ItemCount: items.length,
    TableArn: table.arn,
    TableId: table.id,
    ...(table.billingMode === 'PAY_PER_REQUEST'
      ? {
          BillingModeSummary: {
            BillingMode: 'PAY_PER_REQUEST',
            LastUpdateToPayPerRequestDateTime: table.createdAt,
          },
        }
      : {}),
    DeletionProtectionEnabled: table.deletionProtection,
  };
}

export function describeTable(state: DynamoState, input: JsonObject): JsonObject {
  const check = new Validation();
  const name = tableNameOf(readTableName(check, input));
  check.done();
  const table = state.tables.get(name);
  if (!table) throw tableNotFound(name);
  return { Table: describe(state, table) };
}

export function deleteTable(state: DynamoState, input: JsonObject): JsonObject {
  const check = new Validation();
  const name = tableNameOf(readTableName(check, input));
  check.done();
  const table = state.tables.get(name);
  if (!table) throw tableNotFound(name);
  if (table.deletionProtection) {
    throw validation(
      'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.',
    );
  }
  const description = describe(state, table, 'DELETING');
  const items = itemsOf(state, table);
  for (const item of items.values()) items.delete(storageKey(table, item));
  state.tables.delete(name);
  return { TableDescription: description };
}

export function listTables(state: DynamoState, input: JsonObject): JsonObject {
  const check = new Validation();
  const start = check.string(input, 'ExclusiveStartTableName', { min: 3, max: 255 });
  const limit = check.integer(input, 'Limit', { min: 1, max: 100 }) ?? 100;
  check.done();
  const names = state.tables
    .values()
    .map((t) => t.name)
    .sort()
    .filter((n) => start === undefined || n > start);
  const page = names.slice(0, limit);
  return {
    TableNames: page,
    ...(names.length > limit ? { LastEvaluatedTableName: page.at(-1) } : {}),
  };
}
