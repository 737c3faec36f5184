import type { DescribeExecutionCommandOutput, HistoryEvent } from '@aws-sdk/client-sfn';
import { stateSummaries } from '../../cli/executionView/steps';
import { timeline } from '../../cli/executionView/timeline';
import { employeeOf, executionView } from '../../cli/executionView/view';

// Histories written as GetExecutionHistory returns them (AWS Step Functions API reference, HistoryEvent):
// ids from 1, previousEventId naming the event each follows (0 for the first of a chain), a
// `<type>EventDetails` member per event type, Lambda error causes as the Lambda runtime writes them.

const STATE_MACHINE_ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:onboarding';
const EXECUTION_ARN = 'arn:aws:states:eu-west-1:123456789012:execution:onboarding:evt-1001';
const CREATE_USER = 'arn:aws:lambda:eu-west-1:123456789012:function:iam-onboarding-createUser';
const ENSURE_GROUPS = 'arn:aws:lambda:eu-west-1:123456789012:function:iam-onboarding-ensureGroups';
const NOTIFY_OPS = 'arn:aws:lambda:eu-west-1:123456789012:function:iam-onboarding-notifyOps';

const INPUT =
  '{"eventId":"evt-1001","type":"employee.hired","occurredAt":"2026-11-28T08:59:00Z","employee":{"id":"E1001","givenName":"Ada","familyName":"Lovelace","workEmail":"ada@example.com","department":"Engineering"}}';
const CREATED =
  '{"eventId":"evt-1001","user":{"userName":"ada.lovelace","arn":"arn:aws:iam::123456789012:user/onboarded/ada.lovelace"}}';
const SERVICE_FAILURE = JSON.stringify({
  errorType: 'IamServiceError',
  errorMessage: 'IAM CreateUser failed: ServiceFailure: Injected fault: ServiceFailure',
  trace: ['IamServiceError: IAM CreateUser failed', '    at createUser (/var/task/createUser.js:1:1)'],
});
const LIMIT_EXCEEDED = JSON.stringify({
  errorType: 'IamLimitExceededError',
  errorMessage: 'IAM CreateUser failed: LimitExceeded: Cannot exceed quota for UsersPerAccount: 5000',
  trace: [],
});

const at = (seconds: number) => new Date(Date.UTC(2026, 10, 28, 9, 0, seconds));

const describe_ = (fields: Partial<DescribeExecutionCommandOutput>): DescribeExecutionCommandOutput => ({
  $metadata: {},
  executionArn: EXECUTION_ARN,
  stateMachineArn: STATE_MACHINE_ARN,
  name: 'evt-1001',
  status: 'RUNNING',
  startDate: at(0),
  input: INPUT,
  ...fields,
});

/** CreateUser, then EnsureGroups, then the Succeed state: each Lambda succeeds at the first attempt. */
const SUCCEEDED_HISTORY: HistoryEvent[] = [
  {
    id: 1,
    previousEventId: 0,
    type: 'ExecutionStarted',
    timestamp: at(0),
    executionStartedEventDetails: { input: INPUT },
  },
  {
    id: 2,
    previousEventId: 0,
    type: 'TaskStateEntered',
    timestamp: at(1),
    stateEnteredEventDetails: { name: 'CreateUser', input: INPUT },
  },
  {
    id: 3,
    previousEventId: 2,
    type: 'LambdaFunctionScheduled',
    timestamp: at(1),
    lambdaFunctionScheduledEventDetails: { resource: CREATE_USER, input: INPUT, timeoutInSeconds: 30 },
  },
  { id: 4, previousEventId: 3, type: 'LambdaFunctionStarted', timestamp: at(1) },
  {
    id: 5,
    previousEventId: 4,
    type: 'LambdaFunctionSucceeded',
    timestamp: at(3),
    lambdaFunctionSucceededEventDetails: { output: '{"userName":"ada.lovelace"}' },
  },
  {
    id: 6,
    previousEventId: 5,
    type: 'TaskStateExited',
    timestamp: at(3),
    stateExitedEventDetails: { name: 'CreateUser', output: CREATED },
  },
  {
    id: 7,
    previousEventId: 6,
    type: 'TaskStateEntered',
    timestamp: at(3),
    stateEnteredEventDetails: { name: 'EnsureGroups', input: CREATED },
  },
  {
    id: 8,
    previousEventId: 7,
    type: 'LambdaFunctionScheduled',
    timestamp: at(4),
    lambdaFunctionScheduledEventDetails: { resource: ENSURE_GROUPS, input: CREATED },
  },
  { id: 9, previousEventId: 8, type: 'LambdaFunctionStarted', timestamp: at(4) },
  {
    id: 10,
    previousEventId: 9,
    type: 'LambdaFunctionSucceeded',
    timestamp: at(6),
    lambdaFunctionSucceededEventDetails: { output: '{"groups":["Developers"]}' },
  },
  {
    id: 11,
    previousEventId: 10,
    type: 'TaskStateExited',
    timestamp: at(6),
    stateExitedEventDetails: { name: 'EnsureGroups', output: CREATED },
  },
  {
    id: 12,
    previousEventId: 11,
    type: 'SucceedStateEntered',
    timestamp: at(6),
    stateEnteredEventDetails: { name: 'Onboarded', input: CREATED },
  },
  {
    id: 13,
    previousEventId: 12,
    type: 'SucceedStateExited',
    timestamp: at(6),
    stateExitedEventDetails: { name: 'Onboarded', output: CREATED },
  },
  {
    id: 14,
    previousEventId: 13,
    type: 'ExecutionSucceeded',
    timestamp: at(7),
    executionSucceededEventDetails: { output: CREATED },
  },
];

/** CreateUser fails with IamServiceError three times (the first attempt, two retries): retries exhausted. */
const RETRIES_EXHAUSTED: HistoryEvent[] = [
  { id: 1, previousEventId: 0, type: 'ExecutionStarted', timestamp: at(0) },
  {
    id: 2,
    previousEventId: 0,
    type: 'TaskStateEntered',
    timestamp: at(1),
    stateEnteredEventDetails: { name: 'CreateUser', input: INPUT },
  },
  ...[0, 1, 2].flatMap((attempt): HistoryEvent[] => [
    {
      id: 3 + attempt * 3,
      previousEventId: 2 + attempt * 3,
      type: 'LambdaFunctionScheduled',
      timestamp: at(2 + attempt * 10),
      lambdaFunctionScheduledEventDetails: { resource: CREATE_USER, input: INPUT },
    },
    {
      id: 4 + attempt * 3,
      previousEventId: 3 + attempt * 3,
      type: 'LambdaFunctionStarted',
      timestamp: at(2 + attempt * 10),
    },
    {
      id: 5 + attempt * 3,
      previousEventId: 4 + attempt * 3,
      type: 'LambdaFunctionFailed',
      timestamp: at(3 + attempt * 10),
      lambdaFunctionFailedEventDetails: { error: 'IamServiceError', cause: SERVICE_FAILURE },
    },
  ]),
  {
    id: 12,
    previousEventId: 11,
    type: 'ExecutionFailed',
    timestamp: at(24),
    executionFailedEventDetails: { error: 'IamServiceError', cause: SERVICE_FAILURE },
  },
];

/** CreateUser fails permanently; the Catch goes to NotifyOps, then to the Fail state. */
const CAUGHT: HistoryEvent[] = [
  { id: 1, previousEventId: 0, type: 'ExecutionStarted', timestamp: at(0) },
  {
    id: 2,
    previousEventId: 0,
    type: 'TaskStateEntered',
    timestamp: at(1),
    stateEnteredEventDetails: { name: 'CreateUser', input: INPUT },
  },
  {
    id: 3,
    previousEventId: 2,
    type: 'LambdaFunctionScheduled',
    timestamp: at(1),
    lambdaFunctionScheduledEventDetails: { resource: CREATE_USER, input: INPUT },
  },
  { id: 4, previousEventId: 3, type: 'LambdaFunctionStarted', timestamp: at(1) },
  {
    id: 5,
    previousEventId: 4,
    type: 'LambdaFunctionFailed',
    timestamp: at(2),
    lambdaFunctionFailedEventDetails: { error: 'IamLimitExceededError', cause: LIMIT_EXCEEDED },
  },
  {
    id: 6,
    previousEventId: 5,
    type: 'TaskStateExited',
    timestamp: at(2),
    stateExitedEventDetails: { name: 'CreateUser', output: INPUT },
  },
  {
    id: 7,
    previousEventId: 6,
    type: 'TaskStateEntered',
    timestamp: at(2),
    stateEnteredEventDetails: { name: 'NotifyOps', input: INPUT },
  },
  {
    id: 8,
    previousEventId: 7,
    type: 'LambdaFunctionScheduled',
    timestamp: at(2),
    lambdaFunctionScheduledEventDetails: { resource: NOTIFY_OPS, input: INPUT },
  },
  { id: 9, previousEventId: 8, type: 'LambdaFunctionStarted', timestamp: at(2) },
  {
    id: 10,
    previousEventId: 9,
    type: 'LambdaFunctionSucceeded',
    timestamp: at(4),
    lambdaFunctionSucceededEventDetails: { output: '{}' },
  },
  {
    id: 11,
    previousEventId: 10,
    type: 'TaskStateExited',
    timestamp: at(4),
    stateExitedEventDetails: { name: 'NotifyOps', output: '{}' },
  },
  {
    id: 12,
    previousEventId: 11,
    type: 'FailStateEntered',
    timestamp: at(4),
    stateEnteredEventDetails: { name: 'OnboardingFailed', input: '{}' },
  },
  {
    id: 13,
    previousEventId: 12,
    type: 'ExecutionFailed',
    timestamp: at(5),
    executionFailedEventDetails: {
      error: 'IamLimitExceededError',
      cause: 'IAM CreateUser failed: LimitExceeded: Cannot exceed quota for UsersPerAccount: 5000',
    },
  },
];

/** The first run of RETRIES_EXHAUSTED, then a redrive: CreateUser is entered again and succeeds. */
const REDRIVEN: HistoryEvent[] = [
  ...RETRIES_EXHAUSTED,
  {
    id: 13,
    previousEventId: 12,
    type: 'ExecutionRedriven',
    timestamp: at(40),
    executionRedrivenEventDetails: { redriveCount: 1 },
  },
  {
    id: 14,
    previousEventId: 13,
    type: 'TaskStateEntered',
    timestamp: at(40),
    stateEnteredEventDetails: { name: 'CreateUser', input: INPUT },
  },
  {
    id: 15,
    previousEventId: 14,
    type: 'LambdaFunctionScheduled',
    timestamp: at(41),
    lambdaFunctionScheduledEventDetails: { resource: CREATE_USER, input: INPUT },
  },
  { id: 16, previousEventId: 15, type: 'LambdaFunctionStarted', timestamp: at(41) },
  {
    id: 17,
    previousEventId: 16,
    type: 'LambdaFunctionSucceeded',
    timestamp: at(43),
    lambdaFunctionSucceededEventDetails: { output: '{"userName":"ada.lovelace"}' },
  },
  {
    id: 18,
    previousEventId: 17,
    type: 'TaskStateExited',
    timestamp: at(43),
    stateExitedEventDetails: { name: 'CreateUser', output: CREATED },
  },
  {
    id: 19,
    previousEventId: 18,
    type: 'TaskStateEntered',
    timestamp: at(43),
    stateEnteredEventDetails: { name: 'EnsureGroups', input: CREATED },
  },
  {
    id: 20,
    previousEventId: 19,
    type: 'LambdaFunctionScheduled',
    timestamp: at(44),
    lambdaFunctionScheduledEventDetails: { resource: ENSURE_GROUPS, input: CREATED },
  },
];

describe('executionView', () => {
  describe('when every step succeeds at the first attempt', () => {
    const view = executionView(
      describe_({ status: 'SUCCEEDED', stopDate: at(7), output: CREATED }),
      SUCCEEDED_HISTORY,
    );

    it('lists the visited states in order, each SUCCEEDED with its attempts and duration', () => {
      expect(view.steps).toEqual([
        {
          name: 'CreateUser',
          type: 'Task',
          status: 'SUCCEEDED',
          enteredAt: new Date('2026-11-28T09:00:01.000Z'),
          exitedAt: new Date('2026-11-28T09:00:03.000Z'),
          durationMs: 2000,
          attempts: 1,
          retries: 0,
          redrive: 0,
        },
        {
          name: 'EnsureGroups',
          type: 'Task',
          status: 'SUCCEEDED',
          enteredAt: new Date('2026-11-28T09:00:03.000Z'),
          exitedAt: new Date('2026-11-28T09:00:06.000Z'),
          durationMs: 3000,
          attempts: 1,
          retries: 0,
          redrive: 0,
        },
        {
          name: 'Onboarded',
          type: 'Succeed',
          status: 'SUCCEEDED',
          enteredAt: new Date('2026-11-28T09:00:06.000Z'),
          exitedAt: new Date('2026-11-28T09:00:06.000Z'),
          durationMs: 0,
          attempts: 0,
          retries: 0,
          redrive: 0,
        },
      ]);
    });

    it('names the employee from the input and the user from the output, and blames no step', () => {
      expect(view).toMatchObject({
        name: 'evt-1001',
        executionArn: EXECUTION_ARN,
        status: 'SUCCEEDED',
        employee: { id: 'E1001', name: 'Ada Lovelace', department: 'Engineering' },
        userName: 'ada.lovelace',
        durationMs: 7000,
        redriveCount: 0,
        failedPermanently: false,
        resumesAt: 'Onboarded',
      });
      expect(view.failedStep).toBeUndefined();
    });
  });

  describe('when a Task fails until its retries run out', () => {
    const view = executionView(
      describe_({
        status: 'FAILED',
        stopDate: at(24),
        error: 'IamServiceError',
        cause: SERVICE_FAILURE,
        redriveStatus: 'REDRIVABLE',
      }),
      RETRIES_EXHAUSTED,
    );

    it('blames that Task: FAILED after 3 attempts (2 retries), with the Lambda error message as cause', () => {
      expect(view.failedStep).toEqual({
        name: 'CreateUser',
        type: 'Task',
        status: 'FAILED',
        enteredAt: new Date('2026-11-28T09:00:01.000Z'),
        exitedAt: new Date('2026-11-28T09:00:24.000Z'),
        durationMs: 23_000,
        attempts: 3,
        retries: 2,
        error: 'IamServiceError',
        cause: 'IAM CreateUser failed: ServiceFailure: Injected fault: ServiceFailure',
        redrive: 0,
      });
    });

    it('is redrivable at the failed Task, keeps the raw cause and gives its sentence, and knows no user', () => {
      expect(view).toMatchObject({
        failedPermanently: false,
        resumesAt: 'CreateUser',
        error: 'IamServiceError',
        cause: SERVICE_FAILURE,
        readableCause: 'IAM CreateUser failed: ServiceFailure: Injected fault: ServiceFailure',
      });
      expect(view.userName).toBeUndefined();
    });
  });

  describe('when a Catch takes a permanent error to NotifyOps and the Fail state', () => {
    const view = executionView(
      describe_({ status: 'FAILED', stopDate: at(5), error: 'IamLimitExceededError' }),
      CAUGHT,
    );

    it('shows the Task CAUGHT, NotifyOps SUCCEEDED and the Fail state FAILED with the execution error', () => {
      expect(view.steps.map(({ name, type, status, error }) => ({ name, type, status, error }))).toEqual([
        { name: 'CreateUser', type: 'Task', status: 'CAUGHT', error: 'IamLimitExceededError' },
        { name: 'NotifyOps', type: 'Task', status: 'SUCCEEDED', error: undefined },
        { name: 'OnboardingFailed', type: 'Fail', status: 'FAILED', error: 'IamLimitExceededError' },
      ]);
      expect(view.steps[0]?.cause).toBe(
        'IAM CreateUser failed: LimitExceeded: Cannot exceed quota for UsersPerAccount: 5000',
      );
    });

    it('blames the caught Task, not the Fail state, and marks it failed permanently', () => {
      expect(view.failedStep?.name).toBe('CreateUser');
      expect(view.failedPermanently).toBe(true);
      expect(view.resumesAt).toBe('OnboardingFailed');
    });
  });

  describe('when a Task fails once and its retry succeeds', () => {
    const history: HistoryEvent[] = [
      ...CAUGHT.slice(0, 5).map((event) =>
        event.type === 'LambdaFunctionFailed'
          ? {
              ...event,
              lambdaFunctionFailedEventDetails: { error: 'IamServiceError', cause: SERVICE_FAILURE },
            }
          : event,
      ),
      {
        id: 6,
        previousEventId: 5,
        type: 'LambdaFunctionScheduled',
        timestamp: at(4),
        lambdaFunctionScheduledEventDetails: { resource: CREATE_USER, input: INPUT },
      },
      { id: 7, previousEventId: 6, type: 'LambdaFunctionStarted', timestamp: at(4) },
      {
        id: 8,
        previousEventId: 7,
        type: 'LambdaFunctionSucceeded',
        timestamp: at(5),
        lambdaFunctionSucceededEventDetails: { output: '{}' },
      },
      {
        id: 9,
        previousEventId: 8,
        type: 'TaskStateExited',
        timestamp: at(5),
        stateExitedEventDetails: { name: 'CreateUser', output: CREATED },
      },
    ];

    it('counts the retry and keeps no error: the step SUCCEEDED', () => {
      const [step] = executionView(describe_({}), history).steps;

      expect(step).toMatchObject({ name: 'CreateUser', status: 'SUCCEEDED', attempts: 2, retries: 1 });
      expect(step?.error).toBeUndefined();
      expect(step?.cause).toBeUndefined();
    });

    it("finds the user in CreateUser's state output while the execution still runs", () => {
      expect(executionView(describe_({}), history).userName).toBe('ada.lovelace');
    });
  });

  describe('after a redrive', () => {
    const now = at(50).getTime();
    const view = executionView(describe_({ status: 'RUNNING', redriveCount: 1 }), REDRIVEN, now);

    it('keeps the first run and numbers the visits of the redrive', () => {
      expect(view.steps.map(({ name, status, redrive }) => ({ name, status, redrive }))).toEqual([
        { name: 'CreateUser', status: 'FAILED', redrive: 0 },
        { name: 'CreateUser', status: 'SUCCEEDED', redrive: 1 },
        { name: 'EnsureGroups', status: 'RUNNING', redrive: 1 },
      ]);
    });

    it('blames no step while the execution runs again, and times the running step until now', () => {
      expect(view.failedStep).toBeUndefined();
      expect(view.steps[2]).toMatchObject({ attempts: 1, retries: 0, durationMs: 7000 });
      expect(view.steps[2]?.exitedAt).toBeUndefined();
      expect(view.durationMs).toBe(50_000);
    });

    it('summarises each state of the definition by its last visit, NOT_RUN for the others', () => {
      const states = stateSummaries(['CreateUser', 'EnsureGroups', 'NotifyOps'], view.steps);

      expect(states).toEqual([
        {
          name: 'CreateUser',
          status: 'SUCCEEDED',
          attempts: 1,
          enteredAt: new Date('2026-11-28T09:00:40.000Z'),
          durationMs: 3000,
          error: undefined,
          cause: undefined,
        },
        {
          name: 'EnsureGroups',
          status: 'RUNNING',
          attempts: 1,
          enteredAt: new Date('2026-11-28T09:00:43.000Z'),
          durationMs: 7000,
          error: undefined,
          cause: undefined,
        },
        { name: 'NotifyOps', status: 'NOT_RUN', attempts: 0 },
      ]);
    });
  });

  describe('when the execution is stopped or times out during a Task', () => {
    const running = SUCCEEDED_HISTORY.slice(0, 4);

    it('blames the Task ABORTED by StopExecution, with the stop cause', () => {
      const history: HistoryEvent[] = [
        ...running,
        {
          id: 5,
          previousEventId: 4,
          type: 'ExecutionAborted',
          timestamp: at(9),
          executionAbortedEventDetails: { cause: 'Stopped from the ops console' },
        },
      ];

      const view = executionView(describe_({ status: 'ABORTED', stopDate: at(9) }), history);

      expect(view.failedStep).toMatchObject({
        name: 'CreateUser',
        status: 'ABORTED',
        durationMs: 8000,
        cause: 'Stopped from the ops console',
      });
      expect(view.failedPermanently).toBe(false);
    });

    it('blames the Task TIMED_OUT with States.Timeout', () => {
      const history: HistoryEvent[] = [
        ...running,
        {
          id: 5,
          previousEventId: 4,
          type: 'ExecutionTimedOut',
          timestamp: at(30),
          executionTimedOutEventDetails: { error: 'States.Timeout', cause: 'Execution timed out' },
        },
      ];

      const view = executionView(describe_({ status: 'TIMED_OUT', stopDate: at(30) }), history);

      expect(view.failedStep).toMatchObject({
        name: 'CreateUser',
        status: 'TIMED_OUT',
        error: 'States.Timeout',
        cause: 'Execution timed out',
      });
    });
  });
});

describe('timeline', () => {
  it('attributes each event to its state, numbers the attempts, and leaves execution events unattributed', () => {
    const events = timeline(REDRIVEN);

    expect(events.map(({ id, stateName, attempt }) => [id, stateName, attempt])).toEqual([
      [1, undefined, undefined],
      [2, 'CreateUser', undefined],
      [3, 'CreateUser', 1],
      [4, 'CreateUser', undefined],
      [5, 'CreateUser', undefined],
      [6, 'CreateUser', 2],
      [7, 'CreateUser', undefined],
      [8, 'CreateUser', undefined],
      [9, 'CreateUser', 3],
      [10, 'CreateUser', undefined],
      [11, 'CreateUser', undefined],
      [12, undefined, undefined],
      [13, undefined, undefined],
      [14, 'CreateUser', undefined],
      [15, 'CreateUser', 1],
      [16, 'CreateUser', undefined],
      [17, 'CreateUser', undefined],
      [18, 'CreateUser', undefined],
      [19, 'EnsureGroups', undefined],
      [20, 'EnsureGroups', 1],
    ]);
  });

  it('keeps every text field as recorded, with the time since the first event', () => {
    const events = timeline(RETRIES_EXHAUSTED);

    expect(events[4]).toEqual({
      id: 5,
      type: 'LambdaFunctionFailed',
      timestamp: new Date('2026-11-28T09:00:03.000Z'),
      elapsedMs: 3000,
      stateName: 'CreateUser',
      attempt: undefined,
      resource: undefined,
      input: undefined,
      output: undefined,
      error: 'IamServiceError',
      cause: SERVICE_FAILURE,
    });
    expect(events[2]).toMatchObject({ resource: CREATE_USER, input: INPUT, attempt: 1 });
  });
});

describe('employeeOf', () => {
  it('joins the given and family names and treats empty fields as absent', () => {
    const input = '{"employee":{"id":"E7","givenName":"Grace","familyName":"","department":""}}';

    expect(employeeOf(input)).toEqual({ id: 'E7', name: 'Grace', department: undefined });
  });

  it('is empty for an input that is not an HR event', () => {
    expect(employeeOf('not json')).toEqual({ id: undefined, name: undefined, department: undefined });
    expect(employeeOf(undefined)).toEqual({ id: undefined, name: undefined, department: undefined });
  });
});
