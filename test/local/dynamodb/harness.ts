import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
  DynamoDBServiceException,
} from '@aws-sdk/client-dynamodb';
import { createDynamoDbService } from '../../../local/dynamodb/dynamodbService';
import { Faults } from '../../../local/faults';
import { JournalStore } from '../../../local/store';
import { clientConfig, rejection, type ServiceServer, startServiceServer } from '../support/serviceServer';

export const ACCOUNT_ID = '123456789012';
export const REGION = 'us-east-1';

/** The employee directory of the lifecycle workflows: key `employeeId` (S). */
export const EMPLOYEES: CreateTableCommandInput = {
  TableName: 'employees',
  KeySchema: [{ AttributeName: 'employeeId', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'employeeId', AttributeType: 'S' }],
  BillingMode: 'PAY_PER_REQUEST',
};

/** A table with a sort key, for Query. */
export const EVENTS: CreateTableCommandInput = {
  TableName: 'events',
  KeySchema: [
    { AttributeName: 'employeeId', KeyType: 'HASH' },
    { AttributeName: 'at', KeyType: 'RANGE' },
  ],
  AttributeDefinitions: [
    { AttributeName: 'employeeId', AttributeType: 'S' },
    { AttributeName: 'at', AttributeType: 'N' },
  ],
  BillingMode: 'PROVISIONED',
  ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
};

/** The SDK error of a call that must fail. */
export const failure = (call: Promise<unknown>) => rejection(call, DynamoDBServiceException);

/** The DynamoDB emulator on its own data folder; `restart()` reopens the same folder. */
export class Harness {
  readonly dir = mkdtempSync(join(tmpdir(), 'dynamodb-'));
  faults = new Faults();
  client!: DynamoDBClient;
  private server: ServiceServer | undefined;

  async start(): Promise<void> {
    const store = JournalStore.open(this.dir, 'dynamodb');
    const dynamodb = createDynamoDbService({
      store,
      faults: this.faults,
      accountId: ACCOUNT_ID,
      region: REGION,
    });
    this.server = await startServiceServer(dynamodb.service);
    this.client = new DynamoDBClient(clientConfig(this.server.endpoint, REGION));
  }

  get url(): string {
    if (!this.server) throw new Error('not started');
    return this.server.endpoint;
  }

  async createTable(input: CreateTableCommandInput = EMPLOYEES): Promise<void> {
    await this.client.send(new CreateTableCommand(input));
  }

  async stop(): Promise<void> {
    this.client.destroy();
    const server = this.server;
    this.server = undefined;
    await server?.close();
  }

  async restart(): Promise<void> {
    await this.stop();
    this.faults = new Faults();
    await this.start();
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A raw JSON 1.0 call, to see the wire format the SDK hides. */
  async raw(
    operation: string,
    body: unknown,
  ): Promise<{ status: number; headers: Headers; text: string; json: Record<string, unknown> }> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `DynamoDB_20120810.${operation}`,
      },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: JSON.parse(text) };
  }
}
