import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  BatchGetItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { Role } from '../../../local/authz/principals';
import { provisionTables } from '../../../local/dynamodb/provisioning';
import { resolveIntrinsics } from '../../../local/serverlessConfig';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, type Stack, startStack } from '../../../local/stack';
import { EMPLOYEES } from './harness';

const run = promisify(execFile);
const TABLES = `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:table`;

/** The stack's roles, given DynamoDB permissions the way serverless.yml would grant them. */
function grantDynamoDb(roles: Map<string, Role>): void {
  const add = (logicalId: string, statements: object[]) => {
    const role = roles.get(logicalId);
    if (!role) throw new Error(`no role ${logicalId}`);
    role.policies.push({
      name: `${role.name}/employeeDirectory`,
      document: { Version: '2012-10-17', Statement: statements as never },
    });
  };
  // The state machine's optimized integrations: no DeleteItem.
  add('OnboardingStateMachineRole', [
    {
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      Resource: `${TABLES}/*`,
    },
  ]);
  // A function that may write any employee but read only e-1's item.
  add('CreateUserRole', [
    { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: `${TABLES}/employees` },
    {
      Effect: 'Allow',
      Action: 'dynamodb:GetItem',
      Resource: `${TABLES}/employees`,
      Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['e-1'] } },
    },
  ]);
}

/** The error of a call that must fail. */
async function failure(call: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await call;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('DynamoDB in the local stack', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dynamodb-stack-'));
  let stack: Stack;
  let roles: Map<string, Role>;
  let admin: DynamoDBClient;
  let sfn: SFNClient;

  const start = async () => {
    stack = await startStack({
      awsPort: 0,
      webhookPort: 0,
      sesPort: 0,
      consolePort: 0,
      scheduleScale: 0,
      retryDelayScale: 0.001,
      dataDir,
      editRoles: (loaded) => {
        grantDynamoDb(loaded);
        roles = loaded;
      },
    });
    admin = new DynamoDBClient({ ...stack.clientConfig, maxAttempts: 1 });
    sfn = new SFNClient({ ...stack.clientConfig, maxAttempts: 1 });
  };
  const stop = async () => {
    admin.destroy();
    sfn.destroy();
    await stack.whenIdle();
    await stack.stop();
  };

  beforeAll(async () => {
    await start();
    await admin.send(new CreateTableCommand(EMPLOYEES));
  });
  afterAll(async () => {
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const asFunction = (key: string) =>
    new DynamoDBClient({
      ...stack.clientConfig,
      credentials: stack.functionCredentials(key),
      maxAttempts: 1,
    });

  describe('authorization', () => {
    it("denies a role without the action with AWS's AccessDeniedException message", async () => {
      const client = asFunction('createUser');
      const role = roles.get('CreateUserRole') as Role;

      await client.send(new PutItemCommand({ TableName: 'employees', Item: { employeeId: { S: 'e-1' } } }));
      const error = await failure(
        client.send(new DeleteItemCommand({ TableName: 'employees', Key: { employeeId: { S: 'e-1' } } })),
      );
      client.destroy();

      expect(error.name).toBe('AccessDeniedException');
      expect(error.$metadata?.httpStatusCode).toBe(400);
      expect(error.message).toMatch(
        new RegExp(
          `^User: arn:aws:sts::${LOCAL_ACCOUNT_ID}:assumed-role/${role.name}/[\\w-]+ is not authorized to perform: dynamodb:DeleteItem on resource: ${TABLES}/employees because no identity-based policy allows the dynamodb:DeleteItem action$`,
        ),
      );
    });

    it('evaluates dynamodb:LeadingKeys: the role reads e-1 but not e-2', async () => {
      await admin.send(new PutItemCommand({ TableName: 'employees', Item: { employeeId: { S: 'e-2' } } }));
      const client = asFunction('createUser');

      const own = await client.send(
        new GetItemCommand({ TableName: 'employees', Key: { employeeId: { S: 'e-1' } } }),
      );
      const other = await failure(
        client.send(new GetItemCommand({ TableName: 'employees', Key: { employeeId: { S: 'e-2' } } })),
      );
      client.destroy();

      expect(own.Item?.employeeId).toEqual({ S: 'e-1' });
      expect(other.name).toBe('AccessDeniedException');
      expect(other.message).toContain('is not authorized to perform: dynamodb:GetItem');
    });
  });

  describe('with the aws CLI', () => {
    const aws = (args: string[]) =>
      run(
        'aws',
        ['dynamodb', ...args, '--endpoint-url', stack.urls.aws, '--region', LOCAL_REGION, '--output', 'json'],
        {
          env: { ...process.env, ...stack.environment, AWS_MAX_ATTEMPTS: '1' },
          timeout: 20_000,
        },
      );

    it('puts an item and gets it back, the X-Amz-Crc32 of every answer checked by botocore', async () => {
      await aws([
        'put-item',
        '--table-name',
        'employees',
        '--item',
        JSON.stringify({ employeeId: { S: 'cli-1' }, userName: { S: 'jdoe' }, lastEventAt: { N: '1.50' } }),
      ]);

      const { stdout } = await aws([
        'get-item',
        '--table-name',
        'employees',
        '--key',
        '{"employeeId":{"S":"cli-1"}}',
      ]);

      expect(JSON.parse(stdout)).toEqual({
        Item: { employeeId: { S: 'cli-1' }, userName: { S: 'jdoe' }, lastEventAt: { N: '1.5' } },
      });
    });

    it('reports a failed condition as DynamoDB does', async () => {
      const error = (await failure(
        aws([
          'put-item',
          '--table-name',
          'employees',
          '--item',
          '{"employeeId":{"S":"cli-1"}}',
          '--condition-expression',
          'attribute_not_exists(employeeId)',
        ]),
      )) as Error & { stderr: string; code: number };

      expect(error.stderr.trim()).toBe(
        'An error occurred (ConditionalCheckFailedException) when calling the PutItem operation: The conditional request failed',
      );
      expect([254, 255]).toContain(error.code);
    });
  });

  describe("Step Functions' optimized integration", () => {
    let machines = 0;
    /** Runs a one-off state machine (as the stack's state machine role) to its end. */
    const execute = async (definition: object, input: object = {}) => {
      machines += 1;
      const { stateMachineArn } = await sfn.send(
        new CreateStateMachineCommand({
          name: `dynamodb-${machines}`,
          definition: JSON.stringify(definition),
          roleArn: (roles.get('OnboardingStateMachineRole') as Role).arn,
        }),
      );
      const { executionArn } = await sfn.send(
        new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }),
      );
      for (;;) {
        const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
        if (execution.status !== 'RUNNING') return execution;
        await new Promise((wait) => setTimeout(wait, 20));
      }
    };

    const LOCK_MACHINE = {
      StartAt: 'Lock',
      States: {
        Lock: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:updateItem',
          Parameters: {
            TableName: 'employees',
            Key: { employeeId: { 'S.$': '$.employeeId' } },
            UpdateExpression: 'SET lockedBy = :me',
            ConditionExpression: 'attribute_not_exists(lockedBy)',
            ExpressionAttributeValues: { ':me': { 'S.$': '$.me' } },
            ReturnValues: 'ALL_NEW',
          },
          ResultSelector: {
            'lockedBy.$': '$.Attributes.lockedBy.S',
            'status.$': '$.SdkHttpMetadata.HttpStatusCode',
          },
          ResultPath: '$.lock',
          Catch: [
            {
              ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'],
              ResultPath: '$.error',
              Next: 'Busy',
            },
          ],
          Next: 'Locked',
        },
        Busy: { Type: 'Pass', Result: 'busy', ResultPath: '$.outcome', End: true },
        Locked: { Type: 'Pass', Result: 'locked', ResultPath: '$.outcome', End: true },
      },
    };

    it('takes the lock with dynamodb:updateItem, and a second run catches DynamoDB.ConditionalCheckFailedException', async () => {
      const first = await execute(LOCK_MACHINE, { employeeId: 'sfn-1', me: 'run-1' });
      const second = await execute(LOCK_MACHINE, { employeeId: 'sfn-1', me: 'run-2' });

      expect({ status: first.status, cause: first.cause }).toEqual({ status: 'SUCCEEDED' });
      expect(JSON.parse(first.output ?? '{}')).toMatchObject({
        outcome: 'locked',
        lock: { lockedBy: 'run-1', status: 200 },
      });
      expect(second.status).toBe('SUCCEEDED');
      const output = JSON.parse(second.output ?? '{}');
      expect(output.outcome).toBe('busy');
      expect(output.error.Error).toBe('DynamoDB.ConditionalCheckFailedException');
      expect(output.error.Cause).toMatch(
        /^The conditional request failed \(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException; Request ID: \w+; Proxy: null\)$/,
      );
    });

    it('returns the API response of dynamodb:getItem', async () => {
      await admin.send(
        new PutItemCommand({
          TableName: 'employees',
          Item: { employeeId: { S: 'sfn-2' }, userName: { S: 'jdoe' } },
        }),
      );

      const execution = await execute({
        StartAt: 'Read',
        States: {
          Read: {
            Type: 'Task',
            Resource: 'arn:aws:states:::dynamodb:getItem',
            Parameters: { TableName: 'employees', Key: { employeeId: { S: 'sfn-2' } } },
            End: true,
          },
        },
      });

      expect(execution.status).toBe('SUCCEEDED');
      expect(JSON.parse(execution.output ?? '{}')).toMatchObject({
        Item: { employeeId: { S: 'sfn-2' }, userName: { S: 'jdoe' } },
        SdkHttpMetadata: { HttpStatusCode: 200 },
      });
    });

    it('retries DynamoDB.ProvisionedThroughputExceededException by name', async () => {
      stack.faults.addRule({
        service: 'dynamodb',
        action: 'PutItem',
        code: 'ProvisionedThroughputExceededException',
        count: 1,
      });

      const execution = await execute({
        StartAt: 'Write',
        States: {
          Write: {
            Type: 'Task',
            Resource: 'arn:aws:states:::dynamodb:putItem',
            Parameters: { TableName: 'employees', Item: { employeeId: { S: 'sfn-3' } } },
            Retry: [{ ErrorEquals: ['DynamoDB.ProvisionedThroughputExceededException'], MaxAttempts: 2 }],
            End: true,
          },
        },
      });
      const { Item } = await admin.send(
        new GetItemCommand({ TableName: 'employees', Key: { employeeId: { S: 'sfn-3' } } }),
      );

      expect(execution.status).toBe('SUCCEEDED');
      expect(Item).toBeDefined();
    });

    it.each([
      {
        what: 'a missing table',
        resource: 'arn:aws:states:::dynamodb:getItem',
        parameters: { TableName: 'nope', Key: { employeeId: { S: 'x' } } },
        error: 'DynamoDB.ResourceNotFoundException',
        cause:
          /^Requested resource not found \(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ResourceNotFoundException; Request ID: \w+; Proxy: null\)$/,
      },
      {
        what: 'an invalid request',
        resource: 'arn:aws:states:::dynamodb:putItem',
        parameters: { TableName: 'employees' },
        error: 'DynamoDB.AmazonDynamoDBException',
        cause:
          /^1 validation error detected: Value null at 'item' failed to satisfy constraint: Member must not be null \(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ValidationException; /,
      },
      {
        what: 'an action the role lacks',
        resource: 'arn:aws:states:::dynamodb:deleteItem',
        parameters: { TableName: 'employees', Key: { employeeId: { S: 'sfn-1' } } },
        error: 'DynamoDB.AmazonDynamoDBException',
        cause:
          /is not authorized to perform: dynamodb:DeleteItem on resource: .*table\/employees because no identity-based policy allows the dynamodb:DeleteItem action \(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: AccessDeniedException; /,
      },
    ])('fails the execution on $what with $error', async ({ resource, parameters, error, cause }) => {
      const execution = await execute({
        StartAt: 'Call',
        States: { Call: { Type: 'Task', Resource: resource, Parameters: parameters, End: true } },
      });

      expect(execution.status).toBe('FAILED');
      expect(execution.error).toBe(error);
      expect(execution.cause).toMatch(cause);
    });
  });

  describe('provisioning', () => {
    const resources = (keyName: string) => ({
      DirectoryTable: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax
          TableName: { 'Fn::Sub': 'directory-${AWS::Region}' },
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: [{ AttributeName: keyName, KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: keyName, AttributeType: 'S' }],
        },
      },
      Unnamed: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          BillingMode: 'PROVISIONED',
          ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        },
      },
    });

    it('creates each AWS::DynamoDB::Table and resolves !Ref to its name and !GetAtt .Arn to its ARN', async () => {
      const intrinsics = { accountId: LOCAL_ACCOUNT_ID, region: LOCAL_REGION, refs: {} };

      await provisionTables(resources('employeeId'), intrinsics, stack.clientConfig, 'iam-onboarding-local');
      const { Table } = await admin.send(new DescribeTableCommand({ TableName: 'directory-us-east-1' }));

      expect(Table?.KeySchema).toEqual([{ AttributeName: 'employeeId', KeyType: 'HASH' }]);
      expect(resolveIntrinsics({ Ref: 'DirectoryTable' }, intrinsics)).toBe('directory-us-east-1');
      expect(resolveIntrinsics({ 'Fn::GetAtt': ['DirectoryTable', 'Arn'] }, intrinsics)).toBe(
        `${TABLES}/directory-us-east-1`,
      );
      expect(resolveIntrinsics({ Ref: 'Unnamed' }, intrinsics)).toMatch(
        /^iam-onboarding-local-Unnamed-[0-9A-F]{12}$/,
      );
    });

    it('keeps the tables and their items when provisioned again, and refuses a changed key schema', async () => {
      const intrinsics = { accountId: LOCAL_ACCOUNT_ID, region: LOCAL_REGION, refs: {} };
      await provisionTables(resources('employeeId'), intrinsics, stack.clientConfig, 'iam-onboarding-local');
      await admin.send(
        new PutItemCommand({ TableName: 'directory-us-east-1', Item: { employeeId: { S: 'kept' } } }),
      );

      await provisionTables(resources('employeeId'), intrinsics, stack.clientConfig, 'iam-onboarding-local');
      const changed = await failure(
        provisionTables(resources('userName'), intrinsics, stack.clientConfig, 'iam-onboarding-local'),
      );
      const { Item } = await admin.send(
        new GetItemCommand({ TableName: 'directory-us-east-1', Key: { employeeId: { S: 'kept' } } }),
      );

      expect(Item).toBeDefined();
      expect(changed.message).toContain(
        'the key schema of DirectoryTable (table directory-us-east-1) changed',
      );
    });
  });

  describe('the endpoint', () => {
    it('lists DynamoDB in its index and answers an operation it does not emulate with UnknownOperationException', async () => {
      const index = (await (await fetch(`${stack.urls.aws}/`)).json()) as {
        services: string[];
        emulates: string;
      };
      const error = await failure(
        admin.send(
          new BatchGetItemCommand({ RequestItems: { employees: { Keys: [{ employeeId: { S: 'e-1' } }] } } }),
        ),
      );

      expect(index.services).toContain('dynamodb');
      expect(index.emulates).toContain('DynamoDB (CreateTable,');
      expect(error.name).toBe('UnknownOperationException');
    });
  });

  describe('across a restart', () => {
    it('keeps the tables and items in the data folder', async () => {
      await admin.send(
        new PutItemCommand({ TableName: 'employees', Item: { employeeId: { S: 'restart-1' } } }),
      );

      await stop();
      await start();
      const { Item } = await admin.send(
        new GetItemCommand({ TableName: 'employees', Key: { employeeId: { S: 'restart-1' } } }),
      );

      expect(Item).toEqual({ employeeId: { S: 'restart-1' } });
    });
  });
});
