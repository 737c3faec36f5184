import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { secretsManager, sfn } from '../../functions/shared/clients';
import { logger } from '../../functions/shared/logger';
import { handler } from '../../functions/webhook';
import { BAD_INPUT_ROWS, type BadInputRow, type SigningContext } from '../fixtures/webhookBadInput';
import {
  apiGatewayRequest,
  EXECUTION_ARN_PREFIX,
  lambdaContext,
  WEBHOOK_ENV,
} from '../support/webhookRequest';

const SIGNING: SigningContext = {
  now: 1_750_000_000,
  secret: 'whsec_current_0123456789abcdef',
  previousSecret: 'whsec_previous_0123456789abcdef',
};

const sfnMock = mockClient(sfn);
const secretsMock = mockClient(secretsManager);
const originalEnv = process.env;

async function post(row: BadInputRow) {
  const body = Buffer.from(row.body);
  const headers = {
    'content-type': row.contentType === undefined ? 'application/json' : (row.contentType ?? undefined),
    'onboarding-signature': (row.signature ?? ((bytes, c) => signatureFor(bytes, c)))(body, SIGNING),
  };
  const response: APIGatewayProxyStructuredResultV2 = await handler(
    apiGatewayRequest(body, headers, row.base64),
    lambdaContext,
  );
  return { status: response.statusCode, body: JSON.parse(response.body ?? '') as Record<string, unknown> };
}

function signatureFor(body: Buffer, { now, secret }: SigningContext): string {
  // Imported lazily so that a row's own signer and the default one read alike.
  return require('../../functions/shared/signature').signatureHeader(body, secret, now);
}

beforeEach(() => {
  sfnMock.reset();
  secretsMock.reset();
  process.env = { ...originalEnv, ...WEBHOOK_ENV };
  jest.spyOn(Date, 'now').mockReturnValue(SIGNING.now * 1000);
  logger.setLogLevel('SILENT');
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
      'answers %s as the contract says',
      async (_name, row) => {
        const response = await post(row);

        const { expected } = row;
        expect(response.status).toBe(expected.status);
        const starts = sfnMock.commandCalls(StartExecutionCommand);
        switch (expected.status) {
          case 202:
            expect(response.body).toEqual({
              executionArn: expect.stringMatching(/^arn:aws:states:/),
              status: 'started',
            });
            expect(starts).toHaveLength(1);
            return;
          case 400:
            expect(response.body).toEqual({ message: 'Invalid HR event', errors: expect.any(Array) });
            expect(response.body.errors).toContainEqual({
              field: expected.field,
              message: expect.stringMatching(asPattern(expected.message)),
            });
            break;
          case 401:
            expect(response.body).toEqual({
              message: expect.stringMatching(new RegExp(`^${expected.problem} Onboarding-Signature`)),
            });
            break;
          default:
            expect(response.body).toEqual({ message: expected.message });
        }
        expect(starts).toHaveLength(0);
      },
    );
  });
});

function asPattern(message: string | RegExp): RegExp {
  return typeof message === 'string'
    ? new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)
    : message;
}
