import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import aslValidator from 'asl-validator';
import * as errors from '../../functions/shared/errors';
import { PERMANENT_ERROR_NAMES, RETRYABLE_ERROR_NAMES } from '../../functions/shared/errors';
import { loadServiceConfig, resolveIntrinsics } from '../../local/serverlessConfig';

type Retrier = {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: string;
};
type Catcher = { ErrorEquals: string[]; ResultPath?: string; Next: string };
type State = {
  Type: string;
  Resource?: unknown;
  Retry?: Retrier[];
  Catch?: Catcher[];
  TimeoutSeconds?: number;
  Next?: string;
};

type Choice = State & { Default?: string };

const root = resolve(__dirname, '../..');
const config = loadServiceConfig(root, { stage: 'test' });
const functionKeys = new Set(config.functions.map((fn) => fn.key));
const errorClasses = (Object.values(errors) as unknown[]).filter(
  (value): value is new (message: string) => Error =>
    typeof value === 'function' && (value as { prototype: unknown }).prototype instanceof Error,
);
const concreteErrors = errorClasses
  .filter((ErrorClass) => !([errors.RetryableError, errors.PermanentError] as unknown[]).includes(ErrorClass))
  .map((ErrorClass) => new ErrorClass('test'));
const isPlatformError = (name: string) => /^(Lambda|States|Sandbox)\./.test(name);

/** Each workflow: its serverless.yml id, its file, and the states of its path without failures. */
const WORKFLOWS = [
  {
    id: 'OnboardingStateMachine',
    file: 'onboarding.asl.yml',
    order: [
      'CreateUser',
      'EnsureGroups',
      'AttachPolicies',
      'Adopted',
      'GeneratePassword',
      'NotifyUser',
      'Onboarded',
    ],
  },
  {
    id: 'MoverStateMachine',
    file: 'mover.asl.yml',
    order: [
      'FindUser',
      'IsStale',
      'EnsureGroups',
      'AttachPolicies',
      'RemoveOldAccess',
      'RecordEvent',
      'Moved',
    ],
  },
  {
    id: 'LeaverStateMachine',
    file: 'leaver.asl.yml',
    order: [
      'WhenEffective',
      'FindUser',
      'IsStale',
      'DisableUser',
      'DeleteNow',
      'WaitForRetention',
      'DeleteUser',
      'Offboarded',
    ],
  },
];

describe.each(WORKFLOWS)('state machine $id', ({ id, file, order: expectedOrder }) => {
  const machine = config.stateMachines.find((m) => m.id === id);
  const definition = machine?.definition as { StartAt: string; States: Record<string, Choice> };
  const tasks = Object.entries(definition.States).filter(([, state]) => state.Type === 'Task');

  describe('as a definition', () => {
    it('is valid Amazon States Language once resources are resolved', () => {
      const refs = Object.fromEntries(
        [...functionKeys].map((key) => [key, `arn:aws:lambda:us-east-1:123456789012:function:${key}`]),
      );
      const resolved = resolveIntrinsics(definition, {
        accountId: '123456789012',
        region: 'us-east-1',
        refs,
      });
      const { isValid, errorsText } = aslValidator(resolved as object);
      expect(errorsText('\n')).toBe('');
      expect(isValid).toBe(true);
    });

    it('is the file serverless.yml loads', () => {
      const serverlessYml = readFileSync(resolve(root, 'serverless.yml'), 'utf8');
      expect(serverlessYml).toContain(`definition: \${file(./statemachines/${file})}`);
      expect(definition.StartAt).toBe(expectedOrder[0]);
    });

    it('runs the steps in the designed order (a Choice by its default)', () => {
      const order: string[] = [];
      for (let name: string | undefined = definition.StartAt; name; ) {
        order.push(name);
        const state: Choice | undefined = definition.States[name];
        name = state?.Next ?? state?.Default;
      }
      expect(order).toEqual(expectedOrder);
    });
  });

  describe.each(tasks)('task %s', (name, state) => {
    it('invokes a function defined in serverless.yml, named after the state', () => {
      const [functionKey, attribute] = (state.Resource as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'];
      expect(functionKeys.has(functionKey)).toBe(true);
      expect(attribute).toBe('Arn');
      expect(functionKey).toBe(name.charAt(0).toLowerCase() + name.slice(1));
    });

    it('has a timeout, retries with full jitter and a capped delay, and a catch', () => {
      expect(state.TimeoutSeconds).toBeGreaterThan(0);
      expect(state.Retry?.length).toBeGreaterThan(0);
      for (const retrier of state.Retry ?? []) {
        expect(retrier).toMatchObject({ JitterStrategy: 'FULL', BackoffRate: expect.any(Number) });
        expect(retrier.MaxDelaySeconds).toBeGreaterThan(0);
        expect(retrier.MaxAttempts).toBeGreaterThan(0);
      }
      expect(state.Catch?.length).toBeGreaterThan(0);
    });

    it('retries every retryable error and the Lambda service errors', () => {
      const retried = new Set(state.Retry?.flatMap((r) => r.ErrorEquals));
      for (const errorName of [
        ...RETRYABLE_ERROR_NAMES,
        'Lambda.ServiceException',
        'Lambda.TooManyRequestsException',
      ]) {
        expect(retried).toContain(errorName);
      }
    });

    it('never retries a permanent error, and catches every one of them', () => {
      const retried = new Set(state.Retry?.flatMap((r) => r.ErrorEquals));
      const caught = new Set(state.Catch?.flatMap((c) => c.ErrorEquals));
      for (const errorName of PERMANENT_ERROR_NAMES) {
        expect(retried).not.toContain(errorName);
        expect(caught).toContain(errorName);
      }
      expect(retried).not.toContain('States.ALL');
    });

    it('keeps its input when it catches an error', () => {
      expect(state.Catch?.length).toBeGreaterThan(0);
      for (const catcher of state.Catch ?? []) expect(catcher.ResultPath).toMatch(/^\$\.\w+/);
    });
  });

  describe('error names', () => {
    const matched = new Set(
      tasks.flatMap(([, s]) => [...(s.Retry ?? []), ...(s.Catch ?? [])].flatMap((r) => r.ErrorEquals)),
    );

    it('names in ErrorEquals are all exported error classes or platform errors', () => {
      const exported = new Set(concreteErrors.map((error) => error.name));
      expect(matched).toContain('Sandbox.Timedout');
      expect(matched).toContain('IamThrottledError');
      for (const errorName of matched)
        expect(isPlatformError(errorName) || exported.has(errorName)).toBe(true);
    });

    it('every exported error sets a literal name listed in its family', () => {
      expect(concreteErrors.length).toBe(RETRYABLE_ERROR_NAMES.length + PERMANENT_ERROR_NAMES.length);
      for (const error of concreteErrors) {
        const list: readonly string[] =
          error instanceof errors.RetryableError ? RETRYABLE_ERROR_NAMES : PERMANENT_ERROR_NAMES;
        expect(list).toContain(error.name);
        expect(error.name).not.toBe('Error');
      }
    });
  });
});
