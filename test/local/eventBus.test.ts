import { resolve } from 'node:path';
import { LocalEventBus } from '../../local/eventBridge/eventBus';
import { matchesPattern } from '../../local/eventBridge/eventPatterns';
import { rateIntervalMs } from '../../local/eventBridge/scheduleExpressions';
import { loadServiceConfig } from '../../local/serverlessConfig';
import type { ExecutionRecord } from '../../local/stepFunctions/model';
import { executionStatusChangeEvent } from '../../local/stepFunctions/statusChangeEvents';

const config = loadServiceConfig(resolve(__dirname, '../..'), { stage: 'local', region: 'us-east-1' });
const fn = (key: string) => config.functions.find((candidate) => candidate.key === key);
const where = { accountId: '000000000000', region: 'us-east-1' };
const stateMachineArn = 'arn:aws:states:us-east-1:000000000000:stateMachine:iam-onboarding-local';

const record = (overrides: Partial<ExecutionRecord> = {}): ExecutionRecord => ({
  executionArn: 'arn:aws:states:us-east-1:000000000000:execution:iam-onboarding-local:evt-1',
  stateMachineArn,
  name: 'evt-1',
  status: 'ABORTED',
  input: '{"eventId":"evt-1"}',
  definition: '{}',
  roleArn: 'arn:aws:iam::000000000000:role/sm',
  startDate: 1551225014968,
  stopDate: 1551225017576,
  redriveCount: 0,
  ...overrides,
});

describe('the Step Functions Execution Status Change event', () => {
  it('has the shape of the Developer Guide\'s "Execution Aborted" example', () => {
    const event = executionStatusChangeEvent(record(), where, Date.parse('2019-02-26T19:42:21.123Z'));

    expect(event).toEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      account: '000000000000',
      time: '2019-02-26T19:42:21Z',
      region: 'us-east-1',
      resources: ['arn:aws:states:us-east-1:000000000000:execution:iam-onboarding-local:evt-1'],
      detail: expect.objectContaining({
        executionArn: 'arn:aws:states:us-east-1:000000000000:execution:iam-onboarding-local:evt-1',
        stateMachineArn,
        name: 'evt-1',
        status: 'ABORTED',
        startDate: 1551225014968,
        stopDate: 1551225017576,
        input: '{"eventId":"evt-1"}',
        inputDetails: { included: true },
        output: null,
      }),
    });
  });

  it('leaves the input out past 248 KB of escaped input and output', () => {
    const big = JSON.stringify({ blob: 'x'.repeat(248 * 1024) });

    const { detail } = executionStatusChangeEvent(record({ input: big }), where);

    expect(detail).toMatchObject({ input: null, inputDetails: { included: false } });
  });
});

describe('event patterns', () => {
  const pattern = fn('revokeAbandonedPassword')?.eventPatterns?.[0];
  const resolved = JSON.parse(
    JSON.stringify(pattern).replace('{"Ref":"OnboardingStateMachine"}', JSON.stringify(stateMachineArn)),
  );

  it.each([
    ['ABORTED', true],
    ['TIMED_OUT', true],
    ['FAILED', false],
    ['SUCCEEDED', false],
    ['RUNNING', false],
  ])("serverless.yml's rule for revokeAbandonedPassword matches %s: %s", (status, matches) => {
    const event = executionStatusChangeEvent(record({ status: status as ExecutionRecord['status'] }), where);
    expect(matchesPattern(resolved, event)).toBe(matches);
  });

  it("does not match another state machine's executions", () => {
    const event = executionStatusChangeEvent(record({ stateMachineArn: `${stateMachineArn}-other` }), where);
    expect(matchesPattern(resolved, event)).toBe(false);
  });

  it('supports prefix, anything-but and exists, and matches arrays in the event by any element', () => {
    expect(matchesPattern({ source: [{ prefix: 'aws.' }] }, { source: 'aws.states' })).toBe(true);
    expect(matchesPattern({ a: [{ 'anything-but': ['x'] }] }, { a: 'x' })).toBe(false);
    expect(matchesPattern({ a: [{ exists: false }] }, {})).toBe(true);
    expect(matchesPattern({ resources: ['r2'] }, { resources: ['r1', 'r2'] })).toBe(true);
  });
});

describe('schedule expressions', () => {
  it.each([
    ['rate(1 hour)', 3_600_000],
    ['rate(5 minutes)', 300_000],
    ['rate(2 days)', 172_800_000],
  ])('%s runs every %i ms', (expression, ms) => {
    expect(rateIntervalMs(expression)).toBe(ms);
  });

  it.each(['rate(1 hours)', 'rate(2 hour)', 'rate(0 minutes)', 'cron(0 * * * ? *)'])(
    'rejects %s',
    (expression) => {
      expect(() => rateIntervalMs(expression)).toThrow(/not supported locally/);
    },
  );
});

describe('the local event bus', () => {
  afterEach(() => jest.useRealTimers());

  it("runs the sweep on serverless.yml's schedule, with a Scheduled Event", async () => {
    jest.useFakeTimers({ now: Date.parse('2026-12-01T12:00:00Z') });
    const invoked: Array<{ key: string; event: unknown }> = [];
    const bus = new LocalEventBus({ ...where, invoke: async (key, event) => invoked.push({ key, event }) });
    for (const expression of fn('sweepTemporaryPasswords')?.schedules ?? []) {
      bus.addSchedule({ functionKey: 'sweepTemporaryPasswords', expression });
    }

    jest.advanceTimersByTime(3_600_000 - 1);
    expect(invoked).toEqual([]);
    jest.advanceTimersByTime(1);
    await bus.whenIdle();
    bus.stop();

    expect(invoked).toEqual([
      {
        key: 'sweepTemporaryPasswords',
        event: expect.objectContaining({
          'detail-type': 'Scheduled Event',
          source: 'aws.events',
          time: '2026-12-01T13:00:00Z',
          detail: {},
        }),
      },
    ]);
  });

  it('runs no timer at scale 0, only when asked', async () => {
    jest.useFakeTimers();
    const invoke = jest.fn(async () => 'done');
    const bus = new LocalEventBus({ ...where, invoke });
    bus.addSchedule({ functionKey: 'sweep', expression: 'rate(1 minute)' }, 0);

    jest.advanceTimersByTime(10 * 60_000);
    expect(invoke).not.toHaveBeenCalled();
    await expect(bus.runSchedule('sweep')).resolves.toBe('done');
  });

  it('delivers an event only to the rules it matches', async () => {
    const invoke = jest.fn(async (_key: string, _event: unknown) => undefined);
    const bus = new LocalEventBus({ ...where, invoke });
    bus.addRule({ functionKey: 'onAborted', pattern: { detail: { status: ['ABORTED'] } } });
    bus.addRule({ functionKey: 'onFailed', pattern: { detail: { status: ['FAILED'] } } });

    bus.put(executionStatusChangeEvent(record(), where));
    await bus.whenIdle();

    expect(invoke.mock.calls.map(([key]) => key)).toEqual(['onAborted']);
  });
});
