import { AwsError } from '../aws/types';

/**
 * DynamoDB's error answers. The wire `__type` is namespaced as DynamoDB sends it: its own errors
 * under `com.amazonaws.dynamodb.v20120810#`, the Coral framework's under `com.amazon.coral.*#`
 * (the SDKs and the aws CLI read the part after `#`).
 */
const CORAL: Record<string, string> = {
  ValidationException: 'com.amazon.coral.validate',
  ThrottlingException: 'com.amazon.coral.availability',
  SerializationException: 'com.amazon.coral.service',
  UnknownOperationException: 'com.amazon.coral.service',
  AccessDeniedException: 'com.amazon.coral.service',
  UnrecognizedClientException: 'com.amazon.coral.service',
  MissingAuthenticationTokenException: 'com.amazon.coral.service',
  InvalidSignatureException: 'com.amazon.coral.service',
  RequestEntityTooLargeException: 'com.amazon.coral.service',
};

export function qualifiedType(code: string): string {
  return `${CORAL[code] ?? 'com.amazonaws.dynamodb.v20120810'}#${code}`;
}

/** ConditionalCheckFailedException, optionally carrying the item (ReturnValuesOnConditionCheckFailure). */
export class ConditionalCheckFailed extends AwsError {
  constructor(readonly item?: Record<string, unknown>) {
    super(400, 'ConditionalCheckFailedException', MESSAGES.conditionalCheckFailed);
  }
}

export type CancellationReason = { Code: string; Message?: string; Item?: Record<string, unknown> };

export class TransactionCanceled extends AwsError {
  constructor(readonly reasons: CancellationReason[]) {
    super(
      400,
      'TransactionCanceledException',
      `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
    );
  }
}

export const MESSAGES = {
  conditionalCheckFailed: 'The conditional request failed',
  notFound: 'Requested resource not found',
  keyMismatch: 'The provided key element does not match the schema',
  itemTooLarge: 'Item size has exceeded the maximum allowed size',
  updateTooLarge: 'Item size to update has exceeded the maximum allowed size',
  notANumber: 'The parameter cannot be converted to a numeric value',
  tooManyDigits: 'Attempting to store more than 38 significant digits in a Number',
  overflow: 'Number overflow. Attempting to store a number with magnitude larger than supported range',
  underflow: 'Number underflow. Attempting to store a number with magnitude smaller than supported range',
  emptyValue: 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes',
  manyTypes:
    'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
  throughput:
    'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
  throttling: 'Rate of requests exceeds the allowed throughput.',
} as const;

export const validation = (message: string) => new AwsError(400, 'ValidationException', message);

/** "One or more parameter values were invalid: ..." */
export const invalidParameter = (detail: string) =>
  validation(`One or more parameter values were invalid: ${detail}`);

export const resourceNotFound = (message: string = MESSAGES.notFound) =>
  new AwsError(400, 'ResourceNotFoundException', message);

export const tableNotFound = (name: string) =>
  resourceNotFound(`Requested resource not found: Table: ${name} not found`);

export const resourceInUse = (message: string) => new AwsError(400, 'ResourceInUseException', message);
