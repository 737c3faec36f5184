import '../../local/stepFunctions/promiseWithResolvers';
import { resolve } from 'node:path';
import { ExecutionError, StateMachine } from 'aws-local-stepfunctions';
import { loadServiceConfig, resolveIntrinsics } from '../../local/serverlessConfig';

type Json = Parameters<StateMachine['run']>[0];
type TaskFake = (input: Json) => Promise<Json>;

const config = loadServiceConfig(resolve(__dirname, '../..'), { stage: 'test' });
const refs = Object.fromEntries(
  config.functions.map((fn) => [fn.key, `arn:aws:lambda:us-east-1:123456789012:function:${fn.key}`]),
);
const definition = resolveIntrinsics(config.stateMachines[0]?.definition, {
  accountId: '123456789012',
  region: 'us-east-1',
  refs,
});
const machine = new StateMachine(definition as ConstructorParameters<typeof StateMachine>[0]);
const TASKS = [
  'CreateUser',
  'EnsureGroups',
  'AttachPolicies',
  'RemoveOldAccess',
  'GeneratePassword',
  'NotifyUser',
  'NotifyOps',
] as const;

const hire = {
  eventId: 'evt-1',
  type: 'employee.hired',
  occurredAt: '2026-11-28T09:00:00Z',
  employee: {
    id: 'E1',
    givenName: 'Ada',
    familyName: 'Lovelace',
    workEmail: 'ada@example.com',
    department: 'Engineering',
    managerEmail: 'boss@example.com',
  },
};

const lambdaError = (name: string, message: string) => Object.assign(new Error(message), { name });

const DEFAULT_FAKES: Partial<Record<(typeof TASKS)[number], TaskFake>> = {
  CreateUser: async () => ({ userName: 'ada.lovelace', adopted: false }),
  GeneratePassword: async () => ({
    secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:p-AbCdEf',
  }),
};

function run(fakes: Partial<Record<(typeof TASKS)[number], TaskFake>>) {
  const calls: Array<{ state: string; input: Json }> = [];
  const handlers = Object.fromEntries(
    TASKS.map((state) => [
      state,
      async (input: Json) => {
        calls.push({ state, input });
        const fake = fakes[state] ?? DEFAULT_FAKES[state];
        return fake ? fake(input) : { done: state };
      },
    ]),
  );
  const retryIntervalOverrides = Object.fromEntries(TASKS.map((state) => [state, 0]));
  const execution = machine.run(hire, {
    overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides },
    context: { Execution: { Id: 'arn:aws:states:us-east-1:123456789012:execution:onboarding:evt-1' } },
  });
  return { result: execution.result, calls };
}

describe('onboarding state machine, executed', () => {
  describe('when every step succeeds', () => {
    it('runs the five steps in order, each with only the slice of state it needs', async () => {
      const { result, calls } = run({
        CreateUser: async () => ({
          userName: 'ada.lovelace',
          userArn: 'arn:aws:iam::123456789012:user/onboarded/ada.lovelace',
          adopted: false,
        }),
        GeneratePassword: async () => ({
          secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:p-AbCdEf',
        }),
      });

      const output = (await result) as Record<string, unknown>;

      expect(calls.map((c) => c.state)).toEqual([
        'CreateUser',
        'EnsureGroups',
        'AttachPolicies',
        'GeneratePassword',
        'NotifyUser',
      ]);
      expect(calls[0]?.input).toEqual({
        eventId: 'evt-1',
        occurredAt: '2026-11-28T09:00:00Z',
        employee: hire.employee,
        executionArn: expect.stringContaining(':execution:'),
      });
      expect(calls[1]?.input).toEqual({
        userName: 'ada.lovelace',
        employee: hire.employee,
        executionArn: expect.any(String),
      });
      expect(calls[4]?.input).toMatchObject({
        userName: 'ada.lovelace',
        secretArn: expect.stringContaining(':secret:'),
      });
      expect(output).toMatchObject({
        eventId: 'evt-1',
        user: { userName: 'ada.lovelace' },
        notification: { done: 'NotifyUser' },
      });
    });
  });

  describe('when CreateUser adopts an existing user (a rehire, an unfinished onboarding)', () => {
    it('takes away what the new profile does not grant before the password, given what was just granted', async () => {
      const { result, calls } = run({
        CreateUser: async () => ({ userName: 'ada.lovelace', adopted: true, rehired: true }),
        EnsureGroups: async () => ({ groups: ['Developers'], copiedGroups: [], copiedPolicies: [] }),
        AttachPolicies: async () => ({ policies: [] }),
        RemoveOldAccess: async () => ({ removedFromGroups: ['Operators'], detachedPolicies: [], kept: [] }),
      });

      await expect(result).resolves.toMatchObject({ removed: { removedFromGroups: ['Operators'] } });
      expect(calls.map((c) => c.state)).toEqual([
        'CreateUser',
        'EnsureGroups',
        'AttachPolicies',
        'RemoveOldAccess',
        'GeneratePassword',
        'NotifyUser',
      ]);
      expect(calls[3]?.input).toEqual({
        userName: 'ada.lovelace',
        groups: { groups: ['Developers'], copiedGroups: [], copiedPolicies: [] },
        policies: { policies: [] },
        executionArn: expect.stringContaining(':execution:'),
      });
    });

    it('skips RemoveOldAccess for a user it created', async () => {
      const { result, calls } = run({});
      await result;
      expect(calls.map((c) => c.state)).not.toContain('RemoveOldAccess');
    });
  });

  describe('when a step fails with a retryable error', () => {
    it('retries it and goes on', async () => {
      let attempts = 0;
      const { result, calls } = run({
        CreateUser: async () => ({ userName: 'ada.lovelace', adopted: false }),
        EnsureGroups: async () => {
          attempts += 1;
          if (attempts < 3) throw lambdaError('IamThrottledError', 'Rate exceeded');
          return { groups: ['Developers'] };
        },
      });

      await expect(result).resolves.toMatchObject({ groups: { groups: ['Developers'] } });
      expect(calls.filter((c) => c.state === 'EnsureGroups')).toHaveLength(3);
      expect(calls.map((c) => c.state)).not.toContain('NotifyOps');
    });

    it('fails the execution at that step once retries run out, without alerting through NotifyOps', async () => {
      const { result, calls } = run({
        CreateUser: async () => ({ userName: 'ada.lovelace', adopted: false }),
        AttachPolicies: async () => {
          throw lambdaError('IamServiceError', 'ServiceFailure');
        },
      });

      await expect(result).rejects.toBeInstanceOf(ExecutionError);
      expect(calls.filter((c) => c.state === 'AttachPolicies')).toHaveLength(7);
      expect(calls.map((c) => c.state)).not.toContain('NotifyOps');
    });
  });

  describe('when a step fails permanently', () => {
    it('does not retry, alerts ops with the failed step and fails with the alert error and cause', async () => {
      const { result, calls } = run({
        CreateUser: async () => {
          throw lambdaError('UserNameConflictError', 'ada.lovelace belongs to someone else');
        },
        NotifyOps: async () => ({
          step: 'CreateUser',
          error: 'UserNameConflictError',
          cause: 'ada.lovelace belongs to someone else',
          link: 'https://x',
        }),
      });

      const failure = await result.catch((error: unknown) => error);

      expect(calls.map((c) => c.state)).toEqual(['CreateUser', 'NotifyOps']);
      expect(calls[1]?.input).toMatchObject({
        eventId: 'evt-1',
        employee: hire.employee,
        failure: { CreateUser: { Error: 'UserNameConflictError' } },
      });
      expect(failure).toBeInstanceOf(ExecutionError);
      expect((failure as ExecutionError).cause).toMatchObject({
        name: 'UserNameConflictError',
        message: 'ada.lovelace belongs to someone else',
      });
    });
  });
});
