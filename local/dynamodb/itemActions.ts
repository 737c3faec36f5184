import type { JsonObject } from '../aws/jsonProtocol';
import { Validation } from '../aws/jsonValidation';
import { type Item, itemSize } from './attributeValues';
import { ConditionalCheckFailed, invalidParameter, MESSAGES, validation } from './errors';
import { applyUpdate, evaluateCondition, project } from './expressionEvaluator';
import { type Condition, type Path, parseCondition, parseProjection, parseUpdate } from './expressionParser';
import {
  consumed,
  RETURN_CONSUMED_CAPACITY,
  RETURN_ON_CONDITION_FAILURE,
  RETURN_VALUES,
  readEnum,
  readItemMember,
  readPlaceholders,
  readTableName,
  rejectLegacyParameters,
} from './requests';
import {
  checkItem,
  checkKey,
  type DynamoState,
  findTable,
  itemsOf,
  keyOf,
  type StoredTable,
  storageKey,
} from './state';

/**
 * One write, parsed and validated against its table but not yet run: the condition to check on
 * the current item, the item it leaves (undefined: none), and the answer. PutItem, UpdateItem,
 * DeleteItem and each of TransactWriteItems' operations are prepared alike, then run at once.
 */
export type PreparedWrite = {
  table: StoredTable;
  key: Item;
  condition?: Condition;
  returnItemOnFailure: boolean;
  /** The item after the write; `existing` back for a condition check (nothing written). */
  apply(existing: Item | undefined): Item | undefined;
  writes: boolean;
  respond(existing: Item | undefined, updated: Item | undefined): JsonObject;
};

const WRITE_UNIT = 1024;
const units = (item: Item | undefined, per: number) => Math.max(1, Math.ceil(itemSize(item ?? {}) / per));

/** The write's ConditionExpression, parsed, if it has one. */
function optionalCondition(
  expression: string | undefined,
  placeholders: Parameters<typeof parseCondition>[2],
): ReturnType<typeof parseCondition> | undefined {
  return expression === undefined
    ? undefined
    : parseCondition(expression, 'ConditionExpression', placeholders);
}

function readCommon(check: Validation, input: JsonObject) {
  rejectLegacyParameters(input);
  return {
    tableName: readTableName(check, input),
    conditionExpression: check.string(input, 'ConditionExpression', {}),
    returnConsumed: readEnum(check, input, 'ReturnConsumedCapacity', RETURN_CONSUMED_CAPACITY),
    returnOnFailure: readEnum(
      check,
      input,
      'ReturnValuesOnConditionCheckFailure',
      RETURN_ON_CONDITION_FAILURE,
    ),
  };
}

export function preparePut(state: DynamoState, input: JsonObject): PreparedWrite {
  const check = new Validation();
  const common = readCommon(check, input);
  const item = readItemMember(check, input, 'Item', true);
  const returnValues = readEnum(check, input, 'ReturnValues', RETURN_VALUES) ?? 'NONE';
  check.done();
  const table = findTable(state, common.tableName);
  checkItem(table, item as Item);
  if (returnValues !== 'NONE' && returnValues !== 'ALL_OLD')
    throw validation('ReturnValues can only be ALL_OLD or NONE');
  const placeholders = readPlaceholders(input, ['ConditionExpression']);
  const condition = optionalCondition(common.conditionExpression, placeholders);
  placeholders.checkAllUsed();
  const written = item as Item;
  return {
    table,
    key: keyOf(table, written),
    condition,
    returnItemOnFailure: common.returnOnFailure === 'ALL_OLD',
    writes: true,
    apply: () => written,
    respond: (existing) => ({
      ...(returnValues === 'ALL_OLD' && existing ? { Attributes: existing } : {}),
      ...consumed(common.returnConsumed, table.name, units(written, WRITE_UNIT)),
    }),
  };
}

export function prepareDelete(state: DynamoState, input: JsonObject): PreparedWrite {
  const check = new Validation();
  const common = readCommon(check, input);
  const key = readItemMember(check, input, 'Key', true);
  const returnValues = readEnum(check, input, 'ReturnValues', RETURN_VALUES) ?? 'NONE';
  check.done();
  const table = findTable(state, common.tableName);
  checkKey(table, key as Item);
  if (returnValues !== 'NONE' && returnValues !== 'ALL_OLD')
    throw validation('ReturnValues can only be ALL_OLD or NONE');
  const placeholders = readPlaceholders(input, ['ConditionExpression']);
  const condition = optionalCondition(common.conditionExpression, placeholders);
  placeholders.checkAllUsed();
  return {
    table,
    key: key as Item,
    condition,
    returnItemOnFailure: common.returnOnFailure === 'ALL_OLD',
    writes: true,
    apply: () => undefined,
    respond: (existing) => ({
      ...(returnValues === 'ALL_OLD' && existing ? { Attributes: existing } : {}),
      ...consumed(common.returnConsumed, table.name, units(existing, WRITE_UNIT)),
    }),
  };
}

export function prepareUpdate(state: DynamoState, input: JsonObject): PreparedWrite {
  const check = new Validation();
  const common = readCommon(check, input);
  const key = readItemMember(check, input, 'Key', true);
  const updateExpression = check.string(input, 'UpdateExpression', {});
  const returnValues = readEnum(check, input, 'ReturnValues', RETURN_VALUES) ?? 'NONE';
  check.done();
  const table = findTable(state, common.tableName);
  checkKey(table, key as Item);
  const placeholders = readPlaceholders(input, ['ConditionExpression', 'UpdateExpression']);
  const actions = updateExpression === undefined ? [] : parseUpdate(updateExpression, placeholders);
  const condition = optionalCondition(common.conditionExpression, placeholders);
  placeholders.checkAllUsed();
  for (const action of actions) {
    const top = action.path[0];
    if (typeof top === 'string' && table.keySchema.some((k) => k.AttributeName === top)) {
      throw invalidParameter(`Cannot update attribute ${top}. This attribute is part of the key`);
    }
  }
  const paths: Path[] = actions.map((a) => a.path);
  return {
    table,
    key: key as Item,
    condition,
    returnItemOnFailure: common.returnOnFailure === 'ALL_OLD',
    writes: true,
    apply: (existing) => {
      const updated = applyUpdate(existing ?? structuredClone(key as Item), actions);
      checkItem(table, updated, MESSAGES.updateTooLarge);
      return updated;
    },
    respond: (existing, updated) => {
      const attributes =
        returnValues === 'ALL_OLD'
          ? existing
          : returnValues === 'ALL_NEW'
            ? updated
            : returnValues === 'UPDATED_OLD'
              ? existing && project(existing, paths)
              : returnValues === 'UPDATED_NEW'
                ? updated && project(updated, paths)
                : undefined;
      return {
        ...(attributes && Object.keys(attributes).length > 0 ? { Attributes: attributes } : {}),
        ...consumed(common.returnConsumed, table.name, units(updated, WRITE_UNIT)),
      };
    },
  };
}

export function prepareConditionCheck(state: DynamoState, input: JsonObject): PreparedWrite {
  const check = new Validation();
  const common = readCommon(check, input);
  const key = readItemMember(check, input, 'Key', true);
  check.string(input, 'ConditionExpression', { required: true });
  check.done();
  const table = findTable(state, common.tableName);
  checkKey(table, key as Item);
  const placeholders = readPlaceholders(input, ['ConditionExpression']);
  const condition = parseCondition(common.conditionExpression ?? '', 'ConditionExpression', placeholders);
  placeholders.checkAllUsed();
  return {
    table,
    key: key as Item,
    condition,
    returnItemOnFailure: common.returnOnFailure === 'ALL_OLD',
    writes: false,
    apply: (existing) => existing,
    respond: () => ({}),
  };
}

/** Checks the write's condition on the current item; throws ConditionalCheckFailedException when it fails. */
export function checkCondition(state: DynamoState, write: PreparedWrite): Item | undefined {
  const existing = itemsOf(state, write.table).get(storageKey(write.table, write.key));
  if (write.condition && !evaluateCondition(existing, write.condition)) {
    throw new ConditionalCheckFailed(write.returnItemOnFailure ? existing : undefined);
  }
  return existing;
}

export function store(state: DynamoState, write: PreparedWrite, updated: Item | undefined): void {
  if (!write.writes) return;
  const items = itemsOf(state, write.table);
  const key = storageKey(write.table, write.key);
  if (updated) items.set(key, updated);
  else items.delete(key);
}

function runWrite(state: DynamoState, write: PreparedWrite): JsonObject {
  const existing = checkCondition(state, write);
  const updated = write.apply(existing);
  store(state, write, updated);
  return write.respond(existing, updated);
}

export const putItem = (state: DynamoState, input: JsonObject) => runWrite(state, preparePut(state, input));
export const updateItem = (state: DynamoState, input: JsonObject) =>
  runWrite(state, prepareUpdate(state, input));
export const deleteItem = (state: DynamoState, input: JsonObject) =>
  runWrite(state, prepareDelete(state, input));

export function getItem(state: DynamoState, input: JsonObject): JsonObject {
  rejectLegacyParameters(input);
  const check = new Validation();
  const tableName = readTableName(check, input);
  const key = readItemMember(check, input, 'Key', true);
  check.boolean(input, 'ConsistentRead');
  const projectionExpression = check.string(input, 'ProjectionExpression', {});
  const returnConsumed = readEnum(check, input, 'ReturnConsumedCapacity', RETURN_CONSUMED_CAPACITY);
  check.done();
  const table = findTable(state, tableName);
  checkKey(table, key as Item);
  const placeholders = readPlaceholders(input, ['ProjectionExpression']);
  const paths =
    projectionExpression === undefined ? undefined : parseProjection(projectionExpression, placeholders);
  placeholders.checkAllUsed();
  const item = itemsOf(state, table).get(storageKey(table, key as Item));
  return {
    ...(item ? { Item: paths ? project(item, paths) : item } : {}),
    ...consumed(returnConsumed, table.name, units(item, 4 * 1024) / (input.ConsistentRead === true ? 1 : 2)),
  };
}
