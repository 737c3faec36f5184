import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  RedriveExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import {
  createStepFunctionsEmulator,
  type StepFunctionsEmulator,
  type TaskInvoker,
  WaitNotEndedError,
} from '../../../local/stepFunctions/stepFunctionsService';
import { JournalStore } from '../../../local/store';
import { clientConfig, startServiceServer } from '../support/serviceServer';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/onboarding-sfn`;
const lambdaArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;

const retry = [
  {
    ErrorEquals: ['IamThrottledError'],
    IntervalSeconds: 1,
    BackoffRate: 2,
    MaxAttempts: 3,
    MaxDelaySeconds: 20,
    JitterStrategy: 'FULL',
  },
];
const toNotifyOps = [{ ErrorEquals: ['UserConflictError'], ResultPath: '$.failure', Next: 'NotifyOps' }];

/** A small onboarding: two Tasks, a Catch to NotifyOps, then a Fail state fed by the alert. */
const definition = {
  StartAt: 'CreateUser',
  States: {
    CreateUser: {
      Type: 'Task',
      Resource: lambdaArn('createUser'),
      Parameters: { 'employee.$': '$.employee', 'executionArn.$': '$$.Execution.Id' },
      ResultPath: '$.user',
      TimeoutSeconds: 5,
      Retry: retry,
      Catch: toNotifyOps,
      Next: 'AttachPolicies',
    },
    AttachPolicies: {
      Type: 'Task',
      Resource: lambdaArn('attachPolicies'),
      Parameters: { 'userName.$': '$.user.userName' },
      ResultPath: '$.policies',
      TimeoutSeconds: 5,
      Retry: retry,
      Catch: toNotifyOps,
      Next: 'Onboarded',
    },
    Onboarded: { Type: 'Succeed' },
    NotifyOps: {
      Type: 'Task',
      Resource: lambdaArn('notifyOps'),
      Parameters: { 'failure.$': '$.failure' },
      ResultPath: '$.alert',
      TimeoutSeconds: 5,
      Next: 'OnboardingFailed',
    },
    OnboardingFailed: { Type: 'Fail', ErrorPath: '$.alert.error', CausePath: '$.alert.cause' },
  },
};

const employee = { id: 'E-1', givenName: 'Ada', familyName: 'Lovelace' };
const hireInput = JSON.stringify({ eventId: 'evt-1', employee });

type Invocation = { fn: string; input: unknown; context: Parameters<TaskInvoker>[2] };

function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** The Lambdas behind the Task states: canned results, plus failures and pauses a test asks for. */
class FakeLambdas {
  readonly calls: Invocation[] = [];
  private readonly planned = new Map<string, Array<() => Promise<void>>>();

  readonly invoke: TaskInvoker = async (resource, input, context) => {
    const fn = resource.slice(resource.lastIndexOf(':') + 1);
    this.calls.push({ fn, input, context });
    await this.planned.get(fn)?.shift()?.();
    const args = input as Record<string, unknown>;
    if (fn === 'createUser')
      return { userName: 'ada.lovelace', userArn: `arn:aws:iam::${ACCOUNT}:user/ada.lovelace` };
    if (fn === 'attachPolicies')
      return { userName: args.userName, attached: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] };
    return {
      error: 'OnboardingFailed',
      cause: `Ops alerted about ${(args.failure as { Error: string }).Error}`,
    };
  };

  /** The next `count` invocations of `fn` throw an error named `name`. */
  fail(fn: string, count: number, name: string, message: string): void {
    for (let i = 0; i < count; i += 1) {
      this.plan(fn, async () => {
        throw namedError(name, message);
      });
    }
  }

  /** The next invocation of `fn` waits until released. */
  hold(fn: string): { started: Promise<void>; release(): void } {
    let release = () => {};
    let started = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const startedPromise = new Promise<void>((resolve) => {
      started = resolve;
    });
    this.plan(fn, () => {
      started();
      return gate;
    });
    return { started: startedPromise, release };
  }

  count(fn: string): number {
    return this.calls.filter((call) => call.fn === fn).length;
  }

  inputs(fn: string): unknown[] {
    return this.calls.filter((call) => call.fn === fn).map((call) => call.input);
  }

  private plan(fn: string, step: () => Promise<void>): void {
    const steps = this.planned.get(fn) ?? [];
    steps.push(step);
    this.planned.set(fn, steps);
  }
}

/** One local stack process: a store in `dir`, the emulator, an HTTP endpoint and a real SDK client. */
type Stack = {
  emulator: StepFunctionsEmulator;
  lambdas: FakeLambdas;
  client: SFNClient;
  endpoint: string;
  stop(): Promise<void>;
};

async function startStack(dir: string): Promise<Stack> {
  const lambdas = new FakeLambdas();
  const emulator = createStepFunctionsEmulator({
    store: JournalStore.open(dir, 'stepfunctions'),
    accountId: ACCOUNT,
    region: REGION,
    invokeTask: lambdas.invoke,
    retryDelayScale: 0.001,
  });
  const server = await startServiceServer(emulator.service);
  const client = new SFNClient(clientConfig(server.endpoint, REGION));
  return {
    emulator,
    lambdas,
    client,
    endpoint: server.endpoint,
    async stop() {
      client.destroy();
      await server.close();
    },
  };
}

describe('Step Functions emulator', () => {
  let dir: string;
  let stack: Stack;
  let stateMachineArn: string;
  const stacks: Stack[] = [];

  async function newStack(): Promise<Stack> {
    const started = await startStack(dir);
    stacks.push(started);
    return started;
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sfn-emulator-'));
    stack = await newStack();
    stateMachineArn = stack.emulator.registerStateMachine('onboarding', definition, ROLE_ARN);
  });

  afterEach(async () => {
    for (const started of stacks.splice(0)) {
      await started.emulator.whenIdle();
      await started.stop();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(name: string, input = hireInput, client = stack.client) {
    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn, name, input }));
    if (!executionArn) throw new Error('StartExecution returned no executionArn');
    return executionArn;
  }

  async function runToEnd(name: string) {
    const executionArn = await start(name);
    await stack.emulator.whenIdle();
    return executionArn;
  }

  async function describeExecution(executionArn: string, client = stack.client) {
    return client.send(new DescribeExecutionCommand({ executionArn }));
  }

  async function history(executionArn: string, client = stack.client): Promise<HistoryEvent[]> {
    const { events } = await client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    return events ?? [];
  }

  const types = (events: HistoryEvent[]) => events.map((event) => event.type);
  const lambdaTrio = ['LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded'];

  describe('state machines', () => {
    it('creates a state machine idempotently and describes it as AWS does', async () => {
      const create = new CreateStateMachineCommand({
        name: 'created',
        definition: JSON.stringify(definition),
        roleArn: ROLE_ARN,
      });

      const first = await stack.client.send(create);
      const again = await stack.client.send(create);
      const described = await stack.client.send(
        new DescribeStateMachineCommand({ stateMachineArn: first.stateMachineArn }),
      );

      expect(first.stateMachineArn).toBe(`arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:created`);
      expect(again).toMatchObject({
        stateMachineArn: first.stateMachineArn,
        creationDate: first.creationDate,
      });
      expect(described).toMatchObject({
        name: 'created',
        status: 'ACTIVE',
        type: 'STANDARD',
        roleArn: ROLE_ARN,
        definition: JSON.stringify(definition),
      });
      expect(described.creationDate).toBeInstanceOf(Date);
    });

    it('refuses another definition under the same name, and invalid definitions', async () => {
      const create = (text: string) =>
        stack.client.send(
          new CreateStateMachineCommand({ name: 'onboarding', definition: text, roleArn: ROLE_ARN }),
        );

      await expect(create('{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}')).rejects.toMatchObject(
        {
          name: 'StateMachineAlreadyExists',
          $metadata: { httpStatusCode: 400 },
        },
      );
      await expect(create('{"StartAt":"Missing","States":{}}')).rejects.toMatchObject({
        name: 'InvalidDefinition',
      });
      await expect(create('not json')).rejects.toMatchObject({ name: 'InvalidDefinition' });
    });

    it('updates the definition when the local stack registers the same name again', async () => {
      const updated = { ...definition, Comment: 'updated' };

      const arn = stack.emulator.registerStateMachine('onboarding', updated, ROLE_ARN);
      const described = await stack.client.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
      const listed = await stack.client.send(new ListStateMachinesCommand({}));

      expect(arn).toBe(stateMachineArn);
      expect(JSON.parse(described.definition ?? '')).toEqual(updated);
      expect(listed.stateMachines?.map((machine) => machine.stateMachineArn)).toEqual([stateMachineArn]);
    });
  });

  describe('when every task succeeds', () => {
    it('succeeds with the output of the last state', async () => {
      const executionArn = await runToEnd('hire-ok');

      const described = await describeExecution(executionArn);

      expect(executionArn).toBe(`arn:aws:states:${REGION}:${ACCOUNT}:execution:onboarding:hire-ok`);
      expect(described).toMatchObject({
        status: 'SUCCEEDED',
        name: 'hire-ok',
        stateMachineArn,
        input: hireInput,
        redriveCount: 0,
        redriveStatus: 'NOT_REDRIVABLE',
        redriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven',
      });
      expect(JSON.parse(described.output ?? '')).toEqual({
        eventId: 'evt-1',
        employee,
        user: { userName: 'ada.lovelace', userArn: `arn:aws:iam::${ACCOUNT}:user/ada.lovelace` },
        policies: { userName: 'ada.lovelace', attached: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] },
      });
      expect(described.stopDate?.getTime()).toBeGreaterThanOrEqual(
        described.startDate?.getTime() ?? Infinity,
      );
    });

    it('records the AWS history events, with task inputs and outputs exactly as the Lambdas saw them', async () => {
      const executionArn = await runToEnd('hire-history');

      const events = await history(executionArn);

      expect(types(events)).toEqual([
        'ExecutionStarted',
        'TaskStateEntered',
        ...lambdaTrio,
        'TaskStateExited',
        'TaskStateEntered',
        ...lambdaTrio,
        'TaskStateExited',
        'SucceedStateEntered',
        'SucceedStateExited',
        'ExecutionSucceeded',
      ]);
      expect(events.map((event) => [event.id, event.previousEventId])).toEqual(
        events.map((_, index) => [index + 1, index]),
      );
      expect(events.every((event) => event.timestamp instanceof Date)).toBe(true);
      expect(events[0]?.executionStartedEventDetails).toEqual({
        input: hireInput,
        inputDetails: { truncated: false },
        roleArn: ROLE_ARN,
      });
      expect(events[1]?.stateEnteredEventDetails).toEqual({
        name: 'CreateUser',
        input: hireInput,
        inputDetails: { truncated: false },
      });
      const [createInput] = stack.lambdas.inputs('createUser');
      expect(createInput).toEqual({ employee, executionArn });
      expect(events[2]?.lambdaFunctionScheduledEventDetails).toEqual({
        resource: lambdaArn('createUser'),
        input: JSON.stringify(createInput),
        inputDetails: { truncated: false },
        timeoutInSeconds: 5,
      });
      expect(events[4]?.lambdaFunctionSucceededEventDetails).toEqual({
        output: JSON.stringify({
          userName: 'ada.lovelace',
          userArn: `arn:aws:iam::${ACCOUNT}:user/ada.lovelace`,
        }),
        outputDetails: { truncated: false },
      });
      expect(events[5]?.stateExitedEventDetails?.name).toBe('CreateUser');
      expect(JSON.parse(events[5]?.stateExitedEventDetails?.output ?? '')).toMatchObject({
        user: { userName: 'ada.lovelace' },
      });
      const described = await describeExecution(executionArn);
      expect(events.at(-1)?.executionSucceededEventDetails).toEqual({
        output: described.output,
        outputDetails: { truncated: false },
      });
    });

    it('gives each task its execution, state and deadline', async () => {
      const before = Date.now();
      const executionArn = await runToEnd('hire-context');

      const [call] = stack.lambdas.calls;

      expect(call?.context).toMatchObject({ executionArn, stateName: 'CreateUser' });
      expect(call?.context.deadline).toBeGreaterThanOrEqual(before + 5000);
      expect(call?.context.deadline).toBeLessThanOrEqual(Date.now() + 5000);
    });

    it('serves the history in pages, newest first and without data on request', async () => {
      const executionArn = await runToEnd('hire-pages');
      const all = await history(executionArn);

      const first = await stack.client.send(
        new GetExecutionHistoryCommand({ executionArn, maxResults: 5, reverseOrder: true }),
      );
      const second = await stack.client.send(
        new GetExecutionHistoryCommand({
          executionArn,
          maxResults: 5,
          reverseOrder: true,
          nextToken: first.nextToken,
        }),
      );
      const bare = await stack.client.send(
        new GetExecutionHistoryCommand({ executionArn, maxResults: 1, includeExecutionData: false }),
      );

      expect(first.events?.map((event) => event.id)).toEqual([14, 13, 12, 11, 10]);
      expect(second.events?.map((event) => event.id)).toEqual([9, 8, 7, 6, 5]);
      expect(all).toHaveLength(14);
      expect(bare.events?.[0]?.executionStartedEventDetails).toEqual({
        inputDetails: { truncated: false },
        roleArn: ROLE_ARN,
      });
      await expect(
        stack.client.send(new GetExecutionHistoryCommand({ executionArn, nextToken: 'bm9wZQ' })),
      ).rejects.toMatchObject({ name: 'InvalidToken' });
    });
  });

  describe('when a task is throttled', () => {
    it('retries it and succeeds, recording each failed attempt with a Lambda-style cause', async () => {
      stack.lambdas.fail('createUser', 2, 'IamThrottledError', 'Rate exceeded');

      const executionArn = await runToEnd('hire-retry');
      const events = await history(executionArn);

      expect((await describeExecution(executionArn)).status).toBe('SUCCEEDED');
      expect(stack.lambdas.count('createUser')).toBe(3);
      const failures = events.filter((event) => event.type === 'LambdaFunctionFailed');
      expect(failures.map((event) => event.lambdaFunctionFailedEventDetails)).toEqual([
        {
          error: 'IamThrottledError',
          cause: JSON.stringify({ errorType: 'IamThrottledError', errorMessage: 'Rate exceeded', trace: [] }),
        },
        {
          error: 'IamThrottledError',
          cause: JSON.stringify({ errorType: 'IamThrottledError', errorMessage: 'Rate exceeded', trace: [] }),
        },
      ]);
      expect(types(events).slice(1, 11)).toEqual([
        'TaskStateEntered',
        'LambdaFunctionScheduled',
        'LambdaFunctionStarted',
        'LambdaFunctionFailed',
        'LambdaFunctionScheduled',
        'LambdaFunctionStarted',
        'LambdaFunctionFailed',
        ...lambdaTrio,
      ]);
    });
  });

  describe('when a task fails permanently', () => {
    it('catches the error to NotifyOps and fails with the error and cause of the alert', async () => {
      stack.lambdas.fail('createUser', 1, 'UserConflictError', 'ada.lovelace belongs to someone else');

      const executionArn = await runToEnd('hire-conflict');
      const described = await describeExecution(executionArn);
      const events = await history(executionArn);

      expect(stack.lambdas.count('createUser')).toBe(1);
      expect(stack.lambdas.inputs('notifyOps')).toEqual([
        {
          failure: {
            Error: 'UserConflictError',
            Cause: JSON.stringify({
              errorType: 'UserConflictError',
              errorMessage: 'ada.lovelace belongs to someone else',
              trace: [],
            }),
          },
        },
      ]);
      expect(described).toMatchObject({
        status: 'FAILED',
        error: 'OnboardingFailed',
        cause: 'Ops alerted about UserConflictError',
        redriveStatus: 'REDRIVABLE',
      });
      expect(types(events).slice(-3)).toEqual(['TaskStateExited', 'FailStateEntered', 'ExecutionFailed']);
      expect(events.at(-1)?.executionFailedEventDetails).toEqual({
        error: 'OnboardingFailed',
        cause: 'Ops alerted about UserConflictError',
      });
    });
  });

  describe('when time runs out', () => {
    const waitingMachine = (taskTimeout: number, executionTimeout?: number) => ({
      StartAt: 'CreateUser',
      TimeoutSeconds: executionTimeout,
      States: {
        CreateUser: {
          Type: 'Task',
          Resource: lambdaArn('createUser'),
          TimeoutSeconds: taskTimeout,
          End: true,
        },
      },
    });

    it('records a task that outlives its TimeoutSeconds as LambdaFunctionTimedOut', async () => {
      stateMachineArn = stack.emulator.registerStateMachine('slow-task', waitingMachine(1), ROLE_ARN);
      const held = stack.lambdas.hold('createUser');

      const executionArn = await runToEnd('hire-slow');
      held.release();
      const events = await history(executionArn);

      expect(await describeExecution(executionArn)).toMatchObject({
        status: 'FAILED',
        error: 'States.Timeout',
      });
      expect(types(events).slice(-2)).toEqual(['LambdaFunctionTimedOut', 'ExecutionFailed']);
      expect(events.at(-2)?.lambdaFunctionTimedOutEventDetails).toEqual({ error: 'States.Timeout' });
    });

    it('times the execution out after the state machine TimeoutSeconds, and keeps it redrivable', async () => {
      stateMachineArn = stack.emulator.registerStateMachine('slow-execution', waitingMachine(5, 1), ROLE_ARN);
      const held = stack.lambdas.hold('createUser');

      const executionArn = await runToEnd('hire-late');
      held.release();
      const events = await history(executionArn);

      expect(await describeExecution(executionArn)).toMatchObject({
        status: 'TIMED_OUT',
        error: 'States.Timeout',
        redriveStatus: 'REDRIVABLE',
      });
      expect(events.at(-1)).toMatchObject({
        type: 'ExecutionTimedOut',
        executionTimedOutEventDetails: { error: 'States.Timeout' },
      });
    });
  });

  describe('StartExecution', () => {
    it('answers the first start again for the same name and input while the execution runs', async () => {
      const held = stack.lambdas.hold('createUser');
      const first = await stack.client.send(
        new StartExecutionCommand({ stateMachineArn, name: 'hire-twice', input: hireInput }),
      );
      await held.started;

      const again = await stack.client.send(
        new StartExecutionCommand({ stateMachineArn, name: 'hire-twice', input: hireInput }),
      );
      const otherInput = stack.client.send(
        new StartExecutionCommand({ stateMachineArn, name: 'hire-twice', input: '{"eventId":"evt-2"}' }),
      );

      expect(again).toMatchObject({ executionArn: first.executionArn, startDate: first.startDate });
      await expect(otherInput).rejects.toMatchObject({
        name: 'ExecutionAlreadyExists',
        message: `Execution Already Exists: '${first.executionArn}'`,
        $metadata: { httpStatusCode: 400 },
      });
      expect((await describeExecution(first.executionArn ?? '')).redriveStatusReason).toBe(
        'Execution is RUNNING and cannot be redriven',
      );
      held.release();
      await stack.emulator.whenIdle();
      await expect(start('hire-twice')).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
      expect(stack.lambdas.count('createUser')).toBe(1);
    });

    it('names the execution with a UUID when no name is given', async () => {
      const { executionArn } = await stack.client.send(
        new StartExecutionCommand({ stateMachineArn, input: '{}' }),
      );

      expect(executionArn).toMatch(
        /:execution:onboarding:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      );
    });

    it('rejects bad names, input that is not JSON and unknown state machines', async () => {
      await expect(start('has space')).rejects.toMatchObject({ name: 'InvalidName' });
      await expect(start('x'.repeat(81))).rejects.toMatchObject({ name: 'InvalidName' });
      await expect(start('bad-input', '{"eventId":')).rejects.toMatchObject({
        name: 'InvalidExecutionInput',
      });
      await expect(
        stack.client.send(
          new StartExecutionCommand({
            stateMachineArn: `${stateMachineArn}-gone`,
            name: 'nowhere',
            input: '{}',
          }),
        ),
      ).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });
      expect(stack.lambdas.calls).toEqual([]);
    });
  });

  describe('ListExecutions', () => {
    it('filters by status and pages newest first', async () => {
      for (const name of ['done-1', 'done-2', 'done-3']) await runToEnd(name);
      const held = stack.lambdas.hold('createUser');
      const running = await start('running-1');
      await held.started;

      const list = (input: {
        statusFilter?: 'RUNNING' | 'SUCCEEDED';
        maxResults?: number;
        nextToken?: string;
      }) => stack.client.send(new ListExecutionsCommand({ stateMachineArn, ...input }));
      const runningOnly = await list({ statusFilter: 'RUNNING' });
      const succeeded = await list({ statusFilter: 'SUCCEEDED' });
      const page1 = await list({ maxResults: 3 });
      const page2 = await list({ maxResults: 3, nextToken: page1.nextToken });

      expect(runningOnly.executions?.map((item) => item.executionArn)).toEqual([running]);
      expect(runningOnly.executions?.[0]).toMatchObject({
        name: 'running-1',
        status: 'RUNNING',
        redriveCount: 0,
      });
      expect(succeeded.executions?.map((item) => item.name).sort()).toEqual(['done-1', 'done-2', 'done-3']);
      expect(page1.executions).toHaveLength(3);
      expect(page1.executions?.[0]?.name).toBe('running-1');
      expect(page2.nextToken).toBeUndefined();
      const names = [...(page1.executions ?? []), ...(page2.executions ?? [])].map((item) => item.name);
      expect(names.sort()).toEqual(['done-1', 'done-2', 'done-3', 'running-1']);
      const starts = [...(page1.executions ?? []), ...(page2.executions ?? [])].map((item) =>
        item.startDate?.getTime(),
      );
      expect(starts).toEqual([...starts].sort((a, b) => (b ?? 0) - (a ?? 0)));
      await expect(list({ maxResults: 1001 })).rejects.toMatchObject({ name: 'ValidationException' });
      held.release();
    });
  });

  describe('StopExecution', () => {
    it('aborts a running execution and records nothing the stopped task does afterwards', async () => {
      const held = stack.lambdas.hold('createUser');
      const executionArn = await start('hire-stop');
      await held.started;

      const { stopDate } = await stack.client.send(
        new StopExecutionCommand({ executionArn, error: 'Ops.Cancelled', cause: 'Hire withdrawn' }),
      );
      held.release();
      await stack.emulator.whenIdle();
      const described = await describeExecution(executionArn);
      const events = await history(executionArn);

      expect(stopDate).toBeInstanceOf(Date);
      expect(described).toMatchObject({
        status: 'ABORTED',
        stopDate,
        error: 'Ops.Cancelled',
        cause: 'Hire withdrawn',
        redriveStatus: 'REDRIVABLE',
      });
      expect(types(events)).toEqual([
        'ExecutionStarted',
        'TaskStateEntered',
        'LambdaFunctionScheduled',
        'LambdaFunctionStarted',
        'TaskStateAborted',
        'ExecutionAborted',
      ]);
      expect(events.at(-1)?.executionAbortedEventDetails).toEqual({
        error: 'Ops.Cancelled',
        cause: 'Hire withdrawn',
      });
      expect(stack.lambdas.count('attachPolicies')).toBe(0);
    });

    it('answers ExecutionDoesNotExist for an unknown execution', async () => {
      const executionArn = `arn:aws:states:${REGION}:${ACCOUNT}:execution:onboarding:never`;

      await expect(stack.client.send(new StopExecutionCommand({ executionArn }))).rejects.toMatchObject({
        name: 'ExecutionDoesNotExist',
      });
    });
  });

  describe('RedriveExecution', () => {
    it('resumes a failed execution at the failed task without running the tasks that succeeded again', async () => {
      stack.lambdas.fail('attachPolicies', 4, 'IamThrottledError', 'Rate exceeded');
      const executionArn = await runToEnd('hire-redrive');
      const failed = await describeExecution(executionArn);
      const failedHistory = await history(executionArn);

      const { redriveDate } = await stack.client.send(new RedriveExecutionCommand({ executionArn }));
      await stack.emulator.whenIdle();
      const redriven = await describeExecution(executionArn);
      const events = await history(executionArn);

      expect(failed).toMatchObject({
        status: 'FAILED',
        error: 'IamThrottledError',
        redriveStatus: 'REDRIVABLE',
      });
      expect(redriven).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1, redriveDate, executionArn });
      expect(redriven.error).toBeUndefined();
      expect(stack.lambdas.count('createUser')).toBe(1);
      expect(stack.lambdas.count('attachPolicies')).toBe(5);
      const attachInputs = stack.lambdas.inputs('attachPolicies');
      expect(attachInputs.at(-1)).toEqual(attachInputs[0]);
      expect(events.slice(0, failedHistory.length)).toEqual(failedHistory);
      const resumed = events.slice(failedHistory.length);
      expect(resumed[0]).toMatchObject({
        type: 'ExecutionRedriven',
        executionRedrivenEventDetails: { redriveCount: 1 },
      });
      expect(resumed[1]?.stateEnteredEventDetails?.name).toBe('AttachPolicies');
      expect(resumed[1]?.stateEnteredEventDetails?.input).toBe(
        failedHistory.findLast((event) => event.type === 'TaskStateEntered')?.stateEnteredEventDetails?.input,
      );
      expect(types(resumed).at(-1)).toBe('ExecutionSucceeded');
      expect(JSON.parse(redriven.output ?? '')).toMatchObject({ user: { userName: 'ada.lovelace' } });
    });

    it('refuses to redrive an execution that succeeded', async () => {
      const executionArn = await runToEnd('hire-done');

      await expect(stack.client.send(new RedriveExecutionCommand({ executionArn }))).rejects.toMatchObject({
        name: 'ExecutionNotRedrivable',
        message: 'Execution is SUCCEEDED and cannot be redriven',
        $metadata: { httpStatusCode: 400 },
      });
    });
  });

  describe('endWait (the local stand-in for a clock)', () => {
    /** An hour's Wait, then a Task: the run can only reach the Task if the Wait is ended. */
    const waiting = {
      StartAt: 'Hold',
      States: {
        Hold: { Type: 'Wait', Seconds: 3600, Next: 'CreateUser' },
        CreateUser: {
          Type: 'Task',
          Resource: lambdaArn('createUser'),
          Parameters: { 'employee.$': '$.employee' },
          ResultPath: '$.user',
          End: true,
        },
      },
    };

    async function waitingExecution(name: string) {
      stateMachineArn = stack.emulator.registerStateMachine('waiting', waiting, ROLE_ARN);
      const executionArn = await start(name);
      for (let tries = 0; !types(await history(executionArn)).includes('WaitStateEntered'); tries += 1) {
        if (tries > 200) throw new Error('never entered the Wait');
        await new Promise((wait) => setTimeout(wait, 10));
      }
      return executionArn;
    }

    it('ends the Wait now: the run goes on from it once, with one entry and one exit in the history', async () => {
      const executionArn = await waitingExecution('hold-1');

      await expect(stack.emulator.endWait(executionArn)).resolves.toBe('Hold');
      await stack.emulator.whenIdle();

      expect((await describeExecution(executionArn)).status).toBe('SUCCEEDED');
      expect(types(await history(executionArn))).toEqual([
        'ExecutionStarted',
        'WaitStateEntered',
        'WaitStateExited',
        'TaskStateEntered',
        ...lambdaTrio,
        'TaskStateExited',
        'ExecutionSucceeded',
      ]);
      expect(stack.lambdas.count('createUser')).toBe(1);
    });

    it('refuses an execution that is not waiting, or unknown, changing nothing', async () => {
      const executionArn = await runToEnd('hire-ended');
      await expect(stack.emulator.endWait(executionArn)).rejects.toThrow(WaitNotEndedError);
      await expect(stack.emulator.endWait(`${executionArn}-nope`)).rejects.toThrow(/No execution/);
      expect((await describeExecution(executionArn)).status).toBe('SUCCEEDED');
    });
  });

  describe('after a restart', () => {
    it('keeps executions and their histories, and redrives them', async () => {
      stack.lambdas.fail('attachPolicies', 4, 'IamThrottledError', 'Rate exceeded');
      const executionArn = await runToEnd('hire-durable');
      const before = await history(executionArn);

      const restarted = await newStack();
      restarted.emulator.registerStateMachine('onboarding', definition, ROLE_ARN);
      const described = await describeExecution(executionArn, restarted.client);
      await restarted.client.send(new RedriveExecutionCommand({ executionArn }));
      await restarted.emulator.whenIdle();

      expect(described).toMatchObject({
        status: 'FAILED',
        error: 'IamThrottledError',
        redriveStatus: 'REDRIVABLE',
      });
      expect((await history(executionArn, restarted.client)).slice(0, before.length)).toEqual(before);
      expect((await describeExecution(executionArn, restarted.client)).status).toBe('SUCCEEDED');
      expect(restarted.lambdas.count('createUser')).toBe(0);
      expect(restarted.lambdas.count('attachPolicies')).toBe(1);
    });

    it('fails the executions that were running and redrives them from the state they were in', async () => {
      const held = stack.lambdas.hold('attachPolicies');
      const executionArn = await start('hire-crash');
      await held.started;

      const restarted = await newStack();
      const described = await describeExecution(executionArn, restarted.client);
      const events = await history(executionArn, restarted.client);
      await restarted.client.send(new RedriveExecutionCommand({ executionArn }));
      await restarted.emulator.whenIdle();
      held.release();

      expect(described).toMatchObject({
        status: 'FAILED',
        error: 'States.Runtime',
        cause:
          'The local stack stopped while this execution was running; redrive it to resume at AttachPolicies.',
        redriveStatus: 'REDRIVABLE',
      });
      expect(events.at(-1)?.type).toBe('ExecutionFailed');
      expect((await describeExecution(executionArn, restarted.client)).status).toBe('SUCCEEDED');
      expect(restarted.lambdas.count('createUser')).toBe(0);
      expect(restarted.lambdas.count('attachPolicies')).toBe(1);
    });
  });

  describe('the JSON 1.0 protocol', () => {
    it('answers an unknown target with UnknownOperationException', async () => {
      const response = await fetch(stack.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'AWSStepFunctions.Teleport',
        },
        body: '{}',
      });

      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.0');
      expect(await response.json()).toMatchObject({ __type: 'UnknownOperationException' });
    });
  });
});
