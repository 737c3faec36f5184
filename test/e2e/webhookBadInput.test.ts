import { ListUsersCommand } from '@aws-sdk/client-iam';
import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { requestSignatureHeader, signatureHeader } from '../../functions/shared/signature';
import {
  BAD_INPUT_ROWS,
  type BadInputRow,
  decodedPath,
  type SigningContext,
  STATUS_BAD_INPUT_ROWS,
  type StatusBadInputRow,
} from '../fixtures/webhookBadInput';
import { hireEvent, startTestStack, type TestStack } from './support/testStack';

// Rejections only: an accepted row would start an onboarding of the fixture's hire.
const ROWS = BAD_INPUT_ROWS.filter((row) => row.overHttp && row.expected.status !== 202);
const STATUS_ROWS = STATUS_BAD_INPUT_ROWS.filter((row) => row.overHttp);

let stack: TestStack;
let usersBefore: string[];

const userNames = async () =>
  ((await stack.iam.send(new ListUsersCommand({}))).Users ?? []).map((user) => user.UserName ?? '').sort();
const executionArns = async () =>
  (
    (await stack.sfn.send(new ListExecutionsCommand({ stateMachineArn: stack.stateMachineArn })))
      .executions ?? []
  ).map((execution) => execution.executionArn);

/** Posts a row over HTTP as an HR system would: raw bytes, its own headers, signed at the current second. */
async function post(row: BadInputRow) {
  const body = Buffer.from(row.body);
  const signing: SigningContext = {
    now: Math.floor(Date.now() / 1000),
    secret: stack.webhookSecret,
    previousSecret: 'whsec_not_configured_locally',
  };
  const signature = row.signature
    ? row.signature(body, signing)
    : signatureHeader(body, signing.secret, signing.now);
  const contentType = row.contentType === undefined ? 'application/json' : row.contentType;
  const headers: Record<string, string> = {};
  if (contentType !== null) headers['content-type'] = contentType;
  if (signature !== undefined) headers['onboarding-signature'] = signature;
  const response = await fetch(`${stack.urls.webhook}${row.path ?? '/hires'}`, {
    method: 'POST',
    headers,
    body,
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** GETs a status row's path exactly as written (percent-encoded as on the wire), signed as the row says. */
async function getStatus(row: StatusBadInputRow) {
  const signing: SigningContext = {
    now: Math.floor(Date.now() / 1000),
    secret: stack.webhookSecret,
    previousSecret: 'whsec_not_configured_locally',
  };
  const path = decodedPath(row.path);
  const signature = row.signature
    ? row.signature(path, signing)
    : requestSignatureHeader('GET', path, signing.secret, signing.now);
  const headers: Record<string, string> =
    signature === undefined ? {} : { 'onboarding-signature': signature };
  const query = row.query === undefined ? '' : `?${row.query}`;
  const response = await fetch(`${stack.urls.webhook}${row.path}${query}`, { headers });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  stack = await startTestStack();
  usersBefore = await userNames();
});

afterAll(async () => {
  await stack.close();
});

describe('webhook over HTTP', () => {
  describe(`when given bad input (${ROWS.length} cases)`, () => {
    it.each(ROWS.map((row) => [row.name, row] as const))(
      'rejects %s as the contract says',
      async (_name, row) => {
        const { status, json } = await post(row);

        const { expected } = row;
        expect(status).toBe(expected.status);
        if (expected.status === 400)
          expect(json.errors).toContainEqual({
            field: expected.field,
            message:
              typeof expected.message === 'string'
                ? expected.message
                : expect.stringMatching(expected.message),
          });
        else if (expected.status === 401)
          expect(json).toEqual({
            message: expect.stringMatching(new RegExp(`^${expected.problem} Onboarding-Signature`)),
          });
        else if (expected.status !== 202) expect(json).toEqual({ message: expected.message });
      },
    );
  });

  describe(`when GET /events/{eventId} is given bad input (${STATUS_ROWS.length} cases)`, () => {
    it.each(STATUS_ROWS.map((row) => [row.name, row] as const))(
      'answers %s as the contract says',
      async (_name, row) => {
        const { status, json } = await getStatus(row);

        const { expected } = row;
        expect(status).toBe(expected.status);
        if (expected.status === 400)
          expect(json.errors).toContainEqual({
            field: expected.field,
            message:
              typeof expected.message === 'string'
                ? expected.message
                : expect.stringMatching(expected.message),
          });
        else if (expected.status === 401)
          expect(json).toEqual({
            message: expect.stringMatching(new RegExp(`^${expected.problem} Onboarding-Signature`)),
          });
        else expect(json).toEqual({ message: 'No HR event with this eventId' });
      },
    );
  });

  describe('after the whole table', () => {
    it('has started no execution and created no IAM user for any of it', async () => {
      await stack.whenIdle();

      expect(await executionArns()).toEqual([]);
      expect(await userNames()).toEqual(usersBefore);
    });

    it('still onboards a valid hire, which both checks see', async () => {
      const { status, json } = await stack.postHire(hireEvent());
      expect(status).toBe(202);
      const execution = await stack.settle(String(json.executionArn));

      expect(execution.status).toBe('SUCCEEDED');
      expect(await executionArns()).toEqual([json.executionArn]);
      expect(await userNames()).toHaveLength(usersBefore.length + 1);
    });
  });
});
