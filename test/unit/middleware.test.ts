import middy from '@middy/core';
import { IamThrottledError } from '../../functions/shared/errors';
import { logger } from '../../functions/shared/logger';
import { executionLogging } from '../../functions/shared/middleware';
import { captureLogs, executionArn, lambdaContext } from '../support/lambda';

const context = lambdaContext('createUser');

describe('executionLogging', () => {
  afterEach(() => jest.restoreAllMocks());

  it('adds the execution ARN and the Lambda request id to every log line of the invocation', async () => {
    // Arrange
    const logs = captureLogs();
    const handler = middy(async (_event: { executionArn: string }) => {
      logger.info('first');
      logger.warn('second');
      return 'done';
    }).use(executionLogging());

    // Act
    await handler({ executionArn }, context);

    // Assert
    expect(logs.map((line) => line.message)).toEqual(['first', 'second']);
    for (const line of logs) {
      expect(line).toMatchObject({
        executionArn,
        function_request_id: 'request-1',
        function_name: 'createUser',
      });
    }
  });

  it('does not carry the execution ARN into the next invocation', async () => {
    // Arrange
    const logs = captureLogs();
    const handler = middy(async (event: { executionArn?: string }) => {
      logger.info('ran', { had: event.executionArn !== undefined });
    }).use(executionLogging());

    // Act
    await handler({ executionArn }, context);
    await handler({}, context);

    // Assert
    expect(logs).toHaveLength(2);
    expect(logs[0]).toHaveProperty('executionArn', executionArn);
    expect(logs[1]).not.toHaveProperty('executionArn');
  });

  it('logs the error a task throws, with its name, and rethrows it unchanged', async () => {
    // Arrange
    const logs = captureLogs();
    const failure = new IamThrottledError('IAM CreateUser failed: Throttling: Rate exceeded');
    const handler = middy(async (_event: { executionArn: string }) => {
      throw failure;
    }).use(executionLogging());

    // Act
    const result = handler({ executionArn }, context);

    // Assert
    await expect(result).rejects.toBe(failure);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      level: 'ERROR',
      message: 'Task failed',
      executionArn,
      error: { name: 'IamThrottledError', message: failure.message },
    });
  });
});
