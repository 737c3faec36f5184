import { createHash } from 'node:crypto';
import type { JsonObject } from '../aws/jsonProtocol';
import type { Collection, JournalStore } from '../store';
import { type AttributeValue, compareScalars, type Item, itemSize, typeOf } from './attributeValues';
import { invalidParameter, MESSAGES, resourceNotFound, validation } from './errors';

/** The records the DynamoDB emulator keeps in its JournalStore: tables, and each table's items. */

export type KeyElement = { AttributeName: string; KeyType: 'HASH' | 'RANGE' };
export type AttributeDefinition = { AttributeName: string; AttributeType: 'S' | 'N' | 'B' };
export type Tag = { Key: string; Value: string };

export type StoredTable = {
  name: string;
  arn: string;
  id: string;
  keySchema: KeyElement[];
  attributeDefinitions: AttributeDefinition[];
  billingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  readCapacityUnits: number;
  writeCapacityUnits: number;
  deletionProtection: boolean;
  tags: Tag[];
  /** Epoch seconds. */
  createdAt: number;
};

/** What every action of one DynamoDB emulator shares. */
export type DynamoState = {
  tables: Collection<StoredTable>;
  store: JournalStore;
  accountId: string;
  region: string;
};

/** One API action: the parsed request body in, the response body out; synchronous, so atomic. */
export type DynamoAction = (state: DynamoState, input: JsonObject) => JsonObject;

export const TABLE_NAME_PATTERN = /^[a-zA-Z0-9_.-]+$/;

export function tableArn(state: Pick<DynamoState, 'region' | 'accountId'>, name: string): string {
  return `arn:aws:dynamodb:${state.region}:${state.accountId}:table/${name}`;
}

/** A TableName member is a name or (as AWS accepts since 2024) the table's ARN. */
export function tableNameOf(nameOrArn: string): string {
  const match = /^arn:aws[\w-]*:dynamodb:[^:]*:[^:]*:table\/([^/]+)$/.exec(nameOrArn);
  return match?.[1] ?? nameOrArn;
}

export function findTable(state: DynamoState, nameOrArn: string): StoredTable {
  const table = state.tables.get(tableNameOf(nameOrArn));
  if (!table) throw resourceNotFound();
  return table;
}

export function itemsOf(state: DynamoState, table: StoredTable): Collection<Item> {
  return state.store.collection<Item>(`items/${table.name}`);
}

export const hashKeyOf = (table: StoredTable): KeyElement => table.keySchema[0] as KeyElement;
export const rangeKeyOf = (table: StoredTable): KeyElement | undefined => table.keySchema[1];

export function keyTypeOf(table: StoredTable, name: string): string | undefined {
  return table.attributeDefinitions.find((d) => d.AttributeName === name)?.AttributeType;
}

/** The storage key of the item with these key attributes. */
export function storageKey(table: StoredTable, item: Item): string {
  return JSON.stringify(table.keySchema.map((k) => item[k.AttributeName]));
}

export function keyOf(table: StoredTable, item: Item): Item {
  const key: Item = {};
  for (const { AttributeName } of table.keySchema) key[AttributeName] = item[AttributeName] as AttributeValue;
  return key;
}

function isEmptyKeyValue(value: AttributeValue): boolean {
  const content = Object.values(value)[0];
  return content === '';
}

const emptyKey = (name: string, value: AttributeValue) =>
  validation(
    `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${typeOf(value) === 'B' ? 'binary' : 'string'} value. Key: ${name}`,
  );

/** A Key member: exactly the table's key attributes, of their types. */
export function checkKey(table: StoredTable, key: Item, mismatch: string = MESSAGES.keyMismatch): void {
  const names = Object.keys(key);
  if (names.length !== table.keySchema.length) throw validation(mismatch);
  for (const { AttributeName } of table.keySchema) {
    const value = key[AttributeName];
    if (!value || typeOf(value) !== keyTypeOf(table, AttributeName)) throw validation(mismatch);
    if (isEmptyKeyValue(value)) throw emptyKey(AttributeName, value);
  }
}

/** A whole item: its key attributes present and of their types, at most 400 KB. */
export function checkItem(table: StoredTable, item: Item, tooLarge: string = MESSAGES.itemTooLarge): void {
  for (const { AttributeName } of table.keySchema) {
    const value = item[AttributeName];
    const expected = keyTypeOf(table, AttributeName);
    if (!value) throw invalidParameter(`Missing the key ${AttributeName} in the item`);
    if (typeOf(value) !== expected) {
      throw invalidParameter(
        `Type mismatch for key ${AttributeName} expected: ${expected} actual: ${typeOf(value)}`,
      );
    }
    if (isEmptyKeyValue(value)) throw emptyKey(AttributeName, value);
  }
  if (itemSize(item) > 400 * 1024) throw validation(tooLarge);
}

/**
 * The table's items in a stable order, as Scan pages through them: by a hash of the partition
 * key (DynamoDB's partitions), then by sort key. Query uses the sort key order within a partition.
 */
export function orderedItems(state: DynamoState, table: StoredTable): Item[] {
  return itemsOf(state, table)
    .values()
    .map((item) => ({ item, order: partitionOrder(table, item) }))
    .sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : compareRange(table, a.item, b.item)))
    .map(({ item }) => item);
}

export function partitionOrder(table: StoredTable, item: Item): string {
  return createHash('md5')
    .update(JSON.stringify(item[hashKeyOf(table).AttributeName]))
    .digest('hex');
}

export function compareRange(table: StoredTable, a: Item, b: Item): number {
  const range = rangeKeyOf(table);
  if (!range) return 0;
  return (
    compareScalars(a[range.AttributeName] as AttributeValue, b[range.AttributeName] as AttributeValue) ?? 0
  );
}

export const nowSeconds = (): number => Date.now() / 1000;
