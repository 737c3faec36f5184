import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { IAMServiceException, ListAccountAliasesCommand } from '@aws-sdk/client-iam';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  SFNServiceException,
} from '@aws-sdk/client-sfn';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { parse as parseYaml } from 'yaml';
import { handler } from '../../functions/eventStatus';
import { executionName } from '../../functions/shared/executionName';
import { EVENT_STATUSES } from '../../functions/shared/executionStatus';
import { iam } from '../../functions/shared/iamClient';
import { secretsManager } from '../../functions/shared/secretsManagerClient';
import { sfn } from '../../functions/shared/sfnClient';
import { requestSignatureHeader } from '../../functions/shared/signature';
import engineeringHire from '../fixtures/events/engineering-hire.json';
import {
  EXECUTION_ARN_PREFIX,
  LEAVER_EXECUTION_ARN_PREFIX,
  lambdaContext,
  MOVER_EXECUTION_ARN_PREFIX,
  statusRequest,
  WEBHOOK_ENV,
} from '../support/webhookRequest';

const SECRET = 'whsec_current_0123456789abcdef';
const PREVIOUS = 'whsec_previous_0123456789abcdef';
const NOW = 1_750_000_000;
const EVENT_ID = 'evt-2025-0001';
const PATH = `/events/${EVENT_ID}`;
const NAME = executionName(EVENT_ID);
const STARTED = new Date('2025-06-15T15:00:00Z');
const STOPPED = new Date('2025-06-15T15:00:03Z');

const OPENAPI_PATH = join(__dirname, '../../contracts/openapi.yml');

const sfnMock = mockClient(sfn);
const secretsMock = mockClient(secretsManager);
const iamMock = mockClient(iam);
const originalEnv = process.env;
let logs: string[] = [];
// The sign-in URL is cached per account: each test that reads it gets an account of its own.
let accountCounter = 100_000_000_000;

const PREFIXES = {
  'employee.hired': EXECUTION_ARN_PREFIX,
  'employee.updated': MOVER_EXECUTION_ARN_PREFIX,
  'employee.terminated': LEAVER_EXECUTION_ARN_PREFIX,
} as const;
type Type = keyof typeof PREFIXES;

/** The execution state each workflow's Succeed state leaves as output (statemachines/*.asl.yml). */
const OUTPUTS = {
  'employee.hired': {
    ...engineeringHire,
    user: {
      userName: 'ada.lovelace',
      userArn: 'arn:aws:iam::123456789012:user/onboarded/ada.lovelace',
      adopted: false,
    },
    groups: { groups: ['Developers'] },
    password: { secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:tmp' },
    notification: { welcomeSentTo: 'a***@example.com', passwordSentTo: 'g***@example.com' },
  },
  'employee.updated': {
    ...engineeringHire,
    type: 'employee.updated',
    user: { userName: 'ada.lovelace', userArn: 'arn:x', stale: false, lastEventAt: null, lastEventId: null },
  },
  'employee.terminated': {
    eventId: EVENT_ID,
    type: 'employee.terminated',
    employee: { id: 'E1001' },
    user: { userName: 'ada.lovelace', userArn: 'arn:x', stale: false, lastEventAt: null, lastEventId: null },
    deletion: { deleted: true },
  },
} as const;

/** Step Functions holds this execution of `type`'s workflow for EVENT_ID, and none in the others. */
function holds(type: Type, execution: Partial<DescribeExecutionCommandOutput>) {
  sfnMock.on(DescribeExecutionCommand).callsFake(({ executionArn }: { executionArn: string }) => {
    if (executionArn !== `${PREFIXES[type]}${NAME}`)
      throw new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: {} });
    return {
      executionArn,
      stateMachineArn: executionArn.replace(':execution:', ':stateMachine:').replace(`:${NAME}`, ''),
      name: NAME,
      input: JSON.stringify(OUTPUTS['employee.hired']),
      startDate: STARTED,
      ...execution,
    };
  });
}

async function get(
  path = PATH,
  options: { header?: string; query?: string; body?: string; method?: string } = {},
) {
  const header =
    'header' in options ? options.header : requestSignatureHeader(options.method ?? 'GET', path, SECRET, NOW);
  const response: APIGatewayProxyStructuredResultV2 = await handler(
    statusRequest(
      path,
      { 'onboarding-signature': header },
      { rawQueryString: options.query, body: options.body, method: options.method },
    ),
    lambdaContext,
  );
  return {
    status: response.statusCode,
    headers: response.headers ?? {},
    text: response.body ?? '',
    body: JSON.parse(response.body ?? '') as Record<string, unknown>,
  };
}

const throttled = () =>
  new SFNServiceException({
    name: 'ThrottlingException',
    $fault: 'client',
    $metadata: {},
    message: 'Rate exceeded',
  });

beforeEach(() => {
  sfnMock.reset();
  secretsMock.reset();
  iamMock.reset();
  accountCounter += 1;
  process.env = { ...originalEnv, ...WEBHOOK_ENV, ACCOUNT_ID: String(accountCounter) };
  jest.spyOn(Date, 'now').mockReturnValue(NOW * 1000);
  logs = [];
  for (const stream of [process.stdout, process.stderr])
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logs.push(String(chunk));
      return true;
    });
  secretsMock
    .on(GetSecretValueCommand)
    .resolves({ SecretString: JSON.stringify({ current: SECRET, previous: PREVIOUS }) });
  iamMock.on(ListAccountAliasesCommand).resolves({ AccountAliases: ['corp-main'] });
  sfnMock.on(GetExecutionHistoryCommand).resolves({ events: [] });
});

afterEach(() => {
  jest.restoreAllMocks();
  process.env = originalEnv;
});

describe('eventStatus', () => {
  describe('when the signature is wrong', () => {
    beforeEach(() =>
      holds('employee.hired', { status: 'SUCCEEDED', output: JSON.stringify(OUTPUTS['employee.hired']) }),
    );

    it.each([
      ['missing', undefined, 'Missing Onboarding-Signature header'],
      [
        'made for another eventId',
        requestSignatureHeader('GET', '/events/evt-2025-0002', SECRET, NOW),
        'Invalid Onboarding-Signature',
      ],
      [
        'made for another method',
        requestSignatureHeader('POST', PATH, SECRET, NOW),
        'Invalid Onboarding-Signature',
      ],
      [
        'made with a retired secret',
        requestSignatureHeader('GET', PATH, 'whsec_retired', NOW),
        'Invalid Onboarding-Signature',
      ],
      ['301 s old', requestSignatureHeader('GET', PATH, SECRET, NOW - 301), /^Expired Onboarding-Signature/],
    ])('answers 401 when it is %s, asking Step Functions nothing', async (_label, header, message) => {
      const response = await get(PATH, { header });

      expect(response.status).toBe(401);
      expect(response.body).toEqual({
        message: typeof message === 'string' ? message : expect.stringMatching(message),
      });
      expect(sfnMock.calls()).toHaveLength(0);
    });

    it('accepts a signature made with the previous secret while secrets rotate', async () => {
      const response = await get(PATH, { header: requestSignatureHeader('GET', PATH, PREVIOUS, NOW) });

      expect(response.status).toBe(200);
    });
  });

  describe('when the request is not one the route takes', () => {
    it.each([
      ['an eventId outside the pattern', '/events/evt 1', 'eventId', /^must match pattern "/],
      ['an eventId with a decoded slash', '/events/evt/1', 'eventId', /^must match pattern "/],
      ['an eventId starting with a dot', '/events/.evt', 'eventId', /^must match pattern "/],
      [
        'an eventId of 129 characters',
        `/events/${'e'.repeat(129)}`,
        'eventId',
        'must NOT have more than 128 characters',
      ],
      ['an empty eventId', '/events/', 'eventId', 'must NOT have fewer than 1 characters'],
    ])('answers 400 for %s, asking Step Functions nothing', async (_label, path, field, message) => {
      const response = await get(path);

      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        message: 'Invalid request',
        errors: [{ field, message: typeof message === 'string' ? message : expect.stringMatching(message) }],
      });
      expect(sfnMock.calls()).toHaveLength(0);
    });

    it('answers 400 for a query string, which the signature does not cover', async () => {
      const response = await get(PATH, { query: 'include=input' });

      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        { field: 'query', message: 'must be empty: this route takes no query string' },
      ]);
    });

    it('answers 400 for a body on GET', async () => {
      const response = await get(PATH, { body: '{}' });

      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([{ field: 'body', message: 'must be empty on GET' }]);
    });

    it('accepts an eventId of exactly 128 characters', async () => {
      holds('employee.hired', { status: 'RUNNING' });
      sfnMock
        .on(DescribeExecutionCommand)
        .rejects(new ExecutionDoesNotExist({ message: 'no', $metadata: {} }));

      expect((await get(`/events/${'e'.repeat(128)}`)).status).toBe(404);
    });
  });

  describe('when no workflow ran the event', () => {
    it('answers 404 after asking each of the three state machines for the execution named after the eventId', async () => {
      sfnMock
        .on(DescribeExecutionCommand)
        .rejects(new ExecutionDoesNotExist({ message: 'no', $metadata: {} }));

      const response = await get();

      expect(response.status).toBe(404);
      expect(response.body).toEqual({ message: 'No HR event with this eventId' });
      const asked = sfnMock
        .commandCalls(DescribeExecutionCommand)
        .map((call) => call.args[0].input.executionArn);
      expect(asked.sort()).toEqual(
        Object.values(PREFIXES)
          .map((prefix) => `${prefix}${NAME}`)
          .sort(),
      );
    });
  });

  describe.each(Object.keys(PREFIXES) as Type[])('when the %s workflow ran it', (type) => {
    const signsIn = type !== 'employee.terminated';

    it.each([
      ['RUNNING', 'running'],
      ['PENDING_REDRIVE', 'running'],
    ] as const)('maps %s to %s, without a user yet', async (sfnStatus, status) => {
      holds(type, { status: sfnStatus });

      const response = await get();

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        eventId: EVENT_ID,
        type,
        status,
        executionArn: `${PREFIXES[type]}${NAME}`,
        startedAt: '2025-06-15T15:00:00.000Z',
      });
    });

    it(`maps SUCCEEDED to succeeded with the user name${signsIn ? ' and the sign-in URL' : ', without a sign-in URL (the user is deleted)'}`, async () => {
      holds(type, { status: 'SUCCEEDED', stopDate: STOPPED, output: JSON.stringify(OUTPUTS[type]) });

      const response = await get();

      expect(response.body).toEqual({
        eventId: EVENT_ID,
        type,
        status: 'succeeded',
        executionArn: `${PREFIXES[type]}${NAME}`,
        startedAt: '2025-06-15T15:00:00.000Z',
        stoppedAt: '2025-06-15T15:00:03.000Z',
        userName: 'ada.lovelace',
        ...(signsIn && { signInUrl: 'https://corp-main.signin.aws.amazon.com/console' }),
      });
    });

    it.each([
      ['FAILED', 'UserNameConflictError', 'failed', 'UserNameConflictError'],
      ['TIMED_OUT', undefined, 'failed', 'States.Timeout'],
      ['ABORTED', 'EmployeeTerminated', 'stopped', 'EmployeeTerminated'],
    ] as const)(
      'maps %s (error %s) to %s with the error name %s only',
      async (sfnStatus, error, status, name) => {
        holds(type, {
          status: sfnStatus,
          stopDate: STOPPED,
          ...(error && { error }),
          cause: 'Ada Lovelace <ada@example.com>: the user name ada.lovelace is taken',
        });

        const response = await get();

        expect(response.body).toEqual({
          eventId: EVENT_ID,
          type,
          status,
          executionArn: `${PREFIXES[type]}${NAME}`,
          startedAt: '2025-06-15T15:00:00.000Z',
          stoppedAt: '2025-06-15T15:00:03.000Z',
          error: name,
        });
      },
    );
  });

  describe('when a mover or leaver met a stale event', () => {
    it.each(['employee.updated', 'employee.terminated'] as const)(
      'maps the %s SUCCEEDED as stale to ignored, without a user',
      async (type) => {
        const output = { ...OUTPUTS[type], user: { ...OUTPUTS[type].user, stale: true } };
        holds(type, { status: 'SUCCEEDED', stopDate: STOPPED, output: JSON.stringify(output) });

        const response = await get();

        expect(response.body).toMatchObject({ status: 'ignored', type });
        expect(response.body).not.toHaveProperty('userName');
        expect(response.body).not.toHaveProperty('signInUrl');
      },
    );
  });

  describe('when a leaver is running', () => {
    it.each([
      ['WaitStateEntered', 'waiting'],
      ['TaskStateEntered', 'running'],
      ['WaitStateExited', 'running'],
    ] as const)(
      'answers the latest history event %s as %s, reading one event without its data',
      async (eventType, status) => {
        holds('employee.terminated', { status: 'RUNNING' });
        sfnMock
          .on(GetExecutionHistoryCommand)
          .resolves({ events: [{ id: 7, timestamp: STARTED, type: eventType }] });

        const response = await get();

        expect(response.body.status).toBe(status);
        const [call] = sfnMock.commandCalls(GetExecutionHistoryCommand);
        expect(call?.args[0].input).toEqual({
          executionArn: `${LEAVER_EXECUTION_ARN_PREFIX}${NAME}`,
          reverseOrder: true,
          maxResults: 1,
          includeExecutionData: false,
        });
      },
    );

    it('never reads the history of a hire or a move', async () => {
      holds('employee.hired', { status: 'RUNNING' });

      await get();

      expect(sfnMock.commandCalls(GetExecutionHistoryCommand)).toHaveLength(0);
    });
  });

  describe('when the account has no alias', () => {
    it('gives the sign-in URL by the account id, as the welcome email does', async () => {
      iamMock.on(ListAccountAliasesCommand).resolves({ AccountAliases: [] });
      holds('employee.hired', { status: 'SUCCEEDED', output: JSON.stringify(OUTPUTS['employee.hired']) });

      const response = await get();

      expect(response.body.signInUrl).toBe(`https://${accountCounter}.signin.aws.amazon.com/console`);
    });
  });

  describe('what it answers', () => {
    it('never includes the execution input, the output beyond the user name, or a cause', async () => {
      holds('employee.hired', { status: 'SUCCEEDED', output: JSON.stringify(OUTPUTS['employee.hired']) });

      const { text } = await get();

      for (const personal of [
        engineeringHire.employee.workEmail,
        engineeringHire.employee.givenName,
        engineeringHire.employee.familyName,
        engineeringHire.employee.id,
        'a***@example.com',
        'secretsmanager',
        'Developers',
      ])
        expect(text).not.toContain(personal);
      expect(logs.join('')).not.toContain(engineeringHire.employee.workEmail);
    });

    it('repeats no error name that is not one (a Fail state may hold any text)', async () => {
      holds('employee.hired', { status: 'FAILED', error: 'Ada Lovelace <ada@example.com> failed' });

      const response = await get();

      expect(response.body).toMatchObject({ status: 'failed' });
      expect(response.body).not.toHaveProperty('error');
    });
  });

  describe('when AWS is busy', () => {
    it('answers 503 with Retry-After when Step Functions throttles', async () => {
      sfnMock.on(DescribeExecutionCommand).rejects(throttled());

      const response = await get();

      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.body).toEqual({ message: 'Service busy, retry later' });
    });

    it('answers 503 when IAM throttles the account alias', async () => {
      holds('employee.hired', { status: 'SUCCEEDED', output: JSON.stringify(OUTPUTS['employee.hired']) });
      iamMock.on(ListAccountAliasesCommand).rejects(
        new IAMServiceException({
          name: 'Throttling',
          $fault: 'client',
          $metadata: {},
          message: 'Rate exceeded',
        }),
      );

      expect((await get()).status).toBe(503);
    });

    it('answers a bare 500 for anything unexpected', async () => {
      sfnMock.on(DescribeExecutionCommand).rejects(new Error('boom: internals'));

      const response = await get();

      expect(response.status).toBe(500);
      expect(response.body).toEqual({ message: 'Internal error' });
    });
  });
});

describe('eventStatus, in its published contract (contracts/openapi.yml)', () => {
  type Operation = {
    responses: Record<
      string,
      {
        content: {
          'application/json': {
            examples?: Record<string, { value: unknown }>;
            example?: unknown;
            schema: { $ref: string };
          };
        };
      }
    >;
  };
  const contract = parseYaml(readFileSync(OPENAPI_PATH, 'utf8')) as {
    paths: Record<string, { get: Operation }>;
    components: {
      schemas: Record<string, object>;
      securitySchemes: { onboardingSignature: { description: string } };
    };
  };
  const operation = contract.paths['/events/{eventId}']?.get;
  const scheme = contract.components.securitySchemes.onboardingSignature;
  const ajv = addFormats(new Ajv({ strict: false }));
  for (const [name, schema] of Object.entries(contract.components.schemas))
    ajv.addSchema(schema, `#/components/schemas/${name}`);

  it('is valid OpenAPI 3.1 and documents every status the function answers', async () => {
    await expect(SwaggerParser.validate(OPENAPI_PATH)).resolves.toMatchObject({ openapi: '3.1.0' });
    expect(Object.keys(operation?.responses ?? {}).sort()).toEqual([
      '200',
      '400',
      '401',
      '404',
      '500',
      '503',
    ]);
  });

  it('gives a worked GET signature example that openssl and requestSignatureHeader both reproduce', () => {
    // printf '%s' 1741000000.GET./events/evt-2025-0001 | openssl dgst -sha256 -hmac whsec_example_do_not_use
    const header = 't=1741000000,v1=ca0c0430b64cc9451737a195c374260b5057dd66ec89333382d5c5ea7e28c782';

    expect(scheme.description).toContain('`1741000000.GET./events/evt-2025-0001`');
    expect(scheme.description).toContain(`Onboarding-Signature: ${header}`);
    expect(
      requestSignatureHeader('GET', '/events/evt-2025-0001', 'whsec_example_do_not_use', 1_741_000_000),
    ).toBe(header);
  });

  it('shows examples that its schemas accept, in the status vocabulary, with real execution names', () => {
    let counted = 0;
    for (const response of Object.values(operation?.responses ?? {})) {
      const json = response.content['application/json'];
      const values = json.examples
        ? Object.values(json.examples).map((example) => example.value)
        : [json.example];
      const validate = ajv.getSchema(json.schema.$ref);
      for (const value of values) {
        expect(validate?.(value)).toBe(true);
        counted += 1;
      }
    }
    const statuses = Object.values(
      operation?.responses['200']?.content['application/json'].examples ?? {},
    ).map(({ value }) => value as { eventId: string; status: string; executionArn: string });

    expect(counted).toBe(12);
    for (const { eventId, status, executionArn } of statuses) {
      expect(EVENT_STATUSES).toContain(status);
      expect(executionArn.endsWith(`:${executionName(eventId)}`)).toBe(true);
    }
  });
});
