import { isUtf8 } from 'node:buffer';
import { createHash, createHmac } from 'node:crypto';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  StartExecutionCommand,
  type StartExecutionCommandInput,
} from '@aws-sdk/client-sfn';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import accessProfiles from '../../config/access-profiles.json';
import schema from '../../contracts/hr-event.schema.json';
import { secretsManager } from '../../functions/shared/secretsManagerClient';
import { sfn } from '../../functions/shared/sfnClient';
import { handler } from '../../functions/webhook';
import {
  apiGatewayRequest,
  EXECUTION_ARN_PREFIX,
  lambdaContext,
  WEBHOOK_ENV,
} from '../support/webhookRequest';
import { type SignatureSpec, type WebhookCase, webhookCase } from './arbitraries';

/**
 * The webhook fuzzer: runs the real handler (SDK clients mocked with aws-sdk-client-mock, the clock
 * fixed) on a generated case and checks it against an independent model of the contract: its own
 * signature check, strict JSON check, Ajv compile of the published schema and profile lookup.
 */

export const NOW = 1_750_000_000;
export const SECRETS = {
  current: 'whsec_fuzz_current_0123456789',
  previous: 'whsec_fuzz_previous_0123456789',
};
const MAX_BODY_BYTES = 65_536;
const TOLERANCE = 300;
const MAX_MILLISECONDS = 2000;
const STATUSES = [202, 400, 401, 409, 413, 415] as const;
type Status = (typeof STATUSES)[number];

const validate = addFormats(new Ajv({ allErrors: true, discriminator: true })).compile(schema);
const key = (text: string) => text.trim().toLowerCase();

/** The answer the contract gives, worked out without the webhook's code. */
export function expectedStatus(
  body: Buffer,
  headers: Record<string, string | undefined>,
  existing: WebhookCase['existing'],
): {
  status: Status;
  problem?: 'Missing' | 'Invalid' | 'Expired';
  event?: unknown;
} {
  if (body.length > MAX_BODY_BYTES) return { status: 413 };
  const type = headers['content-type'];
  if (
    type === undefined ||
    !/^application\/json[ \t]*(;[ \t]*charset[ \t]*=[ \t]*(utf-8|"utf-8")[ \t]*)?$/i.test(type)
  )
    return { status: 415 };
  const problem = signatureProblem(headers['onboarding-signature'], body);
  if (problem !== undefined) return { status: 401, problem };
  const event = strictJson(body);
  if (event === undefined || !validate(event)) return { status: 400 };
  const { department, jobTitle } = (event as { employee: { department: string; jobTitle?: string } })
    .employee;
  const profile = accessProfiles.profiles.find(
    (p) =>
      key(p.department) === key(department) &&
      (!('jobTitle' in p) || (jobTitle !== undefined && key(String(p.jobTitle)) === key(jobTitle))),
  );
  if (profile === undefined) return { status: 400 };
  return { status: existing === 'other' ? 409 : 202, event };
}

/** The contract's signature rules: exactly one numeric t within 300 s, any v1 matching any secret. */
export function signatureProblem(
  header: string | undefined,
  body: Buffer,
): 'Missing' | 'Invalid' | 'Expired' | undefined {
  if (header === undefined || header.trim() === '') return 'Missing';
  const pairs = header
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.includes('='))
    .map((item) => [item.slice(0, item.indexOf('=')), item.slice(item.indexOf('=') + 1)] as const);
  const timestamps = pairs.filter(([name]) => name === 't').map(([, value]) => value);
  const digests = pairs.filter(([name]) => name === 'v1').map(([, value]) => value.toLowerCase());
  const [t] = timestamps;
  if (t === undefined || timestamps.length !== 1 || !/^[0-9]+$/.test(t) || digests.length === 0)
    return 'Invalid';
  if (Math.abs(NOW - Number(t)) > TOLERANCE) return 'Expired';
  const signed = Buffer.concat([Buffer.from(`${t}.`), body]);
  const expected = Object.values(SECRETS).map((s) => createHmac('sha256', s).update(signed).digest('hex'));
  return digests.some((digest) => expected.includes(digest)) ? undefined : 'Invalid';
}

/** The parsed body if it is UTF-8 JSON (a leading BOM ignored) with no repeated or prototype keys. */
function strictJson(body: Buffer): unknown {
  if (!isUtf8(body)) return undefined;
  const text = body.toString('utf8').replace(/^\uFEFF/, '');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return hasAmbiguousKey(text) ? undefined : value;
}

/** Walks valid JSON text character by character, keeping the keys seen in each open object. */
function hasAmbiguousKey(text: string): boolean {
  const open: Array<Set<string> | null> = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i];
    if (char === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const literal = text.slice(i, end + 1);
      i = end + 1;
      while (i < text.length && ' \t\r\n'.includes(text[i] ?? '')) i++;
      if (text[i] !== ':') continue;
      const name: string = JSON.parse(literal);
      const keys = open[open.length - 1];
      if (name === '__proto__' || name === 'constructor' || keys?.has(name)) return true;
      keys?.add(name);
    } else {
      if (char === '{') open.push(new Set());
      else if (char === '[') open.push(null);
      else if (char === '}' || char === ']') open.pop();
      i++;
    }
  }
  return false;
}

/** JSON with sorted keys, written independently of the webhook's canonicalJson. */
function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}

/** The Onboarding-Signature header a case asks for, built over the exact bytes sent. */
export function signatureFor(spec: SignatureSpec, body: Buffer): string | undefined {
  if (spec.kind === 'absent') return undefined;
  if (spec.kind === 'raw') return spec.header;
  const secret = spec.secret === 'current' || spec.secret === 'previous' ? SECRETS[spec.secret] : spec.secret;
  const t = NOW + spec.offset;
  const hmac = (algorithm: string, text: Buffer | string) =>
    createHmac(algorithm, secret).update(text).digest('hex');
  const digest = (bytes: Buffer) => hmac('sha256', Buffer.concat([Buffer.from(`${t}.`), bytes]));
  const good = `t=${t},v1=${digest(body)}`;
  switch (spec.tamper) {
    case 'none':
      return good;
    case 'duplicateHeader':
      return `${good},${good}`;
    case 'v0':
      return good.replace('v1=', 'v0=');
    case 'uppercase':
      return good.toUpperCase().replace('T=', 't=').replace('V1=', 'v1=');
    case 'spaces':
      return good.replace(',', ' , ');
    case 'dropHexDigit':
      return good.slice(0, -1);
    case 'flipHexDigit':
      return `${good.slice(0, -1)}${good.endsWith('0') ? '1' : '0'}`;
    case 'sha1':
      return `t=${t},v1=${hmac('sha1', Buffer.concat([Buffer.from(`${t}.`), body]))}`;
    case 'extraV1':
      return `${good},v1=${createHash('sha256').update(body).digest('hex')}`;
    case 'extraV0':
      return `${good},v0=${'f'.repeat(64)}`;
    case 'dropT':
      return good.slice(good.indexOf('v1='));
    case 'twoT':
      return `t=${t + 1},${good}`;
    case 'bodyAlone':
      return `t=${t},v1=${hmac('sha256', body)}`;
    case 'reserialised': {
      try {
        return `t=${t},v1=${digest(Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8')))))}`;
      } catch {
        return good;
      }
    }
  }
}

type Outcome = { response: APIGatewayProxyStructuredResultV2; logs: string; milliseconds: number };

/**
 * Installs the mocks, the environment, a fixed clock and a log capture; `run` sends one case through
 * the handler and throws on the first broken invariant. Call `restore` when done.
 */
export function createWebhookFuzzer() {
  const sfnMock = mockClient(sfn);
  const secretsMock = mockClient(secretsManager);
  const originalNow = Date.now;
  const originalEnv = process.env;
  const writes = [process.stdout.write, process.stderr.write] as const;
  let logs: string[] = [];
  let existing: WebhookCase['existing'] = 'none';
  let otherInput = '';

  process.env = {
    ...originalEnv,
    ...WEBHOOK_ENV,
    WEBHOOK_SECRET_ARN: `${WEBHOOK_ENV.WEBHOOK_SECRET_ARN}-fuzz`,
  };
  Date.now = () => NOW * 1000;
  const capture = (chunk: string | Uint8Array) => {
    logs.push(String(chunk));
    return true;
  };
  secretsMock.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(SECRETS) });
  sfnMock.on(StartExecutionCommand).callsFake((input: StartExecutionCommandInput) => {
    if (existing !== 'none')
      throw new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} });
    return { executionArn: `${EXECUTION_ARN_PREFIX}${input.name}`, startDate: new Date(NOW * 1000) };
  });
  sfnMock.on(DescribeExecutionCommand).callsFake(({ executionArn }: { executionArn?: string }) => {
    // The mover's and the leaver's executions of this eventId: none.
    if (!executionArn?.startsWith(EXECUTION_ARN_PREFIX))
      throw new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: {} });
    const started = sfnMock.commandCalls(StartExecutionCommand)[0]?.args[0].input.input ?? '{}';
    // The stored input, re-serialised: "same" must compare equal whatever the key order.
    return { input: existing === 'same' ? JSON.stringify(JSON.parse(started), null, 1) : otherInput };
  });

  async function send(
    fuzzCase: WebhookCase,
  ): Promise<Outcome & { expected: ReturnType<typeof expectedStatus> }> {
    const bytes = Buffer.from(fuzzCase.body);
    const headers = {
      ...fuzzCase.extraHeaders,
      'content-type': fuzzCase.contentType,
      'onboarding-signature': signatureFor(fuzzCase.signature, bytes),
    };
    // API Gateway base64-encodes what is not text; a string could not carry these bytes.
    const base64 = fuzzCase.base64 || !isUtf8(bytes);
    existing = fuzzCase.existing;
    otherInput = JSON.stringify({ eventId: 'evt-other', note: 'a different event' });
    sfnMock.resetHistory();
    secretsMock.resetHistory();
    logs = [];
    process.stdout.write = capture as typeof process.stdout.write;
    process.stderr.write = capture as typeof process.stderr.write;
    const started = performance.now();
    try {
      const response: APIGatewayProxyStructuredResultV2 = await handler(
        apiGatewayRequest(bytes, headers, base64),
        lambdaContext,
      );
      return {
        response,
        logs: logs.join(''),
        milliseconds: performance.now() - started,
        expected: expectedStatus(bytes, headers, fuzzCase.existing),
      };
    } finally {
      process.stdout.write = writes[0];
      process.stderr.write = writes[1];
    }
  }

  /** Sends one case and checks every invariant; throws an Error naming the first one broken. */
  async function run(fuzzCase: WebhookCase): Promise<number> {
    const { response, logs: output, milliseconds, expected } = await send(fuzzCase);
    const status = response.statusCode ?? 0;
    const fail = (what: string) => {
      throw new Error(
        `${what} (status ${status}, expected ${expected.status}, body ${response.body?.slice(0, 300)})`,
      );
    };
    if (status >= 500) fail('answered a 5xx');
    if (!(STATUSES as readonly number[]).includes(status)) fail('answered an undocumented status');
    if (status !== expected.status) fail('answered a status other than the contract gives');
    if (response.headers?.['content-type'] !== 'application/json')
      fail('answered without a JSON content type');
    const shape = shapeProblem(
      status,
      response.body,
      expected.problem,
      fuzzCase.existing === 'same' ? 'duplicate' : 'started',
    );
    if (shape !== undefined) fail(shape);

    const starts = sfnMock.commandCalls(StartExecutionCommand);
    if (expected.event === undefined && starts.length > 0)
      fail('started an execution for an invalid or unsigned event');
    if (expected.event !== undefined) {
      const input = starts[0]?.args[0].input;
      if (starts.length !== 1 || input === undefined)
        fail('did not start exactly one execution for a valid event');
      if (input?.input !== sortedJson(expected.event))
        fail('started an execution whose input is not the canonical event');
      if (!/^[0-9A-Za-z_-]{1,80}$/.test(input?.name ?? '')) fail('started an execution with an invalid name');
    }

    if (milliseconds > MAX_MILLISECONDS) fail(`took ${Math.round(milliseconds)} ms`);
    if (/"level":"(WARN|ERROR|CRITICAL)"/.test(output)) fail('logged a warning or error for bad input');
    if (Object.values(SECRETS).some((secret) => output.includes(secret))) fail('logged a signing secret');
    if (output.length > 4096) fail(`logged ${output.length} characters for one request`);
    const text = Buffer.from(fuzzCase.body).toString('utf8');
    if (text.length >= 64 && output.includes(text)) fail('logged the whole body');
    return status;
  }

  function restore(): void {
    sfnMock.restore();
    secretsMock.restore();
    Date.now = originalNow;
    process.env = originalEnv;
  }

  return { run, send, restore };
}

const POINTER = /^\/$|^(\/([^~/]|~[01])*)+$/;

/** What is wrong with a response body for its status, if anything. */
function shapeProblem(
  status: number,
  text: string | undefined,
  problem: string | undefined,
  duplicateOrStarted: 'duplicate' | 'started',
): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text ?? '');
  } catch {
    return 'answered a body that is not JSON';
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    return 'answered a body that is not an object';
  const fields = Object.keys(body).sort().join(',');
  const record = body as Record<string, unknown>;
  if (status === 202) {
    if (fields !== 'executionArn,status') return 'answered 202 with other fields';
    if (typeof record.executionArn !== 'string' || !record.executionArn.startsWith(EXECUTION_ARN_PREFIX))
      return 'answered 202 without an execution ARN';
    if (record.status !== duplicateOrStarted)
      return `answered 202 ${String(record.status)}, not ${duplicateOrStarted}`;
    return undefined;
  }
  if (typeof record.message !== 'string' || record.message === '') return 'answered without a message';
  if (status === 400) {
    if (fields !== 'errors,message') return 'answered 400 with other fields';
    const errors: unknown = record.errors;
    if (!Array.isArray(errors) || errors.length === 0) return 'answered 400 without field errors';
    for (const error of errors as unknown[]) {
      const { field, message } = (error ?? {}) as Record<string, unknown>;
      if (typeof field !== 'string' || !POINTER.test(field))
        return `answered 400 with a field that is not a JSON Pointer: ${String(field)}`;
      if (typeof message !== 'string' || message === '') return 'answered 400 with an empty field message';
    }
    return undefined;
  }
  if (fields !== 'message') return `answered ${status} with other fields`;
  if (status === 401 && !record.message.startsWith(`${problem} Onboarding-Signature`))
    return `answered 401 without saying ${problem}`;
  return undefined;
}

/** The property both runs check: every generated case keeps every invariant. */
export function webhookProperty(
  fuzzer: ReturnType<typeof createWebhookFuzzer>,
  onAnswer: (status: number) => void = () => undefined,
) {
  return fc.asyncProperty(webhookCase, async (fuzzCase) => {
    onAnswer(await fuzzer.run(fuzzCase));
  });
}
