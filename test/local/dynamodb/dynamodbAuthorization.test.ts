import { authorizations } from '../../../local/dynamodb/authorization';
import type { DynamoState, StoredTable } from '../../../local/dynamodb/state';
import { JournalStore } from '../../../local/store';

/** The Service Authorization Reference: what each DynamoDB request is authorized as. */

const TABLE = 'arn:aws:dynamodb:us-east-1:123456789012:table/employees';

function state(): DynamoState {
  const store = JournalStore.open(undefined, 'dynamodb');
  const tables = store.collection<StoredTable>('tables');
  tables.set('employees', {
    name: 'employees',
    arn: TABLE,
    id: 'id',
    keySchema: [{ AttributeName: 'employeeId', KeyType: 'HASH' }],
    attributeDefinitions: [{ AttributeName: 'employeeId', AttributeType: 'S' }],
    billingMode: 'PAY_PER_REQUEST',
    readCapacityUnits: 0,
    writeCapacityUnits: 0,
    deletionProtection: false,
    tags: [],
    createdAt: 0,
  });
  return { tables, store, accountId: '123456789012', region: 'us-east-1' };
}

describe('DynamoDB authorization', () => {
  it('authorizes PutItem on the table with the partition key as dynamodb:LeadingKeys and the attributes written', () => {
    const requests = authorizations(state(), 'PutItem', {
      TableName: 'employees',
      Item: { employeeId: { S: 'e-1' }, lockedBy: { S: 'x' } },
      ReturnValues: 'ALL_OLD',
    });

    expect(requests).toEqual([
      {
        action: 'dynamodb:PutItem',
        resource: TABLE,
        keys: {
          'dynamodb:LeadingKeys': ['e-1'],
          'dynamodb:Attributes': ['employeeId', 'lockedBy'],
          'dynamodb:ReturnValues': 'ALL_OLD',
        },
      },
    ]);
  });

  it('authorizes UpdateItem with the key and the top-level attributes it updates', () => {
    const [request] = authorizations(state(), 'UpdateItem', {
      TableName: 'employees',
      Key: { employeeId: { S: 'e-1' } },
      UpdateExpression: 'SET #l = :v, profile.title = :v REMOVE lastEventAt',
      ExpressionAttributeNames: { '#l': 'lockedBy' },
      ExpressionAttributeValues: { ':v': { S: 'x' } },
    });

    expect(request?.keys).toEqual({
      'dynamodb:LeadingKeys': ['e-1'],
      'dynamodb:Attributes': ['employeeId', 'lockedBy', 'profile', 'lastEventAt'],
    });
  });

  it("authorizes Query with the key condition's partition key value and Select", () => {
    const [request] = authorizations(state(), 'Query', {
      TableName: 'employees',
      KeyConditionExpression: 'employeeId = :e',
      ExpressionAttributeValues: { ':e': { S: 'e-7' } },
      Select: 'COUNT',
    });

    expect(request).toEqual({
      action: 'dynamodb:Query',
      resource: TABLE,
      keys: { 'dynamodb:LeadingKeys': ['e-7'], 'dynamodb:Select': 'COUNT' },
    });
  });

  it('authorizes a table that does not exist on the ARN it would have, without LeadingKeys', () => {
    const [request] = authorizations(state(), 'GetItem', { TableName: 'missing', Key: { id: { S: 'x' } } });

    expect(request).toEqual({
      action: 'dynamodb:GetItem',
      resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/missing',
      keys: {},
    });
  });

  it('authorizes TransactWriteItems as each operation it contains', () => {
    const requests = authorizations(state(), 'TransactWriteItems', {
      TransactItems: [
        { Put: { TableName: 'employees', Item: { employeeId: { S: 'a' } } } },
        {
          Update: { TableName: 'employees', Key: { employeeId: { S: 'b' } }, UpdateExpression: 'SET x = :v' },
        },
        { Delete: { TableName: 'employees', Key: { employeeId: { S: 'c' } } } },
        {
          ConditionCheck: {
            TableName: 'employees',
            Key: { employeeId: { S: 'd' } },
            ConditionExpression: 'x = :v',
          },
        },
      ],
    });

    expect(requests.map((r) => [r.action, r.keys?.['dynamodb:LeadingKeys']])).toEqual([
      ['dynamodb:PutItem', ['a']],
      ['dynamodb:UpdateItem', ['b']],
      ['dynamodb:DeleteItem', ['c']],
      ['dynamodb:ConditionCheckItem', ['d']],
    ]);
  });

  it('authorizes ListTables on "*" and CreateTable with its tags', () => {
    expect(authorizations(state(), 'ListTables', {})).toEqual([
      { action: 'dynamodb:ListTables', resource: '*' },
    ]);
    expect(
      authorizations(state(), 'CreateTable', { TableName: 'new', Tags: [{ Key: 'team', Value: 'iam' }] }),
    ).toEqual([
      {
        action: 'dynamodb:CreateTable',
        resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/new',
        keys: { 'aws:RequestTag/team': 'iam', 'aws:TagKeys': ['team'] },
      },
    ]);
  });
});
