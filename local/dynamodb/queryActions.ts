import type { JsonObject } from '../aws/jsonProtocol';
import { Validation } from '../aws/jsonValidation';
import {
  type AttributeValue,
  compareScalars,
  equalValues,
  type Item,
  itemSize,
  typeOf,
} from './attributeValues';
import { invalidParameter, validation } from './errors';
import { evaluateCondition, project } from './expressionEvaluator';
import { type Condition, type Operand, type Path, parseCondition, parseProjection } from './expressionParser';
import {
  consumed,
  RETURN_CONSUMED_CAPACITY,
  readEnum,
  readItemMember,
  readPlaceholders,
  readTableName,
  rejectLegacyParameters,
} from './requests';
import {
  checkKey,
  compareRange,
  type DynamoState,
  findTable,
  hashKeyOf,
  keyOf,
  keyTypeOf,
  orderedItems,
  partitionOrder,
  rangeKeyOf,
  type StoredTable,
} from './state';

/** Query and Scan, paged as DynamoDB pages: Limit items evaluated or 1 MB read, then LastEvaluatedKey. */

const PAGE_BYTES = 1024 * 1024;
const SELECT = ['ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES', 'SPECIFIC_ATTRIBUTES', 'COUNT'];

type ReadRequest = {
  table: StoredTable;
  limit?: number;
  startKey?: Item;
  filter?: Condition;
  projection?: Path[];
  select: string;
  returnConsumed?: string;
};

function readRequest(check: Validation, state: DynamoState, input: JsonObject, expressions: string[]) {
  rejectLegacyParameters(input);
  const tableName = readTableName(check, input);
  const indexName = check.string(input, 'IndexName', { min: 3, max: 255 });
  const limit = check.integer(input, 'Limit', { min: 1 });
  const startKey = readItemMember(check, input, 'ExclusiveStartKey', false);
  const filterExpression = check.string(input, 'FilterExpression', {});
  const projectionExpression = check.string(input, 'ProjectionExpression', {});
  const select = readEnum(check, input, 'Select', SELECT);
  const returnConsumed = readEnum(check, input, 'ReturnConsumedCapacity', RETURN_CONSUMED_CAPACITY);
  check.boolean(input, 'ConsistentRead');
  return {
    finish(): { request: ReadRequest; placeholders: ReturnType<typeof readPlaceholders> } {
      check.done();
      const table = findTable(state, tableName);
      if (indexName !== undefined)
        throw validation(`The table does not have the specified index: ${indexName}`);
      if (select === 'ALL_PROJECTED_ATTRIBUTES') {
        throw validation('ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName');
      }
      if (select === 'SPECIFIC_ATTRIBUTES' && projectionExpression === undefined) {
        throw validation('Select type SPECIFIC_ATTRIBUTES requires a ProjectionExpression');
      }
      if (select !== undefined && select !== 'SPECIFIC_ATTRIBUTES' && projectionExpression !== undefined) {
        throw validation(`Cannot specify the ProjectionExpression when choosing to get ${select}`);
      }
      if (startKey)
        checkKey(
          table,
          startKey,
          'The provided starting key is invalid: The provided key element does not match the schema',
        );
      const placeholders = readPlaceholders(input, [
        ...expressions,
        'FilterExpression',
        'ProjectionExpression',
      ]);
      return {
        placeholders,
        request: {
          table,
          limit,
          startKey,
          filter:
            filterExpression === undefined
              ? undefined
              : parseCondition(filterExpression, 'FilterExpression', placeholders),
          projection:
            projectionExpression === undefined
              ? undefined
              : parseProjection(projectionExpression, placeholders),
          select: select ?? 'ALL_ATTRIBUTES',
          returnConsumed,
        },
      };
    },
  };
}

/** Reads `candidates` (already positioned after ExclusiveStartKey) into one page. */
function page(request: ReadRequest, candidates: Item[]): JsonObject {
  const items: Item[] = [];
  let scanned = 0;
  let bytes = 0;
  let last: Item | undefined;
  for (const item of candidates) {
    if (request.limit !== undefined && scanned >= request.limit) break;
    if (bytes >= PAGE_BYTES) break;
    scanned += 1;
    bytes += itemSize(item);
    last = item;
    if (request.filter && !evaluateCondition(item, request.filter)) continue;
    items.push(request.projection ? project(item, request.projection) : item);
  }
  // Stopped by the limit or the page size (even on the last item, as DynamoDB does): a key to go on from.
  const stopped =
    last !== undefined && ((request.limit !== undefined && scanned >= request.limit) || bytes >= PAGE_BYTES);
  return {
    ...(request.select === 'COUNT' ? {} : { Items: items }),
    Count: items.length,
    ScannedCount: scanned,
    ...(stopped && last ? { LastEvaluatedKey: keyOf(request.table, last) } : {}),
    ...consumed(request.returnConsumed, request.table.name, Math.max(1, Math.ceil(bytes / 4096)) / 2),
  };
}

export function scan(state: DynamoState, input: JsonObject): JsonObject {
  const check = new Validation();
  const reading = readRequest(check, state, input, []);
  const segment = check.integer(input, 'Segment', { min: 0, max: 999999 });
  const totalSegments = check.integer(input, 'TotalSegments', { min: 1, max: 1000000 });
  const { request, placeholders } = reading.finish();
  placeholders.checkAllUsed();
  if ((segment === undefined) !== (totalSegments === undefined)) {
    throw validation(
      `The TotalSegments parameter is required but was not present in the request when parameter Segment is present`,
    );
  }
  if (segment !== undefined && totalSegments !== undefined && segment >= totalSegments) {
    throw validation(
      `The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${segment} is not less than TotalSegments: ${totalSegments}`,
    );
  }
  const { table, startKey } = request;
  let candidates = orderedItems(state, table);
  if (segment !== undefined && totalSegments !== undefined) {
    candidates = candidates.filter(
      (item) => Number.parseInt(partitionOrder(table, item).slice(0, 8), 16) % totalSegments === segment,
    );
  }
  if (startKey) {
    const order = partitionOrder(table, startKey);
    candidates = candidates.filter((item) => {
      const other = partitionOrder(table, item);
      return other > order || (other === order && compareRange(table, item, startKey) > 0);
    });
  }
  return page(request, candidates);
}

type KeyCondition = { hash: AttributeValue; range?: (value: AttributeValue) => boolean };

export function query(state: DynamoState, input: JsonObject): JsonObject {
  const check = new Validation();
  const reading = readRequest(check, state, input, ['KeyConditionExpression']);
  const keyConditionExpression = check.string(input, 'KeyConditionExpression', {});
  const forward = check.boolean(input, 'ScanIndexForward') ?? true;
  const { request, placeholders } = reading.finish();
  if (keyConditionExpression === undefined) {
    throw validation(
      'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.',
    );
  }
  const parsed = parseCondition(keyConditionExpression, 'KeyConditionExpression', placeholders);
  placeholders.checkAllUsed();
  const { table, startKey } = request;
  const keys = keyCondition(table, parsed);
  const hashName = hashKeyOf(table).AttributeName;
  if (startKey && !equalValues(startKey[hashName] as AttributeValue, keys.hash)) {
    throw validation('The provided starting key is outside query boundaries based on provided conditions');
  }
  let candidates = orderedItems(state, table).filter(
    (item) =>
      equalValues(item[hashName] as AttributeValue, keys.hash) &&
      (!keys.range || keys.range(item[rangeKeyOf(table)?.AttributeName ?? ''] as AttributeValue)),
  );
  if (!forward) candidates.reverse();
  if (startKey) {
    candidates = candidates.filter((item) => compareRange(table, item, startKey) * (forward ? 1 : -1) > 0);
  }
  return page(request, candidates);
}

/** The key condition's hash key value and sort key test, checked against the key schema as DynamoDB does. */
function keyCondition(table: StoredTable, condition: Condition): KeyCondition {
  const parts: Condition[] = [];
  const flatten = (c: Condition) => {
    if (c.kind === 'and') {
      flatten(c.left);
      flatten(c.right);
    } else parts.push(c);
  };
  flatten(condition);
  const hashName = hashKeyOf(table).AttributeName;
  const rangeName = rangeKeyOf(table)?.AttributeName;
  let hash: AttributeValue | undefined;
  let range: KeyCondition['range'];
  const seen = new Set<string>();
  for (const part of parts) {
    const { name, test } = keyTest(part);
    if (seen.has(name)) throw validation('KeyConditionExpressions must only contain one condition per key');
    seen.add(name);
    if (name !== hashName && name !== rangeName)
      throw validation('Query condition missed key schema element');
    const expected = keyTypeOf(table, name);
    if (test.values.some((v) => typeOf(v) !== expected)) {
      throw invalidParameter('Condition parameter type does not match schema type');
    }
    if (name === hashName) {
      if (test.operator !== '=') throw validation('Query key condition not supported');
      hash = test.values[0];
    } else {
      range = test.matches;
    }
  }
  if (!hash) throw validation(`Query condition missed key schema element: ${hashName}`);
  return { hash, range };
}

type KeyTest = { operator: string; values: AttributeValue[]; matches: (value: AttributeValue) => boolean };

function keyTest(part: Condition): { name: string; test: KeyTest } {
  const nameOf = (operand: Operand | undefined): string => {
    if (operand?.kind !== 'path' || operand.path.length !== 1 || typeof operand.path[0] !== 'string') {
      throw validation('Query key condition not supported');
    }
    return operand.path[0];
  };
  const boundOf = (operand: Operand | undefined): AttributeValue => {
    if (operand?.kind !== 'value') throw validation('Query key condition not supported');
    return operand.value;
  };
  const order = (value: AttributeValue, bound: AttributeValue) => compareScalars(value, bound) ?? Number.NaN;
  switch (part.kind) {
    case 'compare': {
      if (part.operator === '<>') throw validation('Invalid operator used in KeyConditionExpression: <>');
      const bound = boundOf(part.right);
      const operator = part.operator;
      const matches = (value: AttributeValue) => {
        const o = order(value, bound);
        if (operator === '=') return o === 0;
        if (operator === '<') return o < 0;
        if (operator === '<=') return o <= 0;
        if (operator === '>') return o > 0;
        return o >= 0;
      };
      return { name: nameOf(part.left), test: { operator, values: [bound], matches } };
    }
    case 'between': {
      const low = boundOf(part.low);
      const high = boundOf(part.high);
      const matches = (value: AttributeValue) => order(value, low) >= 0 && order(value, high) <= 0;
      return { name: nameOf(part.operand), test: { operator: 'BETWEEN', values: [low, high], matches } };
    }
    case 'function': {
      if (part.name !== 'begins_with')
        throw validation(`Invalid operator used in KeyConditionExpression: ${part.name}`);
      const prefix = boundOf(part.args[1]);
      const matches = (value: AttributeValue) =>
        evaluateCondition(
          { v: value },
          {
            kind: 'function',
            name: 'begins_with',
            args: [
              { kind: 'path', path: ['v'] },
              { kind: 'value', value: prefix },
            ],
          },
        );
      return { name: nameOf(part.args[0]), test: { operator: 'BEGINS_WITH', values: [prefix], matches } };
    }
    case 'in':
      throw validation('Invalid operator used in KeyConditionExpression: IN');
    case 'not':
      throw validation('Invalid operator used in KeyConditionExpression: NOT');
    case 'or':
      throw validation('Invalid operator used in KeyConditionExpression: OR');
    default:
      throw validation('Query key condition not supported');
  }
}
