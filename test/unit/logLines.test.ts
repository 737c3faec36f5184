import { atLeast, createLogSink, type FunctionLine, levelOf, prettyLogLine } from '../../cli/logLines';

const EXECUTION_ARN =
  'arn:aws:states:us-east-1:000000000000:execution:iam-onboarding-local:evt-2025-0001-50e606e1494254d8';

/** A line as Powertools Logger writes it in a function (captured from createUser on the local stack). */
const USER_CREATED = JSON.stringify({
  level: 'INFO',
  message: 'User created',
  timestamp: '2026-12-02T09:48:32.104Z',
  service: 'iam-onboarding',
  cold_start: false,
  function_arn: 'arn:aws:lambda:us-east-1:000000000000:function:iam-onboarding-local-createUser',
  function_memory_size: '256',
  function_name: 'iam-onboarding-local-createUser',
  function_request_id: '05e06523-ca90-42d6-809e-c614fb390f6c',
  sampling_rate: 0,
  xray_trace_id: 'Root=1-5759e988-bd862e3fe1be46a994272793',
  executionArn: EXECUTION_ARN,
  userName: 'ada.lovelace',
});

/** `logger.error('Task failed', error)`: Powertools formats the error as {name, location, message, stack, cause}. */
const TASK_FAILED = JSON.stringify({
  level: 'ERROR',
  message: 'Task failed',
  timestamp: '2026-12-02T09:50:35.012Z',
  service: 'iam-onboarding',
  sampling_rate: 0,
  executionArn: EXECUTION_ARN,
  eventId: 'evt-2025-0001',
  step: 'CreateUser',
  error: {
    name: 'IamServiceError',
    location: '/var/task/createUser.js:5',
    message: 'CreateUser failed: ServiceFailure',
    stack: 'IamServiceError: CreateUser failed: ServiceFailure\n    at core (/var/task/createUser.js:5:29)',
    cause: { name: 'ServiceFailure', message: 'boom' },
  },
});

describe('prettyLogLine', () => {
  it('shows UTC time, level, function, message and execution name, without Powertools boilerplate', () => {
    expect(prettyLogLine(USER_CREATED, 'createUser')).toBe(
      '09:48:32.104 INFO  createUser       User created  execution=evt-2025-0001-50e606e1494254d8 userName=ada.lovelace',
    );
  });

  it('shows step, error (name and message) and eventId first, whatever their order in the record', () => {
    expect(prettyLogLine(TASK_FAILED, 'notifyOps')).toBe(
      '09:50:35.012 ERROR notifyOps        Task failed  execution=evt-2025-0001-50e606e1494254d8 step=CreateUser ' +
        'error="IamServiceError: CreateUser failed: ServiceFailure" eventId=evt-2025-0001',
    );
  });

  it('converts a timestamp written with an offset (TZ set) to UTC', () => {
    const line = JSON.stringify({ level: 'WARN', message: 'm', timestamp: '2026-12-02T11:48:32.104+02:00' });

    expect(prettyLogLine(line, 'webhook')).toBe('09:48:32.104 WARN  webhook          m');
  });

  it('keeps executionName when it is not the name in executionArn, and an ARN it cannot read as is', () => {
    const line = JSON.stringify({
      level: 'INFO',
      message: 'Hire accepted',
      timestamp: '2026-12-02T09:48:31.651Z',
      executionName: 'evt-other',
      executionArn: 'not-an-arn',
    });

    expect(prettyLogLine(line, 'webhook')).toBe(
      '09:48:31.651 INFO  webhook          Hire accepted  executionName=evt-other executionArn=not-an-arn',
    );
  });

  it('quotes text with spaces, prints numbers, booleans and objects as JSON, and cuts long values', () => {
    const line = JSON.stringify({
      level: 'INFO',
      message: 'Email sent',
      timestamp: '2026-12-02T09:48:33.695Z',
      subject: 'Your AWS console access',
      swept: 2,
      adopted: false,
      kept: ['a', 'b'],
      cause: 'x'.repeat(300),
    });

    const pretty = prettyLogLine(line, 'notifyUser');

    expect(pretty).toBe(
      '09:48:33.695 INFO  notifyUser       Email sent  subject="Your AWS console access" swept=2 adopted=false ' +
        `kept=["a","b"] cause=${'x'.repeat(119)}…`,
    );
  });

  it('passes a line that is not JSON through unchanged, after the function name', () => {
    expect(prettyLogLine('START RequestId: 1 Version: $LATEST', 'createUser')).toBe(
      '                   createUser       START RequestId: 1 Version: $LATEST',
    );
  });

  it.each([
    ['JSON that is not a Powertools record', '{"hello":"world"}'],
    ['a JSON array', '["INFO","m"]'],
    ['broken JSON', '{"level":"INFO",'],
  ])('passes %s through unchanged', (_what, line) => {
    expect(prettyLogLine(line, 'webhook')).toBe(`${' '.repeat(19)}webhook          ${line}`);
  });

  it('colours the level only when asked to', () => {
    expect(prettyLogLine(TASK_FAILED, 'createUser', { color: true })).toContain(' \u001b[31mERROR\u001b[0m ');
    expect(prettyLogLine(TASK_FAILED, 'createUser')).not.toContain('\u001b[');
  });
});

describe('levelOf', () => {
  it.each([
    ['an INFO record', USER_CREATED, 'INFO'],
    ['an ERROR record', TASK_FAILED, 'ERROR'],
    ['a record in lower case', '{"level":"debug","message":"m"}', 'DEBUG'],
    ['a line that is not JSON', 'a console.log line', 'INFO'],
    ['a record of an unknown level', '{"level":"LOUD","message":"m"}', 'INFO'],
  ])('of %s is %s', (_what, line, level) => {
    expect(levelOf(line)).toBe(level);
  });
});

describe('atLeast', () => {
  it.each([
    ['DEBUG', 'info', false],
    ['INFO', 'info', true],
    ['WARN', 'info', true],
    ['INFO', 'warn', false],
    ['CRITICAL', 'error', true],
    ['TRACE', 'debug', false],
  ] as const)('shows %s at --log-level %s: %s', (level, threshold, shown) => {
    expect(atLeast(level, threshold)).toBe(shown);
  });
});

describe('createLogSink', () => {
  const line = (
    functionKey: string,
    text: string,
    stream: FunctionLine['stream'] = 'stdout',
  ): FunctionLine => ({
    functionKey,
    stream,
    line: text,
  });
  const collect = () => {
    const written: Array<[string, string]> = [];
    return { written, write: (stream: string, text: string) => written.push([stream, text]) };
  };

  it('prints pretty lines on the stream the function wrote them to', () => {
    const { written, write } = collect();
    const sink = createLogSink({ format: 'pretty', write });

    sink(line('createUser', USER_CREATED));
    sink(line('notifyOps', TASK_FAILED, 'stderr'));

    expect(written).toEqual([
      ['stdout', prettyLogLine(USER_CREATED, 'createUser')],
      ['stderr', prettyLogLine(TASK_FAILED, 'notifyOps')],
    ]);
  });

  it('prints lines as the functions wrote them with the json format', () => {
    const { written, write } = collect();
    const sink = createLogSink({ format: 'json', write });

    sink(line('createUser', USER_CREATED));
    sink(line('createUser', 'plain text'));

    expect(written).toEqual([
      ['stdout', USER_CREATED],
      ['stdout', 'plain text'],
    ]);
  });

  it('drops the lines below the level, counting a line that is not JSON as INFO', () => {
    const { written, write } = collect();
    const sink = createLogSink({ format: 'json', level: 'warn', write });

    sink(line('createUser', USER_CREATED));
    sink(line('createUser', 'plain text'));
    sink(line('createUser', '{"level":"WARN","message":"w"}'));
    sink(line('notifyOps', TASK_FAILED));

    expect(written.map(([, text]) => text)).toEqual(['{"level":"WARN","message":"w"}', TASK_FAILED]);
  });

  it('drops the lines of functions it was not asked for, whatever their level', () => {
    const { written, write } = collect();
    const sink = createLogSink({ format: 'json', functions: ['notifyOps'], write });

    sink(line('createUser', TASK_FAILED));
    sink(line('notifyOps', 'plain text'));

    expect(written).toEqual([['stdout', 'plain text']]);
  });
});
