import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { GetSecretValueCommand, SecretsManagerServiceException } from '@aws-sdk/client-secrets-manager';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandInput,
  type DescribeExecutionCommandOutput,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  SFNServiceException,
  StartExecutionCommand,
  type StartExecutionCommandInput,
  StateMachineDoesNotExist,
} from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { parse as parseYaml } from 'yaml';
import { secretsManager } from '../../functions/shared/secretsManagerClient';
import { sfn } from '../../functions/shared/sfnClient';
import { signatureHeader } from '../../functions/shared/signature';
import { handler } from '../../functions/webhook';
import accentedHire from '../fixtures/events/accented-name-hire.json';
import engineeringHire from '../fixtures/events/engineering-hire.json';
import financeHire from '../fixtures/events/finance-hire.json';
import sreHire from '../fixtures/events/sre-hire.json';
import engineeringTermination from '../fixtures/lifecycle/engineering-termination.json';
import engineeringUpdate from '../fixtures/lifecycle/engineering-update.json';
import {
  apiGatewayRequest,
  EXECUTION_ARN_PREFIX,
  LEAVER_EXECUTION_ARN_PREFIX,
  lambdaContext,
  WEBHOOK_ENV,
} from '../support/webhookRequest';

const { STATE_MACHINE_ARN, WEBHOOK_SECRET_ARN: SECRET_ARN } = WEBHOOK_ENV;
const SECRET = 'whsec_current_0123456789abcdef';
const NOW = 1_750_000_000; // seconds
const BODY = JSON.stringify(engineeringHire);

const OPENAPI_PATH = join(__dirname, '../../contracts/openapi.yml');

/** The parts of contracts/openapi.yml the tests read. */
type Contract = {
  paths: {
    '/hires': {
      post: {
        requestBody: {
          content: {
            'application/json': { schema: { $ref: string }; examples: Record<string, { value: unknown }> };
          };
        };
        responses: Record<string, unknown>;
      };
    };
  };
  components: { securitySchemes: { onboardingSignature: { in: string; name: string; description: string } } };
};

const sfnMock = mockClient(sfn);
const secretsMock = mockClient(secretsManager);
const originalEnv = process.env;
let logs: string[] = [];

type Options = {
  headers?: Record<string, string | undefined>;
  base64?: boolean;
  secret?: string;
  t?: number;
};

/** A POST /hires as API Gateway (HTTP API, payload 2.0) delivers it, signed unless headers say otherwise. */
function hireRequest(body: string | Buffer, options: Options = {}): APIGatewayProxyEventV2 {
  const signature = signatureHeader(Buffer.from(body), options.secret ?? SECRET, options.t ?? NOW);
  const headers = {
    'content-type': 'application/json',
    'onboarding-signature': signature,
    ...options.headers,
  };
  return apiGatewayRequest(body, headers, options.base64);
}

/** The same, posted to POST /events. */
function eventsRequest(body: string): APIGatewayProxyEventV2 {
  const headers = {
    'content-type': 'application/json',
    'onboarding-signature': signatureHeader(Buffer.from(body), SECRET, NOW),
  };
  return apiGatewayRequest(body, headers, false, '/events');
}

async function post(request: APIGatewayProxyEventV2) {
  const response: APIGatewayProxyStructuredResultV2 = await handler(request, lambdaContext);
  return { status: response.statusCode, headers: response.headers, body: JSON.parse(response.body ?? '') };
}

const doesNotExist = () => new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: {} });

/** DescribeExecution answers `output` for executions whose ARN starts with `prefix`; the rest do not exist. */
function describes(prefix: string, output: Partial<DescribeExecutionCommandOutput>): void {
  sfnMock.on(DescribeExecutionCommand).callsFake(({ executionArn }: DescribeExecutionCommandInput) => {
    if (!executionArn?.startsWith(prefix)) throw doesNotExist();
    return { executionArn, ...output };
  });
}

const startCalls = () => sfnMock.commandCalls(StartExecutionCommand);
const startedInput = (): unknown => JSON.parse(startCalls()[0]?.args[0].input.input ?? '');
const withEmployee = (changes: Record<string, unknown>) => ({
  ...engineeringHire,
  employee: { ...engineeringHire.employee, ...changes },
});

beforeEach(() => {
  sfnMock.reset();
  secretsMock.reset();
  process.env = { ...originalEnv, ...WEBHOOK_ENV };
  jest.spyOn(Date, 'now').mockReturnValue(NOW * 1000);
  logs = [];
  for (const stream of [process.stdout, process.stderr])
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logs.push(String(chunk));
      return true;
    });
  secretsMock.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ current: SECRET }) });
  sfnMock.on(StartExecutionCommand).callsFake(({ stateMachineArn, name }: StartExecutionCommandInput) => ({
    executionArn: `${String(stateMachineArn).replace(':stateMachine:', ':execution:')}:${name}`,
    startDate: new Date(NOW * 1000),
  }));
  sfnMock.on(DescribeExecutionCommand).rejects(doesNotExist());
});

afterEach(() => {
  jest.restoreAllMocks();
  process.env = originalEnv;
});

describe('webhook', () => {
  describe('when a valid hire arrives', () => {
    it.each([
      ['an engineering hire', engineeringHire],
      ['an SRE hire', sreHire],
      ['a finance hire', financeHire],
      ['a hire with accents and an apostrophe', accentedHire],
    ])('starts one onboarding for %s and answers 202 started', async (_label, event) => {
      const response = await post(hireRequest(JSON.stringify(event)));

      expect(response.status).toBe(202);
      expect(response.body).toEqual({
        executionArn: expect.stringMatching(/^arn:aws:states:eu-west-1:123456789012:execution:onboarding:/),
        status: 'started',
      });
      expect(startCalls()).toHaveLength(1);
      expect(startCalls()[0]?.args[0].input).toMatchObject({
        stateMachineArn: STATE_MACHINE_ARN,
        name: expect.stringMatching(new RegExp(`^${event.eventId}-[0-9a-f]{32}$`)),
      });
      expect(startedInput()).toEqual(event);
    });

    it('starts the same execution input for a byte-different but equal body', async () => {
      const { employee, ...rest } = engineeringHire;
      const reordered = JSON.stringify({ employee: { ...employee }, ...rest }, null, 2);

      await post(hireRequest(BODY));
      await post(hireRequest(reordered));

      const [first, second] = startCalls().map((call) => call.args[0].input);
      expect(second?.input).toBe(first?.input);
      expect(second?.name).toBe(first?.name);
    });

    it('verifies and reads a base64-encoded body', async () => {
      const response = await post(hireRequest(JSON.stringify(accentedHire), { base64: true }));

      expect(response.status).toBe(202);
      expect(startedInput()).toEqual(accentedHire);
    });

    it.each(['application/json; charset=utf-8', 'application/json;charset=UTF-8', 'Application/JSON'])(
      'accepts the content type %s',
      async (contentType) => {
        const response = await post(hireRequest(BODY, { headers: { 'content-type': contentType } }));

        expect(response.status).toBe(202);
      },
    );

    it.each([
      ['300 seconds old', NOW - 300],
      ['300 seconds ahead', NOW + 300],
    ])('accepts a signature %s', async (_label, t) => {
      const response = await post(hireRequest(BODY, { t }));

      expect(response.status).toBe(202);
    });

    it('logs the outcome without the body, the signature or the secret', async () => {
      const request = hireRequest(JSON.stringify(accentedHire));

      await post(request);

      const output = logs.join('');
      expect(output).toContain('Event accepted');
      expect(output).toContain(accentedHire.eventId);
      for (const leak of [
        SECRET,
        request.headers['onboarding-signature'] ?? '',
        'Zoë',
        'zoe.obrien@example.com',
      ])
        expect(output).not.toContain(leak);
    });
  });

  describe('on POST /events', () => {
    it.each([
      ['a hire', engineeringHire, WEBHOOK_ENV.STATE_MACHINE_ARN],
      ['an update', engineeringUpdate, WEBHOOK_ENV.MOVER_STATE_MACHINE_ARN],
      ['a termination', engineeringTermination, WEBHOOK_ENV.LEAVER_STATE_MACHINE_ARN],
    ])(
      'starts %s on its own workflow, named from the eventId, with the event as input',
      async (_label, event, machine) => {
        const response = await post(eventsRequest(JSON.stringify(event)));

        expect(response.status).toBe(202);
        expect(startCalls().map((call) => call.args[0].input.stateMachineArn)).toEqual([machine]);
        const name = startCalls()[0]?.args[0].input.name;
        expect(name).toMatch(new RegExp(`^${event.eventId}-[0-9a-f]{32}$`));
        expect(response.body).toEqual({
          executionArn: `${machine.replace(':stateMachine:', ':execution:')}:${name}`,
          status: 'started',
        });
        expect(startedInput()).toEqual(event);
      },
    );

    it('answers 409 for an eventId another workflow already ran (an event of another type), starting nothing', async () => {
      describes(LEAVER_EXECUTION_ARN_PREFIX, { input: JSON.stringify(engineeringTermination) });
      const update = { ...engineeringUpdate, eventId: engineeringTermination.eventId };

      const response = await post(eventsRequest(JSON.stringify(update)));

      expect(response.status).toBe(409);
      expect(response.body).toEqual({
        message: `eventId "${engineeringTermination.eventId}" was already used with a different body`,
      });
      expect(startCalls()).toHaveLength(0);
    });

    it('asks only the other workflows before starting', async () => {
      await post(eventsRequest(JSON.stringify(engineeringUpdate)));

      const described = sfnMock
        .commandCalls(DescribeExecutionCommand)
        .map((c) => c.args[0].input.executionArn);
      expect(described.map((arn) => arn?.slice(0, arn.lastIndexOf(':') + 1)).sort()).toEqual(
        [EXECUTION_ARN_PREFIX, LEAVER_EXECUTION_ARN_PREFIX].sort(),
      );
    });

    it('answers 503 when another workflow cannot be asked, starting nothing', async () => {
      sfnMock.on(DescribeExecutionCommand).rejects(
        new SFNServiceException({
          name: 'ThrottlingException',
          $fault: 'client',
          $metadata: {},
          message: 'Rate exceeded',
        }),
      );

      const response = await post(eventsRequest(JSON.stringify(engineeringTermination)));

      expect(response.status).toBe(503);
      expect(startCalls()).toHaveLength(0);
    });

    it('checks the department of an update but not of a termination, which has none', async () => {
      const moved = {
        ...engineeringUpdate,
        employee: { ...engineeringUpdate.employee, department: 'Marketing' },
      };

      expect((await post(eventsRequest(JSON.stringify(moved)))).body.errors).toEqual([
        { field: '/employee/department', message: 'matches no access profile' },
      ]);
      expect((await post(eventsRequest(JSON.stringify(engineeringTermination)))).status).toBe(202);
    });
  });

  describe('when HR resends an eventId', () => {
    beforeEach(() => {
      sfnMock
        .on(StartExecutionCommand)
        .rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));
    });

    it('answers 202 duplicate with the existing execution when the body is the same event', async () => {
      describes(EXECUTION_ARN_PREFIX, { input: JSON.stringify(engineeringHire, null, 2) });

      const response = await post(hireRequest(BODY));

      expect(response.status).toBe(202);
      expect(response.body).toEqual({
        executionArn: expect.stringMatching(
          /^arn:aws:states:eu-west-1:123456789012:execution:onboarding:evt-2025-0001-[0-9a-f]{32}$/,
        ),
        status: 'duplicate',
      });
      const described = sfnMock
        .commandCalls(DescribeExecutionCommand)
        .map((c) => c.args[0].input.executionArn);
      expect(described).toContain(response.body.executionArn);
    });

    it('answers 409 when the eventId was used with a different body', async () => {
      describes(EXECUTION_ARN_PREFIX, { input: JSON.stringify(financeHire) });

      const response = await post(hireRequest(BODY));

      expect(response.status).toBe(409);
      expect(response.body).toEqual({
        message: 'eventId "evt-2025-0001" was already used with a different body',
      });
    });
  });

  describe('when the body is too large', () => {
    const padded = (bytes: number) => BODY.padEnd(bytes, ' ');

    it('accepts exactly 64 KiB', async () => {
      expect((await post(hireRequest(padded(65_536)))).status).toBe(202);
    });

    it('answers 413 above 64 KiB without starting anything', async () => {
      const response = await post(hireRequest(padded(65_537)));

      expect(response.status).toBe(413);
      expect(startCalls()).toHaveLength(0);
    });

    it('measures the decoded bytes, not the base64 text', async () => {
      const request = hireRequest(padded(60_000), { base64: true });
      expect(request.body?.length).toBeGreaterThan(65_536);

      expect((await post(request)).status).toBe(202);
    });

    it('answers 413 before looking at the content type or the signature', async () => {
      const request = hireRequest(padded(70_000), {
        headers: { 'content-type': 'text/plain', 'onboarding-signature': undefined },
      });

      expect((await post(request)).status).toBe(413);
    });
  });

  describe('when the content type is not JSON', () => {
    it.each([
      ['text/plain', 'text/plain'],
      ['form data', 'application/x-www-form-urlencoded'],
      ['JSON in another charset', 'application/json; charset=iso-8859-1'],
      ['a JSON look-alike', 'application/jsonx'],
      ['no content type', undefined],
    ])('answers 415 for %s without starting anything', async (_label, contentType) => {
      const response = await post(hireRequest(BODY, { headers: { 'content-type': contentType } }));

      expect(response.status).toBe(415);
      expect(response.body).toEqual({ message: 'Content-Type must be application/json' });
      expect(startCalls()).toHaveLength(0);
    });

    it('answers 415 before checking the signature', async () => {
      const request = hireRequest(BODY, {
        headers: { 'content-type': 'text/plain', 'onboarding-signature': undefined },
      });

      expect((await post(request)).status).toBe(415);
    });
  });

  describe('when the signature is wrong', () => {
    const pretty = JSON.stringify(engineeringHire, null, 2);
    const signed = signatureHeader(BODY, SECRET, NOW);

    it.each<[string, APIGatewayProxyEventV2, string]>([
      ['it is missing', hireRequest(BODY, { headers: { 'onboarding-signature': undefined } }), 'Missing'],
      ['it is 301 seconds old', hireRequest(BODY, { t: NOW - 301 }), 'Expired'],
      ['it is 301 seconds ahead', hireRequest(BODY, { t: NOW + 301 }), 'Expired'],
      ['the body was tampered with', { ...hireRequest(BODY), body: BODY.replace('Ada', 'Eve') }, 'Invalid'],
      [
        'it signs the compact JSON of a pretty body',
        hireRequest(pretty, { headers: { 'onboarding-signature': signed } }),
        'Invalid',
      ],
      ['it uses an unknown secret', hireRequest(BODY, { secret: 'whsec_attacker' }), 'Invalid'],
      [
        'it is a v0 signature',
        hireRequest(BODY, { headers: { 'onboarding-signature': signed.replace('v1=', 'v0=') } }),
        'Invalid',
      ],
      [
        'the header was sent twice',
        hireRequest(BODY, { headers: { 'onboarding-signature': `${signed},${signed}` } }),
        'Invalid',
      ],
    ])('answers 401 when %s, without starting anything', async (_label, request, problem) => {
      const response = await post(request);

      expect(response.status).toBe(401);
      expect(response.body).toEqual({
        message: expect.stringMatching(new RegExp(`^${problem} Onboarding-Signature`)),
      });
      expect(startCalls()).toHaveLength(0);
    });

    it('answers 401 before parsing the body', async () => {
      const request = hireRequest('{not json', { headers: { 'onboarding-signature': undefined } });

      expect((await post(request)).status).toBe(401);
    });
  });

  describe('when the signing secret is being rotated', () => {
    const rotatingArn = `${SECRET_ARN}-rotating`;

    beforeEach(() => {
      process.env.WEBHOOK_SECRET_ARN = rotatingArn;
      secretsMock
        .on(GetSecretValueCommand, { SecretId: rotatingArn })
        .resolves({ SecretString: JSON.stringify({ current: 'whsec_new', previous: 'whsec_old' }) });
    });

    it.each(['whsec_new', 'whsec_old'])('accepts a body signed with %s', async (secret) => {
      expect((await post(hireRequest(BODY, { secret }))).status).toBe(202);
    });

    it('accepts a header with one v1 per secret', async () => {
      const v1 = (secret: string) => signatureHeader(BODY, secret, NOW).split(',')[1];
      const header = `t=${NOW},${v1('whsec_old')},${v1('whsec_new')}`;

      expect((await post(hireRequest(BODY, { headers: { 'onboarding-signature': header } }))).status).toBe(
        202,
      );
    });
  });

  describe('when the signing secrets were loaded recently', () => {
    const cachedArn = `${SECRET_ARN}-cached`;

    it('reuses them for five minutes, then reloads them', async () => {
      process.env.WEBHOOK_SECRET_ARN = cachedArn;
      secretsMock
        .on(GetSecretValueCommand, { SecretId: cachedArn })
        .resolvesOnce({ SecretString: JSON.stringify({ current: 'whsec_first' }) })
        .resolves({ SecretString: JSON.stringify({ current: 'whsec_second' }) });

      expect((await post(hireRequest(BODY, { secret: 'whsec_first' }))).status).toBe(202);
      jest.spyOn(Date, 'now').mockReturnValue((NOW + 299) * 1000);
      expect((await post(hireRequest(BODY, { secret: 'whsec_first', t: NOW + 299 }))).status).toBe(202);
      expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(1);

      jest.spyOn(Date, 'now').mockReturnValue((NOW + 301) * 1000);
      expect((await post(hireRequest(BODY, { secret: 'whsec_second', t: NOW + 301 }))).status).toBe(202);
      expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    });
  });

  describe('when the body is not JSON', () => {
    it.each([
      ['broken JSON', '{"eventId": ', 'must be valid JSON'],
      ['JSON with a trailing comma', `${BODY.slice(0, -1)},}`, 'must be valid JSON'],
      ['an empty body', '', 'must be valid JSON'],
    ])('answers 400 for %s', async (_label, body, message) => {
      const response = await post(hireRequest(body));

      expect(response.status).toBe(400);
      expect(response.body).toEqual({ message: 'Invalid HR event', errors: [{ field: '/', message }] });
      expect(startCalls()).toHaveLength(0);
    });

    it('answers 400 for bytes that are not UTF-8', async () => {
      const latin1 = Buffer.from(JSON.stringify(accentedHire), 'latin1');

      const response = await post(hireRequest(latin1, { base64: true }));

      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([{ field: '/', message: 'must be UTF-8 text' }]);
      expect(startCalls()).toHaveLength(0);
    });
  });

  describe('when the JSON keys are ambiguous', () => {
    it.each([
      [
        'a repeated top-level key',
        BODY.replace('{', '{"eventId":"evt-other",'),
        'must not repeat the key "eventId"',
      ],
      [
        'a repeated key inside employee',
        BODY.replace('"department":"Engineering"', '"department":"Finance","department":"Engineering"'),
        'must not repeat the key "department"',
      ],
      [
        'a __proto__ key',
        BODY.replace('{', '{"__proto__":{"groups":["Admins"]},'),
        'must not use the key "__proto__"',
      ],
      [
        'an escaped __proto__ key',
        BODY.replace('{', '{"\\u005f_proto__":{},'),
        'must not use the key "__proto__"',
      ],
      [
        'a constructor key inside employee',
        BODY.replace('"id":', '"constructor":{"prototype":{}},"id":'),
        'must not use the key "constructor"',
      ],
    ])('answers 400 for %s', async (_label, body, message) => {
      const response = await post(hireRequest(body));

      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([{ field: '/', message }]);
      expect(startCalls()).toHaveLength(0);
    });

    it('accepts the same key in different objects', async () => {
      const body = JSON.stringify({
        ...engineeringHire,
        employee: { ...engineeringHire.employee, id: 'E1' },
      });

      expect((await post(hireRequest(body))).status).toBe(202);
    });
  });

  describe('when the JSON is not an object', () => {
    it.each(['[]', 'null', '42', '"employee.hired"'])('answers 400 for %s', async (body) => {
      const response = await post(hireRequest(body));

      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([{ field: '/', message: 'must be object' }]);
      expect(startCalls()).toHaveLength(0);
    });
  });

  describe('when fields break the schema', () => {
    it('answers 400 listing every invalid field', async () => {
      const { familyName: _omitted, ...employee } = engineeringHire.employee;
      const event = {
        ...engineeringHire,
        occurredAt: 'yesterday',
        employee: { ...employee, workEmail: 'not-an-email', startDate: '2025-13-45' },
      };

      const response = await post(hireRequest(JSON.stringify(event)));

      expect(response.status).toBe(400);
      expect(response.body.message).toBe('Invalid HR event');
      expect(response.body.errors).toEqual(
        expect.arrayContaining([
          { field: '/occurredAt', message: 'must match format "date-time"' },
          { field: '/employee/familyName', message: 'is required' },
          { field: '/employee/workEmail', message: 'must match format "email"' },
          { field: '/employee/startDate', message: 'must match format "date"' },
        ]),
      );
      expect(response.body.errors).toHaveLength(4);
      expect(startCalls()).toHaveLength(0);
    });

    it('answers 400 for an unknown type with the fields every type has, not a guess at its shape', async () => {
      const { eventId: _omitted, ...event } = {
        ...engineeringHire,
        type: 'employee.fired',
        occurredAt: 'yesterday',
        extra: true,
      };

      const response = await post(eventsRequest(JSON.stringify(event)));

      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        { field: '/eventId', message: 'is required' },
        { field: '/extra', message: 'is not allowed' },
        { field: '/occurredAt', message: 'must match format "date-time"' },
        { field: '/type', message: 'must be one of: employee.hired, employee.updated, employee.terminated' },
      ]);
      expect(startCalls()).toHaveLength(0);
    });

    it('answers 400 when there is neither a managerEmail nor a personalEmail', async () => {
      const { managerEmail: _omitted, ...employee } = engineeringHire.employee;

      const response = await post(hireRequest(JSON.stringify({ ...engineeringHire, employee })));

      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        { field: '/employee', message: 'needs one of: managerEmail, personalEmail' },
      ]);
    });

    it('answers 400 for a blank name', async () => {
      const response = await post(hireRequest(JSON.stringify(withEmployee({ givenName: '   ' }))));

      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([{ field: '/employee/givenName', message: expect.any(String) }]);
    });
  });

  describe('when the payload tries to choose its own access', () => {
    const grants = {
      groups: ['Admins'],
      policies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
      path: '/admins/',
      permissionsBoundary: 'arn:aws:iam::aws:policy/AdministratorAccess',
    };

    it.each(Object.entries(grants))('rejects %s at the top level with 400', async (field, value) => {
      const response = await post(hireRequest(JSON.stringify({ ...engineeringHire, [field]: value })));

      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([{ field: `/${field}`, message: 'is not allowed' }]);
      expect(startCalls()).toHaveLength(0);
    });

    it.each(Object.entries(grants))('rejects %s inside employee with 400', async (field, value) => {
      const response = await post(hireRequest(JSON.stringify(withEmployee({ [field]: value }))));

      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([{ field: `/employee/${field}`, message: 'is not allowed' }]);
      expect(startCalls()).toHaveLength(0);
    });
  });

  describe('when the department has no access profile', () => {
    it('answers 400 on /employee/department and starts nothing', async () => {
      const response = await post(hireRequest(JSON.stringify(withEmployee({ department: 'Marketing' }))));

      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        { field: '/employee/department', message: 'matches no access profile' },
      ]);
      expect(startCalls()).toHaveLength(0);
    });
  });

  describe('when AWS is busy', () => {
    it.each([
      [
        'Step Functions throttles',
        new SFNServiceException({
          name: 'ThrottlingException',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
          message: 'Rate exceeded',
        }),
      ],
      [
        'Step Functions fails',
        new SFNServiceException({
          name: 'ServiceUnavailable',
          $fault: 'server',
          $metadata: { httpStatusCode: 503 },
          message: 'unavailable',
        }),
      ],
    ])('answers 503 with Retry-After when %s', async (_label, error) => {
      sfnMock.on(StartExecutionCommand).rejects(error);

      const response = await post(hireRequest(BODY));

      expect(response.status).toBe(503);
      expect(response.headers).toMatchObject({ 'retry-after': '5' });
      expect(response.body).toEqual({ message: 'Service busy, retry later' });
    });

    it('answers 503 when Secrets Manager throttles', async () => {
      const throttledArn = `${SECRET_ARN}-throttled`;
      process.env.WEBHOOK_SECRET_ARN = throttledArn;
      secretsMock.on(GetSecretValueCommand, { SecretId: throttledArn }).rejects(
        new SecretsManagerServiceException({
          name: 'ThrottlingException',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
        }),
      );

      const response = await post(hireRequest(BODY));

      expect(response.status).toBe(503);
      expect(startCalls()).toHaveLength(0);
    });
  });

  describe('when something unexpected fails', () => {
    it('answers a bare 500 and logs the error', async () => {
      sfnMock.on(StartExecutionCommand).rejects(
        new StateMachineDoesNotExist({
          message: 'State Machine Does Not Exist: onboarding',
          $metadata: {},
        }),
      );

      const response = await post(hireRequest(BODY));

      expect(response.status).toBe(500);
      expect(response.body).toEqual({ message: 'Internal error' });
      expect(logs.join('')).toContain('State Machine Does Not Exist');
    });

    it('answers a bare 500 when the configuration is missing', async () => {
      delete process.env.STATE_MACHINE_ARN;

      const response = await post(hireRequest(BODY));

      expect(response.status).toBe(500);
      expect(response.body).toEqual({ message: 'Internal error' });
      expect(logs.join('')).toContain('STATE_MACHINE_ARN is not set');
    });

    it.each([
      ['not JSON', 'whsec_plain_text'],
      ['an empty object', '{}'],
      ['an object with a non-string value', '{"current":"whsec_ok","previous":42}'],
      ['an array', '["whsec_a"]'],
    ])('answers a bare 500 when the signing secret is %s, never quoting it', async (label, secretString) => {
      const misconfiguredArn = `${SECRET_ARN}-${label.replace(/\W/g, '-')}`;
      process.env.WEBHOOK_SECRET_ARN = misconfiguredArn;
      secretsMock
        .on(GetSecretValueCommand, { SecretId: misconfiguredArn })
        .resolves({ SecretString: secretString });

      const response = await post(hireRequest(BODY));

      expect(response.status).toBe(500);
      expect(response.body).toEqual({ message: 'Internal error' });
      expect(logs.join('')).toContain('The webhook secret must be a JSON object');
      expect(logs.join('')).not.toContain('whsec_');
      expect(startCalls()).toHaveLength(0);
    });
  });

  describe('when reading its published contract (contracts/openapi.yml)', () => {
    const contract = parseYaml(readFileSync(OPENAPI_PATH, 'utf8')) as Contract;
    const operation = contract.paths['/hires'].post;
    const json = operation.requestBody.content['application/json'];
    const scheme = contract.components.securitySchemes.onboardingSignature;

    it('is valid OpenAPI 3.1 whose request schema is hr-event.schema.json', async () => {
      await expect(SwaggerParser.validate(OPENAPI_PATH)).resolves.toMatchObject({ openapi: '3.1.0' });
      expect(json.schema.$ref).toBe('./hr-event.schema.json');
    });

    it('documents every status the webhook answers', () => {
      expect(Object.keys(operation.responses).sort()).toEqual([
        '202',
        '400',
        '401',
        '409',
        '413',
        '415',
        '500',
        '503',
      ]);
    });

    it('gives a worked signature example that openssl and signatureHeader both reproduce', () => {
      const body = JSON.stringify(json.examples.engineeringHire?.value);
      // printf '%s.' 1741000000 | cat - body.json | openssl dgst -sha256 -hmac whsec_example_do_not_use
      const header = 't=1741000000,v1=f3d981fb1a4f170073ff2b0dfccb6c83a9fea9aa816f9b24e909aca8e9520075';

      expect(scheme).toMatchObject({ in: 'header', name: 'Onboarding-Signature' });
      expect(body).toBe(JSON.stringify(engineeringHire));
      expect(scheme.description).toContain(`body (${Buffer.byteLength(body)} bytes, no`);
      expect(scheme.description).toContain(body);
      expect(scheme.description).toContain(`Onboarding-Signature: ${header}`);
      expect(signatureHeader(body, 'whsec_example_do_not_use', 1_741_000_000)).toBe(header);
    });

    it('shows request examples that the webhook accepts', async () => {
      expect(Object.keys(json.examples)).toEqual(['engineeringHire']);
      for (const { value } of Object.values(json.examples))
        expect((await post(hireRequest(JSON.stringify(value)))).status).toBe(202);
    });
  });
});
