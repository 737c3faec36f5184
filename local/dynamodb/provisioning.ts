import { createHash } from 'node:crypto';
import {
  type AttributeDefinition,
  type BillingMode,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
  type KeySchemaElement,
  type Tag,
} from '@aws-sdk/client-dynamodb';
import { type IntrinsicValues, resolveIntrinsics } from '../serverlessConfig';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** Properties CloudFormation takes that the emulator keeps no state for: warned about, not applied. */
const IGNORED = [
  'TimeToLiveSpecification',
  'PointInTimeRecoverySpecification',
  'ContributorInsightsSpecification',
  'TableClass',
];

/**
 * Creates each `AWS::DynamoDB::Table` of serverless.yml's resources through the emulator's
 * CreateTable, as CloudFormation would, and registers what templates resolve: `!Ref` is the table
 * name, `!GetAtt <Table>.Arn` its ARN. A table already there from an earlier start is kept with
 * its items; one whose key schema no longer matches the template stops the start (CloudFormation
 * would replace it, losing the items: delete the data folder with --reset to do the same).
 */
export async function provisionTables(
  resources: Resources,
  intrinsics: IntrinsicValues,
  clientConfig: DynamoDBClientConfig,
  stackName: string,
  warn: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<void> {
  const client = new DynamoDBClient(clientConfig);
  try {
    for (const [logicalId, resource] of Object.entries(resources)) {
      if (resource.Type !== 'AWS::DynamoDB::Table') continue;
      const properties = resolveIntrinsics(resource.Properties ?? {}, intrinsics) as Record<string, unknown>;
      const name =
        typeof properties.TableName === 'string' ? properties.TableName : generatedName(stackName, logicalId);
      for (const member of IGNORED) {
        if (properties[member] !== undefined)
          warn(`dynamodb: ${logicalId}.${member} is not emulated locally (ignored)`);
      }
      const keySchema = properties.KeySchema as KeySchemaElement[];
      await client
        .send(
          new CreateTableCommand({
            TableName: name,
            KeySchema: keySchema,
            AttributeDefinitions: properties.AttributeDefinitions as AttributeDefinition[],
            BillingMode: properties.BillingMode as BillingMode | undefined,
            ProvisionedThroughput: properties.ProvisionedThroughput as
              | { ReadCapacityUnits: number; WriteCapacityUnits: number }
              | undefined,
            GlobalSecondaryIndexes: properties.GlobalSecondaryIndexes as never,
            LocalSecondaryIndexes: properties.LocalSecondaryIndexes as never,
            StreamSpecification: properties.StreamSpecification as never,
            DeletionProtectionEnabled: properties.DeletionProtectionEnabled as boolean | undefined,
            Tags: properties.Tags as Tag[] | undefined,
          }),
        )
        .catch(async (error: unknown) => {
          if ((error as Error).name !== 'ResourceInUseException') throw error;
          const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
          const shape = (schema: KeySchemaElement[] | undefined) =>
            (schema ?? []).map((k) => `${k.AttributeName}:${k.KeyType}`).join(',');
          if (shape(Table?.KeySchema) !== shape(keySchema)) {
            throw new Error(
              `serverless.yml: the key schema of ${logicalId} (table ${name}) changed since the local table was created; start with --reset to recreate it`,
            );
          }
        });
      intrinsics.refs[logicalId] = name;
      intrinsics.refs[`${logicalId}.Arn`] =
        `arn:aws:dynamodb:${intrinsics.region}:${intrinsics.accountId}:table/${name}`;
    }
  } finally {
    client.destroy();
  }
}

/** CloudFormation's name for a table without TableName: `<stack>-<logicalId>-<suffix>`. */
function generatedName(stackName: string, logicalId: string): string {
  const suffix = createHash('sha256')
    .update(`${stackName}/${logicalId}`)
    .digest('hex')
    .slice(0, 12)
    .toUpperCase();
  return `${stackName}-${logicalId}-${suffix}`.slice(0, 255);
}
