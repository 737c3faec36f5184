import { randomUUID } from 'node:crypto';
import type { JsonObject } from '../aws/jsonProtocol';
import { AwsError } from '../aws/types';
import { ServiceIntegrationError } from '../stepFunctions/errors';
import type { Authorize, DynamoDb } from './dynamodbService';

/**
 * Step Functions' optimized DynamoDB integration (Step Functions Developer Guide, "Call DynamoDB
 * APIs with Step Functions"): `arn:aws:states:::dynamodb:getItem|putItem|updateItem|deleteItem`
 * with the API's own request as Parameters, run as the state machine's role. The Task's result is
 * the API response with the SDK's HTTP metadata, as Step Functions returns it; a failure is named
 * `DynamoDB.<Exception>` for DynamoDB's modelled exceptions and `DynamoDB.AmazonDynamoDBException`
 * for the rest (validation, access denied), its Cause worded as the Java SDK words it.
 */

const RESOURCE = /^arn:aws[\w-]*:states:::dynamodb:(getItem|putItem|updateItem|deleteItem)$/;

/** DynamoDB's own exceptions, which keep their names in Step Functions. */
const MODELLED = new Set([
  'ConditionalCheckFailedException',
  'InternalServerError',
  'ItemCollectionSizeLimitExceededException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ResourceNotFoundException',
  'TransactionConflictException',
]);

/** The DynamoDB operation an optimized integration's Resource names, or undefined for any other Resource. */
export function dynamoDbOperation(resource: string): string | undefined {
  const api = RESOURCE.exec(resource)?.[1];
  return api && api.charAt(0).toUpperCase() + api.slice(1);
}

export async function runDynamoDbTask(
  dynamodb: DynamoDb,
  operation: string,
  parameters: unknown,
  authorize: Authorize,
): Promise<JsonObject> {
  const requestId = randomUUID().replaceAll('-', '').toUpperCase().slice(0, 32);
  try {
    if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) {
      throw new AwsError(
        400,
        'SerializationException',
        'Start of structure or map found where not expected.',
      );
    }
    const response = await dynamodb.call(operation, parameters as JsonObject, authorize);
    return { ...response, ...sdkMetadata(requestId, JSON.stringify(response)) };
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    const name = MODELLED.has(error.code) ? error.code : 'AmazonDynamoDBException';
    throw new ServiceIntegrationError(
      `DynamoDB.${name}`,
      `${error.message} (Service: AmazonDynamoDBv2; Status Code: ${error.status}; Error Code: ${error.code}; Request ID: ${requestId}; Proxy: null)`,
    );
  }
}

function sdkMetadata(requestId: string, body: string): JsonObject {
  const headers = {
    Connection: 'keep-alive',
    'Content-Length': String(Buffer.byteLength(body)),
    'Content-Type': 'application/x-amz-json-1.0',
    Date: new Date().toUTCString(),
    Server: 'Server',
    'x-amzn-RequestId': requestId,
  };
  return {
    SdkHttpMetadata: {
      AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
      HttpHeaders: headers,
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
  };
}
