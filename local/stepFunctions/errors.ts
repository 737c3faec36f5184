import { AwsError } from '../aws/types';

/** Step Functions error answers, with the codes and message shapes AWS uses (all HTTP 400). */
export const sfnErrors = {
  validation: (message: string) => new AwsError(400, 'ValidationException', message),
  serialization: (message: string) => new AwsError(400, 'SerializationException', message),
  unknownOperation: (target: string) =>
    new AwsError(400, 'UnknownOperationException', `Unknown operation: '${target}'`),
  invalidArn: (arn: string) => new AwsError(400, 'InvalidArn', `Invalid Arn: '${arn}'`),
  invalidName: (name: string) => new AwsError(400, 'InvalidName', `Invalid Name: '${name}'`),
  invalidToken: (token: string) => new AwsError(400, 'InvalidToken', `Invalid Token: '${token}'`),
  invalidDefinition: (detail: string) =>
    new AwsError(400, 'InvalidDefinition', `Invalid State Machine Definition: '${detail}'`),
  invalidExecutionInput: (detail: string) =>
    new AwsError(400, 'InvalidExecutionInput', `Invalid State Machine Execution Input: '${detail}'`),
  stateMachineDoesNotExist: (arn: string) =>
    new AwsError(400, 'StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`),
  stateMachineAlreadyExists: (arn: string) =>
    new AwsError(400, 'StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`),
  stateMachineTypeNotSupported: (type: string) =>
    new AwsError(400, 'StateMachineTypeNotSupported', `State machine type not supported locally: '${type}'`),
  executionDoesNotExist: (arn: string) =>
    new AwsError(400, 'ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`),
  executionAlreadyExists: (arn: string) =>
    new AwsError(400, 'ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`),
  executionNotRedrivable: (reason: string) => new AwsError(400, 'ExecutionNotRedrivable', reason),
};

/**
 * A Task's failure in an optimized service integration (e.g. `arn:aws:states:::dynamodb:putItem`):
 * its error name as Step Functions names it (`DynamoDB.ConditionalCheckFailedException`) and its
 * Cause as text, where a Lambda's failure carries its errorType JSON.
 */
export class ServiceIntegrationError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}
