import { randomUUID } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { AuthorizationRequest } from '../authz/authorizer';
import { type JsonObject, parseJsonBody, targetAction } from '../aws/jsonProtocol';
import { SERVICE_PROTOCOLS } from '../aws/services';
import { AwsError, type AwsResponse, type AwsService } from '../aws/types';
import type { Faults } from '../faults';
import type { JournalStore } from '../store';
import { authorizations } from './authorization';
import { ConditionalCheckFailed, qualifiedType, TransactionCanceled } from './errors';
import { deleteItem, getItem, putItem, updateItem } from './itemActions';
import { query, scan } from './queryActions';
import type { DynamoAction, DynamoState, StoredTable } from './state';
import { createTable, deleteTable, describeTable, listTables } from './tableActions';
import { transactWriteItems } from './transactActions';

/**
 * DynamoDB emulator (AWS JSON 1.0, `X-Amz-Target: DynamoDB_20120810.<Operation>`): CreateTable,
 * DescribeTable, ListTables, DeleteTable, GetItem, PutItem, UpdateItem, DeleteItem, Query, Scan
 * and TransactWriteItems, with DynamoDB's expressions, validation messages and error types.
 * Tables and items live in the JournalStore, so a restart loses nothing. Each action runs
 * synchronously once authorized: a condition and the write it guards are one atomic step.
 */

const PROTOCOL = SERVICE_PROTOCOLS.dynamodb;
const INTERNAL_ERROR = new AwsError(500, 'InternalServerError', 'Internal server error');

const ACTIONS: Record<string, DynamoAction> = {
  CreateTable: createTable,
  DescribeTable: describeTable,
  ListTables: listTables,
  DeleteTable: deleteTable,
  GetItem: getItem,
  PutItem: putItem,
  UpdateItem: updateItem,
  DeleteItem: deleteItem,
  Query: query,
  Scan: scan,
  TransactWriteItems: transactWriteItems,
};

export const OPERATIONS = Object.keys(ACTIONS);

/** Checks that the caller may make these requests; throws the AccessDeniedException otherwise. */
export type Authorize = (requests: AuthorizationRequest[]) => Promise<void>;

export type DynamoDb = {
  /** The wire service, for the AWS endpoint. */
  service: AwsService;
  /** Runs one operation on a parsed request as the caller `authorize` checks (Step Functions' integration). */
  call(action: string, input: JsonObject, authorize: Authorize): Promise<JsonObject>;
};

export function createDynamoDbService(options: {
  store: JournalStore;
  faults: Faults;
  accountId: string;
  region: string;
}): DynamoDb {
  const state: DynamoState = {
    tables: options.store.collection<StoredTable>('tables'),
    store: options.store,
    accountId: options.accountId,
    region: options.region,
  };
  const call = async (action: string, input: JsonObject, authorize: Authorize): Promise<JsonObject> => {
    const handler = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
    if (!handler) throw new AwsError(400, 'UnknownOperationException', `Unknown operation ${action}.`);
    options.faults.check('dynamodb', action);
    await authorize(authorizations(state, action, input));
    return handler(state, input);
  };
  return {
    call,
    service: async (request) => {
      try {
        const action = targetAction(request, PROTOCOL);
        if (request.method !== 'POST' || !action) {
          throw new AwsError(400, 'UnknownOperationException', 'The requested operation is not supported.');
        }
        const input = parseJsonBody(request.body);
        return respond(200, await call(action, input, (requests) => request.caller.authorize(requests)));
      } catch (error) {
        if (error instanceof AwsError) return respond(error.status, errorBody(error));
        console.error('dynamodb emulator error', error);
        return respond(INTERNAL_ERROR.status, errorBody(INTERNAL_ERROR));
      }
    },
  };
}

/** DynamoDB's error body: the namespaced `__type`, the message, and the error's own members. */
export function errorBody(error: AwsError): JsonObject {
  const __type = qualifiedType(error.code);
  if (error instanceof TransactionCanceled) {
    return { __type, Message: error.message, CancellationReasons: error.reasons };
  }
  if (error instanceof ConditionalCheckFailed && error.item) {
    return { __type, message: error.message, Item: error.item };
  }
  return { __type, message: error.message };
}

/** A JSON 1.0 answer with DynamoDB's `X-Amz-Crc32` of the body (the aws CLI checks it and retries on a mismatch). */
function respond(status: number, body: JsonObject): AwsResponse {
  const text = JSON.stringify(body);
  return {
    status,
    headers: {
      'content-type': `application/x-amz-json-${PROTOCOL.version}`,
      'x-amzn-requestid': randomUUID(),
      'x-amz-crc32': String(crc32(Buffer.from(text, 'utf8'))),
    },
    body: text,
  };
}
