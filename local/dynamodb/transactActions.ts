import type { JsonObject } from '../aws/jsonProtocol';
import { serialization, Validation } from '../aws/jsonValidation';
import { AwsError } from '../aws/types';
import type { Item } from './attributeValues';
import {
  type CancellationReason,
  ConditionalCheckFailed,
  MESSAGES,
  TransactionCanceled,
  validation,
} from './errors';
import {
  checkCondition,
  type PreparedWrite,
  prepareConditionCheck,
  prepareDelete,
  preparePut,
  prepareUpdate,
  store,
} from './itemActions';
import { type DynamoState, storageKey } from './state';

/**
 * TransactWriteItems: up to 100 Put, Update, Delete and ConditionCheck operations on distinct
 * items, all or nothing. Every condition is checked first; when any fails, nothing is written and
 * the answer is TransactionCanceledException with one CancellationReason per operation.
 */

export const OPERATIONS = {
  Put: preparePut,
  Update: prepareUpdate,
  Delete: prepareDelete,
  ConditionCheck: prepareConditionCheck,
} as const;

export type TransactOperation = keyof typeof OPERATIONS;

/** Each element's one operation and its parameters, as the request lists them. */
export function transactItems(
  input: JsonObject,
): Array<{ operation: TransactOperation; parameters: JsonObject }> {
  const check = new Validation();
  const raw = input.TransactItems;
  if (raw === undefined || raw === null) check.missing('TransactItems');
  else if (!Array.isArray(raw)) throw serialization('TransactItems');
  else check.length('transactItems', raw.length, undefined, { min: 1, max: 100 });
  check.done();
  return (raw as unknown[]).map((element) => {
    if (typeof element !== 'object' || element === null) throw serialization('TransactItems');
    const present = (Object.keys(OPERATIONS) as TransactOperation[]).filter(
      (op) => (element as JsonObject)[op] !== undefined && (element as JsonObject)[op] !== null,
    );
    if (present.length !== 1) {
      throw validation('TransactItems can only contain one of Check, Put, Update or Delete');
    }
    const operation = present[0] as TransactOperation;
    const parameters = (element as JsonObject)[operation];
    if (typeof parameters !== 'object' || parameters === null) throw serialization(operation);
    return { operation, parameters: parameters as JsonObject };
  });
}

export function transactWriteItems(state: DynamoState, input: JsonObject): JsonObject {
  const check = new Validation();
  check.string(input, 'ClientRequestToken', { min: 1, max: 36 });
  check.done();
  const writes: PreparedWrite[] = transactItems(input).map(({ operation, parameters }) =>
    OPERATIONS[operation](state, parameters),
  );
  const seen = new Set<string>();
  for (const write of writes) {
    const id = `${write.table.name}\u0000${storageKey(write.table, write.key)}`;
    if (seen.has(id)) throw validation('Transaction request cannot include multiple operations on one item');
    seen.add(id);
  }
  const reasons: CancellationReason[] = [];
  const existing: Array<Item | undefined> = [];
  for (const write of writes) {
    try {
      existing.push(checkCondition(state, write));
      reasons.push({ Code: 'None' });
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailed)) throw error;
      existing.push(undefined);
      reasons.push({
        Code: 'ConditionalCheckFailed',
        Message: MESSAGES.conditionalCheckFailed,
        ...(error.item ? { Item: error.item } : {}),
      });
    }
  }
  if (reasons.some((r) => r.Code !== 'None')) throw new TransactionCanceled(reasons);
  // Every new item is computed before any is written: an update that cannot apply cancels them all.
  const updated = writes.map((write, i) => {
    try {
      return write.apply(existing[i]);
    } catch (error) {
      if (!(error instanceof AwsError && error.code === 'ValidationException')) throw error;
      throw new TransactionCanceled(
        writes.map((_, j) =>
          j === i ? { Code: 'ValidationError', Message: error.message } : { Code: 'None' },
        ),
      );
    }
  });
  writes.forEach((write, i) => {
    store(state, write, updated[i]);
  });
  return {};
}
