import { resolve } from 'node:path';
import { Faults } from '../../local/faults';
import { createLambdaRuntime, LambdaFunctionError, mergeEnvironments } from '../../local/lambdaRuntime';
import type { FunctionConfig } from '../../local/serverlessConfig';

const functionConfig = (key: string, handler: string, timeout = 3): FunctionConfig => ({
  key,
  handler,
  timeout,
  memorySize: 256,
  environment: {},
  httpApi: [],
});

const setup = () => {
  const faults = new Faults();
  const runtime = createLambdaRuntime({
    root: resolve(__dirname, '../fixtures'),
    functions: [
      functionConfig('echo', 'handlers/echo.handler'),
      functionConfig('throws', 'handlers/throws.handler'),
      functionConfig('hangs', 'handlers/hangs.handler', 1),
    ],
    functionNamePrefix: 'iam-onboarding-test-',
    accountId: '123456789012',
    region: 'eu-west-1',
    faults,
  });
  return { faults, runtime };
};

/** The error an invocation fails with; fails the test when it succeeds. */
async function failureOf(invocation: Promise<unknown>): Promise<LambdaFunctionError> {
  try {
    await invocation;
  } catch (error) {
    if (error instanceof LambdaFunctionError) return error;
    throw error;
  }
  throw new Error('expected the invocation to fail');
}

type Echo = {
  event: { nested?: { seen?: boolean } };
  functionName: string;
  invokedFunctionArn: string;
  awsRequestId: string;
  remainingTimeInMillis: number;
};

describe('createLambdaRuntime', () => {
  describe('arnOf', () => {
    it('builds the ARN from region, account and the prefixed function name', () => {
      const { runtime } = setup();

      expect(runtime.arnOf('echo')).toBe(
        'arn:aws:lambda:eu-west-1:123456789012:function:iam-onboarding-test-echo',
      );
    });
  });

  describe('invoke', () => {
    it('runs the function by key with the event and a Lambda context', async () => {
      const { runtime } = setup();

      const result = (await runtime.invoke('echo', { id: 'E1001' })) as Echo;

      expect(result.event).toEqual({ id: 'E1001' });
      expect(result.functionName).toBe('iam-onboarding-test-echo');
      expect(result.invokedFunctionArn).toBe(runtime.arnOf('echo'));
      expect(result.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(result.remainingTimeInMillis).toBeGreaterThan(0);
      expect(result.remainingTimeInMillis).toBeLessThanOrEqual(3000);
    });

    it('runs the function by ARN', async () => {
      const { runtime } = setup();

      const result = (await runtime.invoke(runtime.arnOf('echo'), { id: 'E1002' })) as Echo;

      expect(result.event).toEqual({ id: 'E1002' });
    });

    it("hands the function a copy of the event, so its changes never reach the caller's object", async () => {
      const { runtime } = setup();
      const event = { nested: {} as { seen?: boolean } };

      const result = (await runtime.invoke('echo', event)) as Echo;

      expect(result.event.nested).toEqual({ seen: true });
      expect(event.nested).toEqual({});
    });

    it('surfaces a thrown error with its name as errorType and its message', async () => {
      const { runtime } = setup();

      const error = await failureOf(runtime.invoke('throws', {}));

      expect(error.name).toBe('UserConflictError');
      expect(error.message).toBe('user ada already exists with another employeeId');
    });

    it('fails with Sandbox.Timedout when the function outlives its timeout', async () => {
      const { runtime } = setup();

      const error = await failureOf(runtime.invoke('hangs', {}));

      expect(error.name).toBe('Sandbox.Timedout');
      expect(error.message).toBe('Task timed out after 1.00 seconds');
    });

    it('fails with Lambda.Unknown once for an injected crash, then succeeds', async () => {
      const { faults, runtime } = setup();
      faults.addCrash({ function: 'echo', count: 1 });

      const error = await failureOf(runtime.invoke('echo', { id: 'E1003' }));
      const retried = (await runtime.invoke('echo', { id: 'E1003' })) as Echo;

      expect(error.name).toBe('Lambda.Unknown');
      expect(retried.event).toEqual({ id: 'E1003' });
    });

    it('fails with Lambda.ResourceNotFoundException for an unknown function', async () => {
      const { runtime } = setup();

      const error = await failureOf(runtime.invoke('nowhere', {}));

      expect(error.name).toBe('Lambda.ResourceNotFoundException');
      expect(error.message).toContain('nowhere');
    });
  });
});

describe('mergeEnvironments', () => {
  it('merges the environments, accepting a variable set to the same value twice', () => {
    const merged = mergeEnvironments([
      { POWERTOOLS_LOG_LEVEL: 'INFO', SECRET_PREFIX: 'p/' },
      { POWERTOOLS_LOG_LEVEL: 'INFO', SENDER_EMAIL: 'a@example.com' },
    ]);

    expect(merged).toEqual({
      POWERTOOLS_LOG_LEVEL: 'INFO',
      SECRET_PREFIX: 'p/',
      SENDER_EMAIL: 'a@example.com',
    });
  });

  it('throws naming a variable two functions set differently', () => {
    expect(() =>
      mergeEnvironments([{ SENDER_EMAIL: 'a@example.com' }, { SENDER_EMAIL: 'b@example.com' }]),
    ).toThrow('Functions set SENDER_EMAIL differently (a@example.com / b@example.com)');
  });
});
