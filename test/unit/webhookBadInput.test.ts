import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { DescribeExecutionCommand, ExecutionDoesNotExist, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler as statusHandler } from '../../functions/eventStatus';
import { secretsManager } from '../../functions/shared/secretsManagerClient';
import { sfn } from '../../functions/shared/sfnClient';
import { requestSignatureHeader, signatureHeader } from '../../functions/shared/signature';
import { handler } from '../../functions/webhook';
import {
  BAD_INPUT_ROWS,
  type BadInputRow,
  decodedPath,
  type SigningContext,
  STATUS_BAD_INPUT_ROWS,
  type StatusBadInputRow,
} from '../fixtures/webhookBadInput';
import {
  apiGatewayRequest,
  EXECUTION_ARN_PREFIX,
  lambdaContext,
  statusRequest,
  WEBHOOK_ENV,
} from '../support/webhookRequest';

const SIGNING: SigningContext = {
  now: 1_750_000_000,
  secret: 'whsec_current_0123456789abcdef',
  previousSecret: 'whsec_previous_0123456789abcdef',
};
// Generous: every row answers in milliseconds; a backtracking regex took seconds.
const MAX_MILLISECONDS = 1000;

const sfnMock = mockClient(sfn);
const secretsMock = mockClient(secretsManager);
const originalEnv = process.env;
let logs: string[] = [];

const defaultSignature = (body: Buffer, { now, secret }: SigningContext) =>
  signatureHeader(body, secret, now);

async function post(row: BadInputRow) {
  const body = Buffer.from(row.body);
  const headers = {
    'content-type': row.contentType === undefined ? 'application/json' : (row.contentType ?? undefined),
    'onboarding-signature': (row.signature ?? defaultSignature)(body, SIGNING),
  };
  const started = performance.now();
  const response: APIGatewayProxyStructuredResultV2 = await handler(
    apiGatewayRequest(body, headers, row.base64, row.path),
    lambdaContext,
  );
  return {
    status: response.statusCode,
    body: JSON.parse(response.body ?? '') as Record<string, unknown>,
    milliseconds: performance.now() - started,
  };
}

/** A GET /events/{eventId} as an HTTP API passes it on: the path percent-decoded once. */
async function getStatus(row: StatusBadInputRow) {
  const path = decodedPath(row.path);
  const signature = row.signature
    ? row.signature(path, SIGNING)
    : requestSignatureHeader('GET', path, SIGNING.secret, SIGNING.now);
  const started = performance.now();
  const response: APIGatewayProxyStructuredResultV2 = await statusHandler(
    statusRequest(path, { 'onboarding-signature': signature }, { rawQueryString: row.query, body: row.body }),
    lambdaContext,
  );
  return {
    status: response.statusCode,
    body: JSON.parse(response.body ?? '') as Record<string, unknown>,
    milliseconds: performance.now() - started,
  };
}

function asPattern(message: string | RegExp): RegExp {
  return typeof message === 'string'
    ? new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)
    : message;
}

beforeEach(() => {
  sfnMock.reset();
  secretsMock.reset();
  process.env = { ...originalEnv, ...WEBHOOK_ENV };
  jest.spyOn(Date, 'now').mockReturnValue(SIGNING.now * 1000);
  logs = [];
  for (const stream of [process.stdout, process.stderr])
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logs.push(String(chunk));
      return true;
    });
  secretsMock.on(GetSecretValueCommand).resolves({
    SecretString: JSON.stringify({ current: SIGNING.secret, previous: SIGNING.previousSecret }),
  });
  sfnMock.on(StartExecutionCommand).callsFake(({ name }: { name: string }) => ({
    executionArn: `${EXECUTION_ARN_PREFIX}${name}`,
    startDate: new Date(SIGNING.now * 1000),
  }));
});

afterEach(() => {
  jest.restoreAllMocks();
  process.env = originalEnv;
});

describe('webhook', () => {
  describe(`when given bad or unusual input (${BAD_INPUT_ROWS.length} cases)`, () => {
    it.each(BAD_INPUT_ROWS.map((row) => [row.name, row] as const))(
      'answers %s as the contract says, quickly, logging no warning',
      async (_name, row) => {
        const response = await post(row);

        const { expected } = row;
        expect(response.status).toBe(expected.status);
        const starts = sfnMock.commandCalls(StartExecutionCommand);
        if (expected.status === 202) {
          expect(response.body).toEqual({
            executionArn: expect.stringMatching(/^arn:aws:states:/),
            status: 'started',
          });
          expect(starts).toHaveLength(1);
        } else {
          if (expected.status === 400) {
            expect(response.body).toEqual({ message: 'Invalid HR event', errors: expect.any(Array) });
            expect(response.body.errors).toContainEqual({
              field: expected.field,
              message: expect.stringMatching(asPattern(expected.message)),
            });
          } else if (expected.status === 401) {
            expect(response.body).toEqual({
              message: expect.stringMatching(new RegExp(`^${expected.problem} Onboarding-Signature`)),
            });
          } else {
            expect(response.body).toEqual({ message: expected.message });
          }
          expect(starts).toHaveLength(0);
        }
        expect(response.milliseconds).toBeLessThan(MAX_MILLISECONDS);
        const output = logs.join('');
        expect(output).not.toMatch(/"level":"(WARN|ERROR)"/);
        for (const secret of [SIGNING.secret, SIGNING.previousSecret]) expect(output).not.toContain(secret);
        expect(output.length).toBeLessThan(4096);
      },
    );
  });
});

describe('eventStatus', () => {
  describe(`when given bad or unusual input (${STATUS_BAD_INPUT_ROWS.length} cases)`, () => {
    beforeEach(() => {
      sfnMock
        .on(DescribeExecutionCommand)
        .rejects(new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: {} }));
    });

    it.each(STATUS_BAD_INPUT_ROWS.map((row) => [row.name, row] as const))(
      'answers %s as the contract says, quickly, logging no warning',
      async (_name, row) => {
        const response = await getStatus(row);

        const { expected } = row;
        expect(response.status).toBe(expected.status);
        const described = sfnMock.commandCalls(DescribeExecutionCommand);
        if (expected.status === 400) {
          expect(response.body).toEqual({ message: 'Invalid request', errors: expect.any(Array) });
          expect(response.body.errors).toContainEqual({
            field: expected.field,
            message: expect.stringMatching(asPattern(expected.message)),
          });
        } else if (expected.status === 401) {
          expect(response.body).toEqual({
            message: expect.stringMatching(new RegExp(`^${expected.problem} Onboarding-Signature`)),
          });
        } else {
          expect(response.body).toEqual({ message: 'No HR event with this eventId' });
        }
        expect(described).toHaveLength(expected.status === 404 ? 3 : 0);
        expect(response.milliseconds).toBeLessThan(MAX_MILLISECONDS);
        const output = logs.join('');
        expect(output).not.toMatch(/"level":"(WARN|ERROR)"/);
        for (const secret of [SIGNING.secret, SIGNING.previousSecret]) expect(output).not.toContain(secret);
        expect(output.length).toBeLessThan(4096);
      },
    );
  });
});
