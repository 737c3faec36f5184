import { resolve } from 'node:path';
import { InvokeCommand, LambdaClient, LambdaServiceException } from '@aws-sdk/client-lambda';
import { Faults } from '../../../local/faults';
import { createLambdaService } from '../../../local/lambda/lambdaService';
import { createLambdaRuntime, type LambdaRuntime } from '../../../local/lambdaRuntime';
import type { FunctionConfig } from '../../../local/serverlessConfig';
import { captureOutput } from '../../e2e/support/captureOutput';
import { clientConfig, type ServiceServer, startServiceServer } from '../support/serviceServer';

const ACCOUNT_ID = '123456789012';
const REGION = 'eu-west-1';
const PREFIX = 'iam-onboarding-test-';
const ECHO_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${PREFIX}echo`;

const functionConfig = (key: string, handler: string): FunctionConfig => ({
  key,
  handler,
  timeout: 3,
  memorySize: 256,
  environment: {},
  httpApi: [],
});

const payload = (text: string) => new TextEncoder().encode(text);
const parsed = (bytes: Uint8Array | undefined) => JSON.parse(new TextDecoder().decode(bytes));
const decodedLog = (logResult: string | undefined) => Buffer.from(logResult ?? '', 'base64').toString('utf8');

/** The error the SDK throws for `command`; fails the test when the call succeeds. */
async function errorOf(client: LambdaClient, command: InvokeCommand): Promise<LambdaServiceException> {
  try {
    await client.send(command);
  } catch (error) {
    if (error instanceof LambdaServiceException) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('Lambda emulator', () => {
  let runtime: LambdaRuntime;
  let server: ServiceServer;
  let client: LambdaClient;

  beforeAll(async () => {
    runtime = createLambdaRuntime({
      root: resolve(__dirname, '../../fixtures'),
      functions: [
        functionConfig('echo', 'handlers/echo.handler'),
        functionConfig('throws', 'handlers/throws.handler'),
        functionConfig('logs', 'handlers/logs.handler'),
      ],
      functionNamePrefix: PREFIX,
      accountId: ACCOUNT_ID,
      region: REGION,
      faults: new Faults(),
      environmentOf: (key) => ({ AWS_LAMBDA_FUNCTION_NAME: `${PREFIX}${key}` }),
      log: () => undefined,
    });
    server = await startServiceServer(
      createLambdaService({
        runtime,
        functions: [
          functionConfig('echo', 'handlers/echo.handler'),
          functionConfig('throws', 'handlers/throws.handler'),
          functionConfig('logs', 'handlers/logs.handler'),
        ],
        accountId: ACCOUNT_ID,
        region: REGION,
      }),
    );
    client = new LambdaClient(clientConfig(server.endpoint, REGION));
  });

  afterAll(async () => {
    client.destroy();
    await server.close();
    await runtime.stop();
  });

  describe('Invoke', () => {
    it.each([
      ['its name', `${PREFIX}echo`],
      ['its ARN', ECHO_ARN],
      ['its partial ARN', `${ACCOUNT_ID}:function:${PREFIX}echo`],
      ['its name and $LATEST', `${PREFIX}echo:$LATEST`],
    ])(
      'runs the function named by %s with the payload as its event, and answers its result',
      async (_, name) => {
        const answer = await client.send(
          new InvokeCommand({ FunctionName: name, Payload: payload('{"nested":{"seen":false}}') }),
        );

        expect(answer.StatusCode).toBe(200);
        expect(answer.FunctionError).toBeUndefined();
        expect(answer.ExecutedVersion).toBe('$LATEST');
        expect(answer.LogResult).toBeUndefined();
        const result = parsed(answer.Payload);
        expect(result).toMatchObject({
          event: { nested: { seen: true } },
          functionName: `${PREFIX}echo`,
          invokedFunctionArn: ECHO_ARN,
        });
        expect(answer.$metadata.requestId).toBe(result.awsRequestId);
      },
    );

    it('passes {} as the event when there is no payload', async () => {
      const answer = await client.send(new InvokeCommand({ FunctionName: `${PREFIX}echo` }));

      expect(parsed(answer.Payload).event).toEqual({});
    });

    it("answers the log's START, lines, END and REPORT in X-Amz-Log-Result with LogType Tail", async () => {
      const answer = await client.send(
        new InvokeCommand({
          FunctionName: `${PREFIX}logs`,
          LogType: 'Tail',
          Payload: payload('{"lines":2}'),
        }),
      );

      const id = answer.$metadata.requestId;
      const lines = decodedLog(answer.LogResult).split('\n');
      expect(lines.slice(0, 5)).toEqual([
        `START RequestId: ${id} Version: $LATEST`,
        'stdout line 1',
        'stdout line 2',
        'stderr line',
        `END RequestId: ${id}`,
      ]);
      expect(lines[5]).toMatch(
        new RegExp(
          `^REPORT RequestId: ${id}\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 256 MB\\t$`,
        ),
      );
      expect(lines.slice(6)).toEqual(['']);
    });

    it("cuts the log to its last 4 KB, as Lambda's tail is", async () => {
      const answer = await client.send(
        new InvokeCommand({
          FunctionName: `${PREFIX}logs`,
          LogType: 'Tail',
          Payload: payload('{"lines":500}'),
        }),
      );

      const log = decodedLog(answer.LogResult);
      expect(Buffer.byteLength(log)).toBe(4096);
      expect(log).toContain('stdout line 500\nstderr line\nEND RequestId: ');
      expect(log).not.toContain('START RequestId');
    });

    it('answers a function error with FunctionError Unhandled and its errorType, errorMessage and trace', async () => {
      const answer = await client.send(new InvokeCommand({ FunctionName: `${PREFIX}throws` }));

      expect(answer.StatusCode).toBe(200);
      expect(answer.FunctionError).toBe('Unhandled');
      const error = parsed(answer.Payload);
      expect(error).toMatchObject({
        errorType: 'UserConflictError',
        errorMessage: 'user ada already exists with another employeeId',
      });
      expect(error.trace[0]).toBe('UserConflictError: user ada already exists with another employeeId');
    });

    it('answers DryRun with 204 and runs nothing', async () => {
      const output = captureOutput();
      try {
        const answer = await client.send(
          new InvokeCommand({
            FunctionName: `${PREFIX}logs`,
            InvocationType: 'DryRun',
            Payload: payload('{"lines":1}'),
          }),
        );

        expect(answer.StatusCode).toBe(204);
        expect(output.text()).toBe('');
      } finally {
        output.restore();
      }
    });

    it.each([
      [
        'an unknown function',
        `${PREFIX}nope`,
        undefined,
        `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${PREFIX}nope`,
      ],
      [
        'a function by its serverless.yml key alone',
        'echo',
        undefined,
        `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:echo`,
      ],
      ['a version that was never published', `${PREFIX}echo`, '1', `${ECHO_ARN}:1`],
    ])('answers ResourceNotFoundException (404) for %s', async (_, name, qualifier, arn) => {
      const error = await errorOf(client, new InvokeCommand({ FunctionName: name, Qualifier: qualifier }));

      expect(error.name).toBe('ResourceNotFoundException');
      expect(error.message).toBe(`Function not found: ${arn}`);
      expect(error.$metadata.httpStatusCode).toBe(404);
    });

    it('answers InvalidRequestContentException (400) for a payload that is not JSON', async () => {
      const error = await errorOf(
        client,
        new InvokeCommand({ FunctionName: `${PREFIX}echo`, Payload: payload('{oops') }),
      );

      expect(error.name).toBe('InvalidRequestContentException');
      expect(error.message).toMatch(/^Could not parse request body into json: /);
      expect(error.$metadata.httpStatusCode).toBe(400);
    });

    it('refuses an asynchronous (Event) invocation, which it does not emulate', async () => {
      const error = await errorOf(
        client,
        new InvokeCommand({ FunctionName: `${PREFIX}echo`, InvocationType: 'Event' }),
      );

      expect(error.name).toBe('InvalidParameterValueException');
      expect(error.$metadata.httpStatusCode).toBe(400);
    });

    it('answers an unknown Lambda operation with UnknownOperationException (404)', async () => {
      const response = await fetch(`${server.endpoint}/2015-03-31/functions/`);

      expect(response.status).toBe(404);
      expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    });
  });
});
