import { StopExecutionCommand } from '@aws-sdk/client-sfn';
import { hireEvent, startTestStack, type TestStack } from './support/testStack';

// Retention 0: a termination deletes at once, so its status settles; a future effectiveAt waits.
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({
    functionEnvironment: { POWERTOOLS_LOG_LEVEL: 'WARN', LEAVER_RETENTION_DAYS: '0' },
  });
});

afterAll(async () => {
  await stack.close();
});

type Hire = ReturnType<typeof hireEvent>;

// The local account has no alias: the sign-in URL is by its id (the README's Try it).
const SIGN_IN_URL = 'https://000000000000.signin.aws.amazon.com/console';
const STATUS_FIELDS = [
  'eventId',
  'type',
  'status',
  'executionArn',
  'startedAt',
  'stoppedAt',
  'userName',
  'signInUrl',
];

const suffix = () => Math.random().toString(36).slice(2, 8);
const update = (hire: Hire, occurredAt = '2026-11-29T09:00:00Z') => ({
  eventId: `${hire.eventId}-u${suffix()}`,
  type: 'employee.updated',
  occurredAt,
  employee: { ...hire.employee, department: 'Finance', jobTitle: 'Analyst' },
});
const termination = (hire: Hire, extra: Record<string, string> = {}) => ({
  eventId: `${hire.eventId}:t${suffix()}`,
  type: 'employee.terminated',
  occurredAt: '2026-11-30T09:00:00Z',
  employee: { id: hire.employee.id },
  ...extra,
});

async function post(event: object): Promise<string> {
  const { status, json } = await stack.postEvent(event);
  expect(status).toBe(202);
  return String(json.executionArn);
}

describe('GET /events/{eventId} on the local stack', () => {
  it('follows a hire from running to succeeded with the user name and the sign-in URL of the welcome email', async () => {
    const hire = hireEvent();
    const executionArn = await post(hire);

    const first = await stack.getStatus(hire.eventId);

    expect(first.status).toBe(200);
    expect(['running', 'succeeded']).toContain(first.json.status);
    const done = await stack.settleStatus(hire.eventId);
    expect(done).toEqual({
      eventId: hire.eventId,
      type: 'employee.hired',
      status: 'succeeded',
      executionArn,
      startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      stoppedAt: expect.stringMatching(/Z$/),
      userName: `ada.${hire.employee.familyName.toLowerCase()}`,
      signInUrl: SIGN_IN_URL,
    });
    const [welcome] = await stack.emailsTo(hire.employee.workEmail);
    expect(welcome?.body.text).toContain(SIGN_IN_URL);
    expect(welcome?.body.text).toContain(String(done.userName));
    expect(JSON.stringify(done)).not.toContain(hire.employee.workEmail);
    expect(Object.keys(done).every((key) => STATUS_FIELDS.includes(key))).toBe(true);
  });

  it('answers an update and a termination of that employee with the user they changed, a stale update as ignored', async () => {
    const hire = hireEvent();
    await post(hire);
    const { userName } = await stack.settleStatus(hire.eventId);
    const moved = update(hire);
    const late = update(hire, '2026-11-28T10:00:00Z');
    await post(moved);
    expect(await stack.settleStatus(moved.eventId)).toMatchObject({
      type: 'employee.updated',
      status: 'succeeded',
      userName,
      signInUrl: SIGN_IN_URL,
    });
    await post(late);
    const ignored = await stack.settleStatus(late.eventId);
    expect(ignored).toMatchObject({ type: 'employee.updated', status: 'ignored' });
    expect(ignored).not.toHaveProperty('userName');

    const left = termination(hire);
    await post(left);

    const offboarded = await stack.settleStatus(left.eventId);
    expect(offboarded).toMatchObject({
      eventId: left.eventId,
      type: 'employee.terminated',
      status: 'succeeded',
      userName,
    });
    expect(offboarded).not.toHaveProperty('signInUrl');
  });

  it('answers a leaver waiting for its effectiveAt as waiting, then stopped once ops stop it', async () => {
    const hire = hireEvent();
    await post(hire);
    await stack.settleStatus(hire.eventId);
    const left = termination(hire, { effectiveAt: '2099-01-01T00:00:00Z' });
    const executionArn = await post(left);

    const waiting = await stack.settleStatus(left.eventId);
    await stack.sfn.send(
      new StopExecutionCommand({ executionArn, error: 'HrWithdrewTermination', cause: 'by hand' }),
    );

    expect(waiting).toMatchObject({ type: 'employee.terminated', status: 'waiting' });
    expect((await stack.getStatus(left.eventId)).json).toMatchObject({
      status: 'stopped',
      error: 'HrWithdrewTermination',
    });
  });

  it('answers 404 for an eventId no workflow has seen', async () => {
    const { status, json } = await stack.getStatus(`evt-never-${suffix()}`);

    expect({ status, json }).toEqual({ status: 404, json: { message: 'No HR event with this eventId' } });
  });

  it('answers 401 to a signature made for another eventId, and 400 to an eventId outside the schema', async () => {
    const hire = hireEvent();
    await post(hire);

    const replayed = await stack.getStatus(hire.eventId, { signedPath: '/events/evt-other' });
    const bad = await stack.getStatus('evt/1');

    expect(replayed).toEqual({ status: 401, json: { message: 'Invalid Onboarding-Signature' } });
    expect(bad.status).toBe(400);
    expect(bad.json.errors).toEqual([
      { field: 'eventId', message: expect.stringMatching(/^must match pattern/) },
    ]);
  });
});
