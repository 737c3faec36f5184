import {
  type ExecutionRef,
  executionsOf,
  lifecycleOf,
  personOf,
  touches,
} from '../../local/console/userLifecycle';

const ARN = 'arn:aws:states:us-east-1:000000000000:execution:iam-onboarding-local';

function execution(name: string, overrides: Partial<ExecutionRef> = {}): ExecutionRef {
  return {
    executionArn: `${ARN}:${name}`,
    name,
    status: 'SUCCEEDED',
    startDate: '2026-11-28T09:00:00.000Z',
    employee: { id: 'E1001', name: 'Ada Lovelace', department: 'Engineering' },
    userName: 'ada.lovelace',
    ...overrides,
  };
}

const NOTIFIED = { employeeId: 'E1001', eventId: 'evt-1', 'onboarding:notified': 'evt-1' };
const NOT_NOTIFIED = { employeeId: 'E1001', eventId: 'evt-1' };

describe('lifecycleOf', () => {
  it('is active once NotifyUser tagged the user as notified and the last execution succeeded', () => {
    expect(lifecycleOf({ tags: NOTIFIED, executions: [execution('evt-1')] })).toEqual({
      state: 'active',
      reason: 'onboarded: both emails sent',
    });
  });

  it('is onboarding while the execution runs and the emails are not out', () => {
    const running = execution('evt-1', { status: 'RUNNING', userName: undefined });

    expect(lifecycleOf({ tags: NOT_NOTIFIED, executions: [running] })).toEqual({
      state: 'onboarding',
      reason: 'its onboarding is running; the emails have not been sent yet',
    });
  });

  it('is onboarding when no execution is known and the user was never notified', () => {
    expect(lifecycleOf({ tags: NOT_NOTIFIED, executions: [] })).toEqual({
      state: 'onboarding',
      reason: 'the emails have not been sent yet',
    });
  });

  it.each([
    ['FAILED', 'NotifyUser', 'its last execution failed at NotifyUser'],
    ['TIMED_OUT', 'AttachPolicies', 'its last execution timed out at AttachPolicies'],
    ['ABORTED', undefined, 'its last execution aborted'],
  ])('is failed when the last execution ended %s', (status, failedStep, reason) => {
    const last = execution('evt-2', { status, failedStep });

    expect(lifecycleOf({ tags: NOT_NOTIFIED, executions: [last, execution('evt-1')] })).toEqual({
      state: 'failed',
      reason,
    });
  });

  it('stays active, saying so, when a later event failed on a notified user (its access is unchanged)', () => {
    const refused = execution('evt-2', { status: 'FAILED', failedStep: 'CreateUser', userName: undefined });

    expect(lifecycleOf({ tags: NOTIFIED, executions: [refused, execution('evt-1')] })).toEqual({
      state: 'active',
      reason: 'onboarded: both emails sent; its last execution failed at CreateUser',
    });
  });

  it('is active again when a failed execution was redriven to success (only the newest counts)', () => {
    const older = execution('evt-0', { status: 'FAILED', startDate: '2026-11-27T09:00:00.000Z' });

    expect(lifecycleOf({ tags: NOTIFIED, executions: [execution('evt-1'), older] }).state).toBe('active');
  });
});

describe('touches', () => {
  const user = { userName: 'ada.lovelace', tags: NOT_NOTIFIED };

  it('matches an execution that names the user', () => {
    expect(touches(execution('evt-1'), user)).toBe(true);
  });

  it('does not match an execution that names another user, even for the same employee id', () => {
    expect(touches(execution('evt-1', { userName: 'ada.lovelace2' }), user)).toBe(false);
  });

  it("matches an execution without a user by the employee id tag, as CreateUser wrote it (IAM's tag characters)", () => {
    const refused = execution('evt-2', { userName: undefined, employee: { id: 'E#1001' } });

    expect(touches(refused, { userName: 'ada.lovelace', tags: { employeeId: 'E_1001' } })).toBe(true);
    expect(touches(refused, { userName: 'ada.lovelace', tags: { employeeId: 'E1001' } })).toBe(false);
  });

  it('does not match an execution without a user or employee id', () => {
    expect(touches(execution('evt-3', { userName: undefined, employee: {} }), user)).toBe(false);
  });
});

describe('executionsOf and personOf', () => {
  it('keeps the executions that touched the user, newest first, and names the person from the newest', () => {
    const first = execution('evt-1', { startDate: '2026-11-28T09:00:00.000Z' });
    const other = execution('evt-x', { userName: 'grace.hopper', employee: { id: 'E2002' } });
    const again = execution('evt-2', {
      startDate: '2026-11-29T09:00:00.000Z',
      status: 'FAILED',
      userName: undefined,
      employee: { id: 'E1001', name: 'Ada King' },
    });

    const touching = executionsOf({ userName: 'ada.lovelace', tags: NOT_NOTIFIED }, [first, other, again]);

    expect(touching.map((item) => item.name)).toEqual(['evt-2', 'evt-1']);
    expect(personOf(touching)).toBe('Ada King');
    expect(personOf([])).toBeUndefined();
  });
});
