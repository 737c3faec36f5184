import type { AuthorizationRequest } from '../authz/authorizer';
import type { JsonObject } from '../aws/jsonProtocol';
import { type AttributeValue, readValue } from './attributeValues';
import { type Condition, Placeholders, parseCondition, parseUpdate } from './expressionParser';
import { type DynamoState, hashKeyOf, type StoredTable, tableArn, tableNameOf } from './state';
import { OPERATIONS, type TransactOperation } from './transactActions';

/**
 * What AWS authorizes for a DynamoDB request (Service Authorization Reference): the action on the
 * table's ARN with the documented request keys: dynamodb:LeadingKeys (the partition key value
 * the request touches), dynamodb:Attributes (the attributes a write names), dynamodb:ReturnValues
 * and dynamodb:Select; CreateTable's tags. TransactWriteItems is authorized per operation, as the
 * PutItem, UpdateItem, DeleteItem or ConditionCheckItem it contains.
 */
export function authorizations(
  state: DynamoState,
  action: string,
  input: JsonObject,
): AuthorizationRequest[] {
  if (action === 'ListTables') return [{ action: 'dynamodb:ListTables', resource: '*' }];
  if (action === 'TransactWriteItems') {
    const elements = Array.isArray(input.TransactItems) ? (input.TransactItems as unknown[]) : [];
    return elements.flatMap((element) => {
      if (typeof element !== 'object' || element === null) return [];
      const operation = (Object.keys(OPERATIONS) as TransactOperation[]).find((op) => op in element);
      const parameters = operation && (element as JsonObject)[operation];
      if (!operation || typeof parameters !== 'object' || parameters === null) return [];
      const itemAction = operation === 'ConditionCheck' ? 'ConditionCheckItem' : `${operation}Item`;
      return [request(state, itemAction, parameters as JsonObject)];
    });
  }
  return [request(state, action, input)];
}

function request(state: DynamoState, action: string, input: JsonObject): AuthorizationRequest {
  const nameOrArn = typeof input.TableName === 'string' ? input.TableName : '';
  const resource = nameOrArn.startsWith('arn:') ? nameOrArn : tableArn(state, nameOrArn);
  const table = state.tables.get(tableNameOf(nameOrArn));
  const keys: NonNullable<AuthorizationRequest['keys']> = {};
  for (const member of ['ReturnValues', 'Select'] as const) {
    if (typeof input[member] === 'string') keys[`dynamodb:${member}`] = input[member] as string;
  }
  if (action === 'CreateTable' && Array.isArray(input.Tags)) {
    const tags = (input.Tags as Array<{ Key?: unknown; Value?: unknown }>).filter(
      (t) => typeof t?.Key === 'string',
    );
    for (const tag of tags) keys[`aws:RequestTag/${String(tag.Key)}`] = String(tag.Value ?? '');
    if (tags.length > 0) keys['aws:TagKeys'] = tags.map((t) => String(t.Key));
  }
  if (table) {
    const leading = leadingKey(table, action, input);
    if (leading !== undefined) keys['dynamodb:LeadingKeys'] = [leading];
    const attributes = attributesOf(table, action, input);
    if (attributes) keys['dynamodb:Attributes'] = attributes;
  }
  return { action: `dynamodb:${action}`, resource, keys };
}

function scalarText(raw: unknown): string | undefined {
  try {
    const value = readValue(raw);
    const content = Object.values(value)[0];
    return typeof content === 'string' ? content : undefined;
  } catch {
    return undefined;
  }
}

/** Placeholders as sent, for reading the request leniently (its validation comes later). */
function lenientPlaceholders(input: JsonObject): Placeholders {
  const names = input.ExpressionAttributeNames as Record<string, string> | undefined;
  const values: Record<string, AttributeValue> = {};
  for (const [key, raw] of Object.entries(
    (input.ExpressionAttributeValues as JsonObject | undefined) ?? {},
  )) {
    try {
      values[key] = readValue(raw);
    } catch {
      // left out: the action reports it
    }
  }
  return new Placeholders(typeof names === 'object' && names !== null ? names : undefined, values);
}

function leadingKey(table: StoredTable, action: string, input: JsonObject): string | undefined {
  const hash = hashKeyOf(table).AttributeName;
  const record = (action === 'PutItem' ? input.Item : input.Key) as JsonObject | undefined;
  if (typeof record === 'object' && record !== null && action !== 'Query') return scalarText(record[hash]);
  if (action !== 'Query' || typeof input.KeyConditionExpression !== 'string') return undefined;
  let condition: Condition;
  try {
    condition = parseCondition(
      input.KeyConditionExpression,
      'KeyConditionExpression',
      lenientPlaceholders(input),
    );
  } catch {
    return undefined;
  }
  const find = (c: Condition): string | undefined => {
    if (c.kind === 'and') return find(c.left) ?? find(c.right);
    if (c.kind !== 'compare' || c.operator !== '=' || c.left.kind !== 'path' || c.right.kind !== 'value')
      return undefined;
    if (c.left.path.length !== 1 || c.left.path[0] !== hash) return undefined;
    const content = Object.values(c.right.value)[0];
    return typeof content === 'string' ? content : undefined;
  };
  return find(condition);
}

/** The top-level attributes a write names: every attribute of a PutItem, the key and updated paths of an UpdateItem. */
function attributesOf(table: StoredTable, action: string, input: JsonObject): string[] | undefined {
  if (action === 'PutItem' && typeof input.Item === 'object' && input.Item !== null)
    return Object.keys(input.Item);
  if (action !== 'UpdateItem') return undefined;
  const names = new Set(table.keySchema.map((k) => k.AttributeName));
  if (typeof input.UpdateExpression === 'string') {
    try {
      for (const update of parseUpdate(input.UpdateExpression, lenientPlaceholders(input))) {
        if (typeof update.path[0] === 'string') names.add(update.path[0]);
      }
    } catch {
      return undefined;
    }
  }
  return [...names];
}
