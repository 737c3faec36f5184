import { createHmac } from 'node:crypto';
import { IAMServiceException, ListAccountAliasesCommand } from '@aws-sdk/client-iam';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
} from '@aws-sdk/client-sfn';
import Ajv from 'ajv';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import schema from '../../contracts/hr-event.schema.json';
import { handler } from '../../functions/eventStatus';
import { iam } from '../../functions/shared/iamClient';
import { secretsManager } from '../../functions/shared/secretsManagerClient';
import { sfn } from '../../functions/shared/sfnClient';
import engineeringHire from '../fixtures/events/engineering-hire.json';
import { lambdaContext, statusRequest, WEBHOOK_ENV } from '../support/webhookRequest';
import { type StatusCase, statusCase } from './arbitraries';
import { NOW, SECRETS, signatureProblem } from './webhookProperty';

/**
 * The status route's fuzzer: the real eventStatus handler (SDK clients mocked, the clock fixed) on a
 * generated GET, checked against an independent model: the path as an HTTP API hands it on, the
 * signature rules of the webhook fuzzer over `GET.<path>`, and Ajv on the schema's eventId rules.
 */

const MAX_MILLISECONDS = 2000;
const STATUSES = [200, 400, 401, 404] as const;
const VOCABULARY = ['running', 'waiting', 'succeeded', 'ignored', 'failed', 'stopped'];
const FIELDS = [
  'eventId',
  'type',
  'status',
  'executionArn',
  'startedAt',
  'stoppedAt',
  'error',
  'userName',
  'signInUrl',
];
const validEventId = new Ajv().compile(schema.definitions.eventId);

/** The path segment on the wire, or undefined when the case's encoding cannot spell it. */
export function wireSegment({
  eventId,
  encoding,
}: Pick<StatusCase, 'eventId' | 'encoding'>): string | undefined {
  try {
    if (encoding === 'plain') return eventId;
    if (encoding === 'component') return encodeURIComponent(eventId);
    if (encoding === 'double') return encodeURIComponent(encodeURIComponent(eventId));
    return [...Buffer.from(eventId, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
  } catch {
    return undefined; // a lone surrogate: encodeURIComponent refuses it
  }
}

/** What an HTTP API routes to GET /events/{eventId}: one non-empty segment, nothing that ends a path. */
function routed(segment: string): boolean {
  return segment !== '' && !/[/?#]/.test(segment);
}

function decodeOnce(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The Onboarding-Signature header a case asks for. */
function signatureFor(
  spec: StatusCase['signature'],
  decodedPath: string,
  wirePath: string,
): string | undefined {
  if (spec.kind === 'absent') return undefined;
  if (spec.kind === 'raw') return spec.header;
  const secret = spec.secret === 'current' || spec.secret === 'previous' ? SECRETS[spec.secret] : spec.secret;
  const t = NOW + spec.offset;
  const signed = {
    path: `GET.${decodedPath}`,
    encodedPath: `GET.${wirePath}`,
    otherEventId: `GET.${decodedPath}x`,
    post: `POST.${decodedPath}`,
    withQuery: `GET.${decodedPath}?a=1`,
    bodyScheme: decodedPath,
  }[spec.over];
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${signed}`).digest('hex')}`;
}

/** The answer the contract gives, worked out without the function's code. */
export function expectedStatus(fuzzCase: StatusCase, decodedPath: string, header: string | undefined) {
  const problem = signatureProblem(header, Buffer.from(`GET.${decodedPath}`));
  if (problem !== undefined) return { status: 401 as const, problem };
  if (fuzzCase.query !== '') return { status: 400 as const };
  if (!validEventId(decodedPath.slice('/events/'.length))) return { status: 400 as const };
  return { status: fuzzCase.existing === 'none' ? (404 as const) : (200 as const) };
}

export function createStatusFuzzer() {
  const sfnMock = mockClient(sfn);
  const secretsMock = mockClient(secretsManager);
  const iamMock = mockClient(iam);
  const originalNow = Date.now;
  const originalEnv = process.env;
  const writes = [process.stdout.write, process.stderr.write] as const;
  let logs: string[] = [];
  let current: StatusCase | undefined;
  let accounts = 100_000_000_000;
  const prefixes = {
    'employee.hired': WEBHOOK_ENV.STATE_MACHINE_ARN,
    'employee.updated': WEBHOOK_ENV.MOVER_STATE_MACHINE_ARN,
    'employee.terminated': WEBHOOK_ENV.LEAVER_STATE_MACHINE_ARN,
  };

  process.env = {
    ...originalEnv,
    ...WEBHOOK_ENV,
    WEBHOOK_SECRET_ARN: `${WEBHOOK_ENV.WEBHOOK_SECRET_ARN}-status-fuzz`,
  };
  Date.now = () => NOW * 1000;
  const capture = (chunk: string | Uint8Array) => {
    logs.push(String(chunk));
    return true;
  };
  secretsMock.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(SECRETS) });
  iamMock.on(ListAccountAliasesCommand).callsFake(() => {
    // Now and then IAM is busy: a 503 then, which the property allows only for a found execution.
    if (current?.iamBusy)
      throw new IAMServiceException({
        name: 'Throttling',
        $fault: 'client',
        $metadata: {},
        message: 'Rate exceeded',
      });
    return { AccountAliases: [] };
  });
  sfnMock
    .on(GetExecutionHistoryCommand)
    .resolves({ events: [{ id: 3, timestamp: new Date(), type: 'WaitStateEntered' }] });
  sfnMock.on(DescribeExecutionCommand).callsFake(({ executionArn }: { executionArn: string }) => {
    const existing = current?.existing ?? 'none';
    if (
      existing === 'none' ||
      !executionArn.startsWith(prefixes[existing].replace(':stateMachine:', ':execution:'))
    )
      throw new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: {} });
    return {
      executionArn,
      status: current?.sfnStatus,
      startDate: new Date(NOW * 1000 - 5000),
      input: JSON.stringify(engineeringHire),
      output: JSON.stringify({
        ...engineeringHire,
        user: { userName: 'ada.lovelace', stale: current?.stale === true },
      }),
      error: 'Ada <ada.lovelace@example.com>',
      cause: engineeringHire.employee.workEmail,
    };
  });

  /** Sends one case and checks every invariant; throws an Error naming the first one broken. */
  async function run(fuzzCase: StatusCase): Promise<number | 'not routed'> {
    const segment = wireSegment(fuzzCase);
    if (segment === undefined || !routed(segment)) return 'not routed';
    const decodedPath = `/events/${decodeOnce(segment)}`;
    const header = signatureFor(fuzzCase.signature, decodedPath, `/events/${segment}`);
    const expected = expectedStatus(fuzzCase, decodedPath, header);
    current = fuzzCase;
    // A fresh account per case: the sign-in URL is cached per account, and IAM must be asked each time.
    accounts += 1;
    process.env.ACCOUNT_ID = String(accounts);
    sfnMock.resetHistory();
    logs = [];
    process.stdout.write = capture as typeof process.stdout.write;
    process.stderr.write = capture as typeof process.stderr.write;
    const started = performance.now();
    let response: APIGatewayProxyStructuredResultV2;
    try {
      const request = statusRequest(
        decodedPath,
        { 'onboarding-signature': header },
        { rawQueryString: fuzzCase.query },
      );
      response = await handler(request, lambdaContext);
    } finally {
      process.stdout.write = writes[0];
      process.stderr.write = writes[1];
    }
    const milliseconds = performance.now() - started;
    const status = response.statusCode ?? 0;
    const fail = (what: string) => {
      throw new Error(
        `${what} (status ${status}, expected ${expected.status}, body ${response.body?.slice(0, 300)})`,
      );
    };
    const busy = status === 503 && expected.status === 200 && fuzzCase.iamBusy;
    if (status >= 500 && !busy) fail('answered a 5xx');
    if (!busy && !(STATUSES as readonly number[]).includes(status)) fail('answered an undocumented status');
    if (!busy && status !== expected.status) fail('answered a status other than the contract gives');
    if (response.headers?.['content-type'] !== 'application/json')
      fail('answered without a JSON content type');
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(response.body ?? '') as Record<string, unknown>;
    } catch {
      fail('answered a body that is not JSON');
    }
    if (status === 200) {
      if (!Object.keys(body).every((key) => FIELDS.includes(key))) fail('answered 200 with other fields');
      if (!VOCABULARY.includes(String(body.status))) fail('answered a status outside the vocabulary');
      if (body.type !== fuzzCase.existing) fail('answered another workflow type');
      if ((response.body ?? '').includes('@')) fail('answered personal data');
    } else if (typeof body.message !== 'string' || body.message === '') fail('answered without a message');
    if (status === 401 && !String(body.message).startsWith(`${expected.problem} Onboarding-Signature`))
      fail(`answered 401 without saying ${expected.problem}`);
    if (status === 400 && !(Array.isArray(body.errors) && body.errors.length > 0))
      fail('answered 400 without errors');
    if (expected.status !== 200 && expected.status !== 404 && sfnMock.calls().length > 0)
      fail('asked Step Functions about a request it refused');
    if (milliseconds > MAX_MILLISECONDS) fail(`took ${Math.round(milliseconds)} ms`);
    const output = logs.join('');
    if (!busy && /"level":"(WARN|ERROR|CRITICAL)"/.test(output)) fail('logged a warning or error');
    if (Object.values(SECRETS).some((secret) => output.includes(secret))) fail('logged a signing secret');
    if (output.includes(engineeringHire.employee.workEmail)) fail('logged personal data');
    if (output.length > 4096) fail(`logged ${output.length} characters for one request`);
    return status;
  }

  function restore(): void {
    sfnMock.restore();
    secretsMock.restore();
    iamMock.restore();
    Date.now = originalNow;
    process.env = originalEnv;
  }

  return { run, restore };
}

/** The property both runs check: every generated case keeps every invariant. */
export function statusProperty(
  fuzzer: ReturnType<typeof createStatusFuzzer>,
  onAnswer: (status: number | 'not routed') => void = () => undefined,
) {
  return fc.asyncProperty(statusCase, async (fuzzCase) => {
    onAnswer(await fuzzer.run(fuzzCase));
  });
}
