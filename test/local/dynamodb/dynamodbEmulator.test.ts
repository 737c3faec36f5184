import { crc32 } from 'node:zlib';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  ListTablesCommand,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  QueryCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  ScanCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { EMPLOYEES, EVENTS, failure, Harness } from './harness';

const LOCK = {
  TableName: 'employees',
  Key: { employeeId: { S: 'e-1' } },
  UpdateExpression: 'SET lockedBy = :me, lastEventAt = :at',
  ConditionExpression: 'attribute_not_exists(lockedBy) OR lockedBy = :me',
};
const lockAs = (me: string, at = '2026-12-02T10:00:00Z') => ({
  ...LOCK,
  ExpressionAttributeValues: { ':me': { S: me }, ':at': { S: at } },
});

describe('DynamoDB emulator', () => {
  let harness: Harness;

  beforeEach(async () => {
    harness = new Harness();
    await harness.start();
  });

  afterEach(() => harness.dispose());

  const send = (command: unknown): Promise<unknown> => harness.client.send(command as never);

  describe('tables', () => {
    it('creates a PAY_PER_REQUEST table CREATING, then describes it ACTIVE with its ARN and key schema', async () => {
      const created = await harness.client.send(new CreateTableCommand(EMPLOYEES));
      const described = await harness.client.send(new DescribeTableCommand({ TableName: 'employees' }));

      expect(created.TableDescription).toMatchObject({
        TableName: 'employees',
        TableStatus: 'CREATING',
        TableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/employees',
        BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
        ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
      });
      expect(described.Table).toMatchObject({
        TableStatus: 'ACTIVE',
        KeySchema: EMPLOYEES.KeySchema,
        AttributeDefinitions: EMPLOYEES.AttributeDefinitions,
        ItemCount: 0,
      });
    });

    it('creates a PROVISIONED table with a sort key and its capacity', async () => {
      const created = await harness.client.send(new CreateTableCommand(EVENTS));

      expect(created.TableDescription?.ProvisionedThroughput).toMatchObject({
        ReadCapacityUnits: 5,
        WriteCapacityUnits: 5,
      });
      expect(created.TableDescription?.BillingModeSummary).toBeUndefined();
    });

    it.each([
      {
        what: 'a PROVISIONED table without throughput',
        input: { ...EMPLOYEES, BillingMode: 'PROVISIONED' as const },
        message:
          'One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED',
      },
      {
        what: 'a PAY_PER_REQUEST table with throughput',
        input: { ...EMPLOYEES, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } },
        message:
          'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
      },
      {
        what: 'a RANGE key first',
        input: { ...EMPLOYEES, KeySchema: [{ AttributeName: 'employeeId', KeyType: 'RANGE' as const }] },
        message: 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type',
      },
      {
        what: 'an attribute definition no key uses',
        input: {
          ...EMPLOYEES,
          AttributeDefinitions: [
            { AttributeName: 'employeeId', AttributeType: 'S' as const },
            { AttributeName: 'userName', AttributeType: 'S' as const },
          ],
        },
        message:
          'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions',
      },
      {
        what: 'a table name with a slash',
        input: { ...EMPLOYEES, TableName: '/employees' },
        message:
          "1 validation error detected: Value '/employees' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
      },
    ])('refuses $what with ValidationException', async ({ input, message }) => {
      const error = await failure(harness.client.send(new CreateTableCommand(input)));

      expect(error.name).toBe('ValidationException');
      expect(error.message).toBe(message);
    });

    it('refuses a second table of the same name with ResourceInUseException', async () => {
      await harness.createTable();

      const error = await failure(harness.createTable());

      expect(error).toBeInstanceOf(ResourceInUseException);
      expect(error.message).toBe('Table already exists: employees');
    });

    it('lists tables in name order, a page at a time', async () => {
      await harness.createTable({ ...EMPLOYEES, TableName: 'zeta' });
      await harness.createTable({ ...EMPLOYEES, TableName: 'alpha' });
      await harness.createTable({ ...EMPLOYEES, TableName: 'mid' });

      const first = await harness.client.send(new ListTablesCommand({ Limit: 2 }));
      const second = await harness.client.send(
        new ListTablesCommand({ ExclusiveStartTableName: first.LastEvaluatedTableName }),
      );

      expect(first).toMatchObject({ TableNames: ['alpha', 'mid'], LastEvaluatedTableName: 'mid' });
      expect(second.TableNames).toEqual(['zeta']);
      expect(second.LastEvaluatedTableName).toBeUndefined();
    });

    it('deletes a table and its items; describing it then is ResourceNotFoundException', async () => {
      await harness.createTable();
      await send(new PutItemCommand({ TableName: 'employees', Item: { employeeId: { S: 'e-1' } } }));

      const deleted = await harness.client.send(new DeleteTableCommand({ TableName: 'employees' }));
      const error = await failure(harness.client.send(new DescribeTableCommand({ TableName: 'employees' })));
      await harness.createTable();
      const after = await harness.client.send(new ScanCommand({ TableName: 'employees' }));

      expect(deleted.TableDescription?.TableStatus).toBe('DELETING');
      expect(error).toBeInstanceOf(ResourceNotFoundException);
      expect(error.message).toBe('Requested resource not found: Table: employees not found');
      expect(after.Items).toEqual([]);
    });

    it('answers an item operation on a missing table with ResourceNotFoundException', async () => {
      const error = await failure(
        harness.client.send(new GetItemCommand({ TableName: 'missing', Key: { employeeId: { S: 'e' } } })),
      );

      expect(error).toBeInstanceOf(ResourceNotFoundException);
      expect(error.message).toBe('Requested resource not found');
    });
  });

  describe('items', () => {
    beforeEach(() => harness.createTable());

    it('puts and gets an item of every attribute type, numbers normalized as DynamoDB returns them', async () => {
      const item = {
        employeeId: { S: 'e-1' },
        s: { S: 'text' },
        n: { N: '0012.500' },
        b: { B: new Uint8Array([1, 2, 3]) },
        bool: { BOOL: true },
        nul: { NULL: true },
        m: { M: { nested: { S: 'x' } } },
        l: { L: [{ N: '1' }, { S: 'two' }] },
        ss: { SS: ['a', 'b'] },
        ns: { NS: ['1', '2.50'] },
        bs: { BS: [new Uint8Array([9])] },
      };
      await harness.client.send(new PutItemCommand({ TableName: 'employees', Item: item }));

      const { Item } = await harness.client.send(
        new GetItemCommand({
          TableName: 'employees',
          Key: { employeeId: { S: 'e-1' } },
          ConsistentRead: true,
        }),
      );

      expect(Item).toEqual({ ...item, n: { N: '12.5' }, ns: { NS: ['1', '2.5'] } });
    });

    it('answers a missing item with no Item', async () => {
      const answer = await harness.client.send(
        new GetItemCommand({ TableName: 'employees', Key: { employeeId: { S: 'nobody' } } }),
      );

      expect(answer.Item).toBeUndefined();
    });

    it('returns the projected attributes only, nested paths included', async () => {
      await send(
        new PutItemCommand({
          TableName: 'employees',
          Item: {
            employeeId: { S: 'e-1' },
            userName: { S: 'jdoe' },
            profile: { M: { groups: { L: [{ S: 'dev' }, { S: 'ops' }, { S: 'qa' }] }, title: { S: 'x' } } },
          },
        }),
      );

      const { Item } = await harness.client.send(
        new GetItemCommand({
          TableName: 'employees',
          Key: { employeeId: { S: 'e-1' } },
          ProjectionExpression: '#u, profile.groups[2], profile.groups[0]',
          ExpressionAttributeNames: { '#u': 'userName' },
        }),
      );

      expect(Item).toEqual({
        userName: { S: 'jdoe' },
        profile: { M: { groups: { L: [{ S: 'dev' }, { S: 'qa' }] } } },
      });
    });

    it('returns the old item with ReturnValues ALL_OLD on put and delete', async () => {
      await send(
        new PutItemCommand({ TableName: 'employees', Item: { employeeId: { S: 'e-1' }, v: { N: '1' } } }),
      );

      const put = await harness.client.send(
        new PutItemCommand({
          TableName: 'employees',
          Item: { employeeId: { S: 'e-1' }, v: { N: '2' } },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const deleted = await harness.client.send(
        new DeleteItemCommand({
          TableName: 'employees',
          Key: { employeeId: { S: 'e-1' } },
          ReturnValues: 'ALL_OLD',
        }),
      );

      expect(put.Attributes).toEqual({ employeeId: { S: 'e-1' }, v: { N: '1' } });
      expect(deleted.Attributes).toEqual({ employeeId: { S: 'e-1' }, v: { N: '2' } });
    });

    it.each([
      {
        what: 'an item without its key',
        call: () => new PutItemCommand({ TableName: 'employees', Item: { userName: { S: 'x' } } }),
        message: 'One or more parameter values were invalid: Missing the key employeeId in the item',
      },
      {
        what: 'a key of the wrong type',
        call: () => new PutItemCommand({ TableName: 'employees', Item: { employeeId: { N: '1' } } }),
        message:
          'One or more parameter values were invalid: Type mismatch for key employeeId expected: S actual: N',
      },
      {
        what: 'an empty string key',
        call: () => new PutItemCommand({ TableName: 'employees', Item: { employeeId: { S: '' } } }),
        message:
          'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: employeeId',
      },
      {
        what: 'a Key with an extra attribute',
        call: () =>
          new GetItemCommand({
            TableName: 'employees',
            Key: { employeeId: { S: 'e' }, userName: { S: 'x' } },
          }),
        message: 'The provided key element does not match the schema',
      },
      {
        what: 'a number that is not one',
        call: () =>
          new PutItemCommand({ TableName: 'employees', Item: { employeeId: { S: 'e' }, n: { N: '12a' } } }),
        message: 'The parameter cannot be converted to a numeric value: 12a',
      },
      {
        what: 'a number of 39 significant digits',
        call: () =>
          new PutItemCommand({
            TableName: 'employees',
            Item: { employeeId: { S: 'e' }, n: { N: '1'.repeat(39) } },
          }),
        message: 'Attempting to store more than 38 significant digits in a Number',
      },
      {
        what: 'a number above 9.99E+125',
        call: () =>
          new PutItemCommand({ TableName: 'employees', Item: { employeeId: { S: 'e' }, n: { N: '1E126' } } }),
        message: 'Number overflow. Attempting to store a number with magnitude larger than supported range',
      },
      {
        what: 'a number below 1E-130',
        call: () =>
          new PutItemCommand({
            TableName: 'employees',
            Item: { employeeId: { S: 'e' }, n: { N: '1E-131' } },
          }),
        message: 'Number underflow. Attempting to store a number with magnitude smaller than supported range',
      },
      {
        what: 'an empty string set',
        call: () =>
          new PutItemCommand({ TableName: 'employees', Item: { employeeId: { S: 'e' }, ss: { SS: [] } } }),
        message: 'One or more parameter values were invalid: An string set  may not be empty',
      },
      {
        what: 'a set with duplicates',
        call: () =>
          new PutItemCommand({
            TableName: 'employees',
            Item: { employeeId: { S: 'e' }, ss: { SS: ['a', 'a'] } },
          }),
        message: 'One or more parameter values were invalid: Input collection [a, a] contains duplicates.',
      },
      {
        what: 'a number set with the same number twice',
        call: () =>
          new PutItemCommand({
            TableName: 'employees',
            Item: { employeeId: { S: 'e' }, ns: { NS: ['1', '1.0'] } },
          }),
        message: 'Input collection contains duplicates',
      },
      {
        what: 'an item over 400 KB',
        call: () =>
          new PutItemCommand({
            TableName: 'employees',
            Item: { employeeId: { S: 'e' }, big: { S: 'x'.repeat(400 * 1024) } },
          }),
        message: 'Item size has exceeded the maximum allowed size',
      },
      {
        what: 'ReturnValues ALL_NEW on PutItem',
        call: () =>
          new PutItemCommand({
            TableName: 'employees',
            Item: { employeeId: { S: 'e' } },
            ReturnValues: 'ALL_NEW',
          }),
        message: 'ReturnValues can only be ALL_OLD or NONE',
      },
    ])('refuses $what with ValidationException', async ({ call, message }) => {
      const error = await failure(harness.client.send(call() as never));

      expect(error.name).toBe('ValidationException');
      expect(error.message).toBe(message);
    });

    it('accepts an item of exactly 400 KB, names included', async () => {
      const name = 'big';
      const key = { employeeId: { S: 'e' } };
      const filler = 400 * 1024 - 'employeeId'.length - 1 - name.length;

      await harness.client.send(
        new PutItemCommand({ TableName: 'employees', Item: { ...key, [name]: { S: 'x'.repeat(filler) } } }),
      );

      const { Item } = await harness.client.send(new GetItemCommand({ TableName: 'employees', Key: key }));
      expect((Item?.big?.S ?? '').length).toBe(filler);
    });
  });

  describe('conditional writes (the per-employee lock)', () => {
    beforeEach(() => harness.createTable());

    it('takes a free lock and lets its holder take it again', async () => {
      await send(new PutItemCommand({ TableName: 'employees', Item: { employeeId: { S: 'e-1' } } }));

      const first = await harness.client.send(
        new UpdateItemCommand({ ...lockAs('exec-1'), ReturnValues: 'ALL_NEW' }),
      );
      const again = await harness.client.send(
        new UpdateItemCommand({ ...lockAs('exec-1'), ReturnValues: 'UPDATED_NEW' }),
      );

      expect(first.Attributes?.lockedBy).toEqual({ S: 'exec-1' });
      expect(again.Attributes).toEqual({
        lockedBy: { S: 'exec-1' },
        lastEventAt: { S: '2026-12-02T10:00:00Z' },
      });
    });

    it('refuses a lock another holder has with ConditionalCheckFailedException, the item unchanged', async () => {
      await harness.client.send(new UpdateItemCommand(lockAs('exec-1')));

      const error = await failure(harness.client.send(new UpdateItemCommand(lockAs('exec-2', 'later'))));
      const { Item } = await harness.client.send(
        new GetItemCommand({ TableName: 'employees', Key: LOCK.Key, ConsistentRead: true }),
      );

      expect(error).toBeInstanceOf(ConditionalCheckFailedException);
      expect(error.message).toBe('The conditional request failed');
      expect(Item).toMatchObject({ lockedBy: { S: 'exec-1' }, lastEventAt: { S: '2026-12-02T10:00:00Z' } });
    });

    it('returns the current item with the failure when ReturnValuesOnConditionCheckFailure is ALL_OLD', async () => {
      await harness.client.send(new UpdateItemCommand(lockAs('exec-1')));

      const error = (await failure(
        harness.client.send(
          new UpdateItemCommand({ ...lockAs('exec-2'), ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }),
        ),
      )) as ConditionalCheckFailedException;

      expect(error.Item).toEqual({
        employeeId: { S: 'e-1' },
        lockedBy: { S: 'exec-1' },
        lastEventAt: { S: '2026-12-02T10:00:00Z' },
      });
    });

    it('lets exactly one of two concurrent conditional UpdateItems win', async () => {
      const contenders = ['exec-a', 'exec-b'];

      const results = await Promise.allSettled(
        contenders.map((me) =>
          harness.client.send(new UpdateItemCommand({ ...lockAs(me), ReturnValues: 'ALL_NEW' })),
        ),
      );
      const { Item } = await harness.client.send(
        new GetItemCommand({ TableName: 'employees', Key: LOCK.Key }),
      );

      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(ConditionalCheckFailedException);
      const winner = (won[0] as PromiseFulfilledResult<{ Attributes?: Record<string, { S?: string }> }>)
        .value;
      expect(Item?.lockedBy).toEqual(winner.Attributes?.lockedBy);
    });

    it('releases the lock only for its holder', async () => {
      await harness.client.send(new UpdateItemCommand(lockAs('exec-1')));
      const release = (me: string) =>
        harness.client.send(
          new UpdateItemCommand({
            TableName: 'employees',
            Key: LOCK.Key,
            UpdateExpression: 'REMOVE lockedBy',
            ConditionExpression: 'lockedBy = :me',
            ExpressionAttributeValues: { ':me': { S: me } },
          }),
        );

      const stranger = await failure(release('exec-2'));
      await release('exec-1');
      const { Item } = await harness.client.send(
        new GetItemCommand({ TableName: 'employees', Key: LOCK.Key }),
      );

      expect(stranger).toBeInstanceOf(ConditionalCheckFailedException);
      expect(Item?.lockedBy).toBeUndefined();
    });

    it('refuses a put over an existing item with attribute_not_exists on the key', async () => {
      const create = () =>
        harness.client.send(
          new PutItemCommand({
            TableName: 'employees',
            Item: { employeeId: { S: 'e-9' } },
            ConditionExpression: 'attribute_not_exists(employeeId)',
          }),
        );
      await create();

      await expect(create()).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    });

    it('deletes only when the condition holds', async () => {
      await send(
        new PutItemCommand({ TableName: 'employees', Item: { employeeId: { S: 'e-1' }, v: { N: '2' } } }),
      );
      const remove = (v: string) =>
        harness.client.send(
          new DeleteItemCommand({
            TableName: 'employees',
            Key: LOCK.Key,
            ConditionExpression: 'v = :v',
            ExpressionAttributeValues: { ':v': { N: v } },
          }),
        );

      await expect(remove('1')).rejects.toBeInstanceOf(ConditionalCheckFailedException);
      await remove('2.0');

      const { Item } = await harness.client.send(
        new GetItemCommand({ TableName: 'employees', Key: LOCK.Key }),
      );
      expect(Item).toBeUndefined();
    });

    it('never lets a stale event undo a newer one (lastEventAt < :at)', async () => {
      const record = (at: string) =>
        harness.client.send(
          new UpdateItemCommand({
            TableName: 'employees',
            Key: LOCK.Key,
            UpdateExpression: 'SET lastEventAt = :at',
            ConditionExpression: 'attribute_not_exists(lastEventAt) OR lastEventAt < :at',
            ExpressionAttributeValues: { ':at': { S: at } },
          }),
        );

      await record('2026-12-02T10:00:00Z');
      await expect(record('2026-12-01T09:00:00Z')).rejects.toBeInstanceOf(ConditionalCheckFailedException);
      await record('2026-12-03T08:00:00Z');
    });
  });

  describe('TransactWriteItems', () => {
    beforeEach(() => harness.createTable());

    it('writes every operation when every condition holds', async () => {
      await send(new PutItemCommand({ TableName: 'employees', Item: { employeeId: { S: 'old' } } }));

      await harness.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: 'employees',
                Item: { employeeId: { S: 'new' } },
                ConditionExpression: 'attribute_not_exists(employeeId)',
              },
            },
            { Delete: { TableName: 'employees', Key: { employeeId: { S: 'old' } } } },
            {
              Update: {
                TableName: 'employees',
                Key: { employeeId: { S: 'counter' } },
                UpdateExpression: 'ADD hires :one',
                ExpressionAttributeValues: { ':one': { N: '1' } },
              },
            },
          ],
        }),
      );
      const { Items } = await harness.client.send(new ScanCommand({ TableName: 'employees' }));

      expect(Items?.map((i) => i.employeeId?.S).sort()).toEqual(['counter', 'new']);
    });

    it('writes nothing and names each failed check in CancellationReasons when one condition fails', async () => {
      await send(
        new PutItemCommand({
          TableName: 'employees',
          Item: { employeeId: { S: 'e-1' }, lockedBy: { S: 'x' } },
        }),
      );

      const error = (await failure(
        harness.client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              { Put: { TableName: 'employees', Item: { employeeId: { S: 'e-2' } } } },
              {
                ConditionCheck: {
                  TableName: 'employees',
                  Key: { employeeId: { S: 'e-1' } },
                  ConditionExpression: 'attribute_not_exists(lockedBy)',
                  ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
                },
              },
            ],
          }),
        ),
      )) as TransactionCanceledException;
      const written = await harness.client.send(
        new GetItemCommand({ TableName: 'employees', Key: { employeeId: { S: 'e-2' } } }),
      );

      expect(error).toBeInstanceOf(TransactionCanceledException);
      expect(error.message).toBe(
        'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]',
      );
      expect(error.CancellationReasons).toEqual([
        { Code: 'None' },
        {
          Code: 'ConditionalCheckFailed',
          Message: 'The conditional request failed',
          Item: { employeeId: { S: 'e-1' }, lockedBy: { S: 'x' } },
        },
      ]);
      expect(written.Item).toBeUndefined();
    });

    it('cancels everything with a ValidationError reason when an update cannot apply to its item', async () => {
      const error = (await failure(
        harness.client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              { Put: { TableName: 'employees', Item: { employeeId: { S: 'e-2' } } } },
              {
                Update: {
                  TableName: 'employees',
                  Key: { employeeId: { S: 'e-1' } },
                  UpdateExpression: 'SET hires = hires + :one',
                  ExpressionAttributeValues: { ':one': { N: '1' } },
                },
              },
            ],
          }),
        ),
      )) as TransactionCanceledException;
      const written = await harness.client.send(
        new GetItemCommand({ TableName: 'employees', Key: { employeeId: { S: 'e-2' } } }),
      );

      expect(error.CancellationReasons).toEqual([
        { Code: 'None' },
        {
          Code: 'ValidationError',
          Message: 'The provided expression refers to an attribute that does not exist in the item',
        },
      ]);
      expect(written.Item).toBeUndefined();
    });

    it('refuses two operations on one item', async () => {
      const error = await failure(
        harness.client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              { Put: { TableName: 'employees', Item: { employeeId: { S: 'e-1' } } } },
              { Delete: { TableName: 'employees', Key: { employeeId: { S: 'e-1' } } } },
            ],
          }),
        ),
      );

      expect(error.name).toBe('ValidationException');
      expect(error.message).toBe('Transaction request cannot include multiple operations on one item');
    });
  });

  describe('paging', () => {
    it('scans every item exactly once, page by page, with Limit and ExclusiveStartKey', async () => {
      await harness.createTable();
      const ids = Array.from({ length: 7 }, (_, i) => `e-${i}`);
      for (const id of ids)
        await send(new PutItemCommand({ TableName: 'employees', Item: { employeeId: { S: id } } }));

      const seen: string[] = [];
      const pages: number[] = [];
      let start: Record<string, never> | undefined;
      do {
        const page = await harness.client.send(
          new ScanCommand({ TableName: 'employees', Limit: 3, ExclusiveStartKey: start }),
        );
        pages.push(page.Count ?? 0);
        seen.push(...(page.Items ?? []).map((i) => i.employeeId?.S ?? ''));
        start = page.LastEvaluatedKey as typeof start;
      } while (start);

      expect(seen.sort()).toEqual(ids);
      expect(pages).toEqual([3, 3, 1]);
    });

    it('counts scanned items before the filter: a page may hold fewer items than Limit', async () => {
      await harness.createTable();
      for (let i = 0; i < 4; i++) {
        await send(
          new PutItemCommand({
            TableName: 'employees',
            Item: { employeeId: { S: `e-${i}` }, i: { N: String(i) } },
          }),
        );
      }

      const page = await harness.client.send(
        new ScanCommand({
          TableName: 'employees',
          Limit: 4,
          FilterExpression: 'i >= :two',
          ExpressionAttributeValues: { ':two': { N: '2' } },
        }),
      );

      expect(page).toMatchObject({ Count: 2, ScannedCount: 4 });
      expect(page.LastEvaluatedKey).toBeDefined();
    });

    it('queries one partition in sort key order, forwards and backwards, in pages', async () => {
      await harness.createTable(EVENTS);
      for (const at of [5, 1, 3, 2, 4]) {
        await send(
          new PutItemCommand({
            TableName: 'events',
            Item: { employeeId: { S: 'e-1' }, at: { N: String(at) } },
          }),
        );
      }
      await send(
        new PutItemCommand({ TableName: 'events', Item: { employeeId: { S: 'e-2' }, at: { N: '1' } } }),
      );
      const query = (extra: object) =>
        harness.client.send(
          new QueryCommand({
            TableName: 'events',
            KeyConditionExpression: 'employeeId = :e AND #at BETWEEN :lo AND :hi',
            ExpressionAttributeNames: { '#at': 'at' },
            ExpressionAttributeValues: { ':e': { S: 'e-1' }, ':lo': { N: '2' }, ':hi': { N: '5' } },
            ...extra,
          }),
        );

      const first = await query({ Limit: 2 });
      const rest = await query({ ExclusiveStartKey: first.LastEvaluatedKey });
      const backwards = await query({ ScanIndexForward: false });

      expect(first.Items?.map((i) => i.at?.N)).toEqual(['2', '3']);
      expect(first.LastEvaluatedKey).toEqual({ employeeId: { S: 'e-1' }, at: { N: '3' } });
      expect(rest.Items?.map((i) => i.at?.N)).toEqual(['4', '5']);
      expect(rest.LastEvaluatedKey).toBeUndefined();
      expect(backwards.Items?.map((i) => i.at?.N)).toEqual(['5', '4', '3', '2']);
    });

    it('queries with begins_with on the sort key and counts with Select COUNT', async () => {
      await harness.createTable({
        ...EVENTS,
        AttributeDefinitions: [
          { AttributeName: 'employeeId', AttributeType: 'S' },
          { AttributeName: 'at', AttributeType: 'S' },
        ],
      });
      for (const at of ['2026-11-30', '2026-12-01', '2026-12-02']) {
        await send(
          new PutItemCommand({ TableName: 'events', Item: { employeeId: { S: 'e-1' }, at: { S: at } } }),
        );
      }

      const answer = await harness.client.send(
        new QueryCommand({
          TableName: 'events',
          KeyConditionExpression: 'employeeId = :e AND begins_with(#at, :month)',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: { ':e': { S: 'e-1' }, ':month': { S: '2026-12' } },
          Select: 'COUNT',
        }),
      );

      expect(answer).toMatchObject({ Count: 2, ScannedCount: 2 });
      expect(answer.Items).toBeUndefined();
    });

    it.each([
      {
        what: 'a key condition without the partition key',
        expression: '#at > :lo',
        values: { ':lo': { N: '1' } },
        message: 'Query condition missed key schema element: employeeId',
      },
      {
        what: 'OR in a key condition',
        expression: 'employeeId = :e OR #at > :lo',
        values: { ':e': { S: 'e' }, ':lo': { N: '1' } },
        message: 'Invalid operator used in KeyConditionExpression: OR',
      },
      {
        what: 'a key value of the wrong type',
        expression: 'employeeId = :e',
        values: { ':e': { N: '1' } },
        message:
          'One or more parameter values were invalid: Condition parameter type does not match schema type',
      },
    ])('refuses $what', async ({ expression, values, message }) => {
      await harness.createTable(EVENTS);

      const error = await failure(
        harness.client.send(
          new QueryCommand({
            TableName: 'events',
            KeyConditionExpression: expression,
            ExpressionAttributeValues: values as Record<string, AttributeValue>,
            ...(expression.includes('#at') ? { ExpressionAttributeNames: { '#at': 'at' } } : {}),
          }),
        ),
      );

      expect(error.name).toBe('ValidationException');
      expect(error.message).toBe(message);
    });
  });

  describe('durable state', () => {
    it('keeps tables and items across a restart of the emulator on the same data folder', async () => {
      await harness.createTable();
      await harness.client.send(new UpdateItemCommand(lockAs('exec-1')));

      await harness.restart();
      const { Item } = await harness.client.send(
        new GetItemCommand({ TableName: 'employees', Key: LOCK.Key }),
      );
      const locked = await failure(harness.client.send(new UpdateItemCommand(lockAs('exec-2'))));

      expect(Item?.lockedBy).toEqual({ S: 'exec-1' });
      expect(locked).toBeInstanceOf(ConditionalCheckFailedException);
    });

    it('keeps a deletion across a restart', async () => {
      await harness.createTable();
      await send(new PutItemCommand({ TableName: 'employees', Item: { employeeId: { S: 'gone' } } }));
      await send(new DeleteItemCommand({ TableName: 'employees', Key: { employeeId: { S: 'gone' } } }));

      await harness.restart();
      const { Items } = await harness.client.send(new ScanCommand({ TableName: 'employees' }));

      expect(Items).toEqual([]);
    });
  });

  describe('on the wire', () => {
    beforeEach(() => harness.createTable());

    it("answers JSON 1.0 with DynamoDB's namespaced __type and an X-Amz-Crc32 of the body", async () => {
      await send(new PutItemCommand({ TableName: 'employees', Item: { employeeId: { S: 'e-1' } } }));

      const failed = await harness.raw('PutItem', {
        TableName: 'employees',
        Item: { employeeId: { S: 'e-1' } },
        ConditionExpression: 'attribute_not_exists(employeeId)',
      });
      const invalid = await harness.raw('GetItem', { TableName: 'employees', Key: {} });

      expect(failed.status).toBe(400);
      expect(failed.headers.get('content-type')).toBe('application/x-amz-json-1.0');
      expect(failed.json).toEqual({
        __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException',
        message: 'The conditional request failed',
      });
      expect(failed.headers.get('x-amz-crc32')).toBe(String(crc32(Buffer.from(failed.text))));
      expect(failed.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
      expect(invalid.json.__type).toBe('com.amazon.coral.validate#ValidationException');
    });

    it('answers an unknown operation with UnknownOperationException', async () => {
      const answer = await harness.raw('BatchExecuteStatement', {});

      expect(answer.status).toBe(400);
      expect(answer.json.__type).toBe('com.amazon.coral.service#UnknownOperationException');
    });

    it('answers a member of the wrong JSON type with SerializationException', async () => {
      const answer = await harness.raw('PutItem', { TableName: 'employees', Item: { employeeId: { S: 5 } } });

      expect(answer.json).toEqual({
        __type: 'com.amazon.coral.service#SerializationException',
        message: 'NUMBER_VALUE cannot be converted to String',
      });
    });
  });

  describe('faults', () => {
    beforeEach(() => harness.createTable());

    it('fails the chosen operation with the injected code, then works again', async () => {
      harness.faults.addRule({
        service: 'dynamodb',
        action: 'UpdateItem',
        code: 'InternalServerError',
        count: 1,
      });

      const error = await failure(harness.client.send(new UpdateItemCommand(lockAs('exec-1'))));
      await harness.client.send(new UpdateItemCommand(lockAs('exec-1')));

      expect(error.name).toBe('InternalServerError');
      expect(error.$metadata.httpStatusCode).toBe(500);
    });

    it('throttles item operations with ProvisionedThroughputExceededException and table operations with ThrottlingException', async () => {
      harness.faults.setRate('dynamodb', 1);
      await harness.client.send(new GetItemCommand({ TableName: 'employees', Key: LOCK.Key }));

      const item = await failure(
        harness.client.send(new GetItemCommand({ TableName: 'employees', Key: LOCK.Key })),
      );
      const table = await failure(harness.client.send(new DescribeTableCommand({ TableName: 'employees' })));

      expect(item).toBeInstanceOf(ProvisionedThroughputExceededException);
      expect(item.message).toBe(
        'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
      );
      expect(table.name).toBe('ThrottlingException');
      expect(table.message).toBe('Rate of requests exceeds the allowed throughput.');
    });
  });
});
