import { recoveryOf } from '../../cli/executionView/recovery';
import type { Step } from '../../cli/executionView/steps';
import type { ExecutionView } from '../../cli/executionView/view';

// Step Functions' DescribeExecution: redriveStatus REDRIVABLE or NOT_REDRIVABLE with a
// redriveStatusReason; FAILED, TIMED_OUT and ABORTED executions are redrivable for 14 days.

const createUser: Step = {
  name: 'CreateUser',
  type: 'Task',
  status: 'CAUGHT',
  enteredAt: new Date('2026-11-28T09:00:00Z'),
  attempts: 1,
  retries: 0,
  error: 'IamLimitExceededError',
  redrive: 0,
};

const view = (fields: Partial<ExecutionView>): ExecutionView => ({
  name: 'evt-1001',
  executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:onboarding:evt-1001',
  status: 'FAILED',
  employee: {},
  redriveCount: 0,
  redriveStatus: 'REDRIVABLE',
  steps: [],
  failedPermanently: false,
  ...fields,
});

describe('recoveryOf', () => {
  it.each(['RUNNING', 'SUCCEEDED'])('has nothing to say about a %s execution', (status) => {
    expect(recoveryOf(view({ status, redriveStatus: 'NOT_REDRIVABLE' }))).toBeUndefined();
  });

  it.each(['FAILED', 'TIMED_OUT', 'ABORTED'])(
    'calls a %s execution redrivable, naming where it resumes',
    (status) => {
      expect(recoveryOf(view({ status, resumesAt: 'CreateUser' }))).toEqual({
        kind: 'redrivable',
        reason: 'a redrive resumes at CreateUser',
      });
    },
  );

  it('calls one that ended in the Fail state after a Catch permanent', () => {
    const caught = view({ failedPermanently: true, failedStep: createUser, resumesAt: 'OnboardingFailed' });

    expect(recoveryOf(caught)).toEqual({
      kind: 'permanent',
      reason:
        'failed permanently (IamLimitExceededError at CreateUser); a redrive would only run OnboardingFailed again',
    });
  });

  it('calls one Step Functions will not redrive not redrivable, with its reason, before anything else', () => {
    const expired = view({
      redriveStatus: 'NOT_REDRIVABLE',
      redriveStatusReason: 'Execution redrivable period exceeded',
      failedPermanently: true,
    });

    expect(recoveryOf(expired)).toEqual({
      kind: 'not redrivable',
      reason: 'Execution redrivable period exceeded',
    });
  });
});
