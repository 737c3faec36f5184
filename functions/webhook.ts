import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { DescribeExecutionCommand, ExecutionAlreadyExists, StartExecutionCommand } from '@aws-sdk/client-sfn';
import middy, { type MiddlewareObj } from '@middy/core';
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import schema from '../contracts/hr-event.schema.json';
import { loadAccessProfiles } from './shared/accessProfiles';
import { describeAwsFailure } from './shared/awsErrors';
import { sfn } from './shared/clients';
import { loadConfig } from './shared/config';
import { RetryableError } from './shared/errors';
import { executionArn, executionName } from './shared/executionName';
import type { HireEvent } from './shared/hrEvent';
import { logger } from './shared/logger';
import { SIGNATURE_TOLERANCE_SECONDS, verifySignature } from './shared/signature';
import { loadWebhookSecrets } from './shared/webhookSecrets';

type Request = APIGatewayProxyEventV2;
type Response = APIGatewayProxyStructuredResultV2;
type FieldError = { field: string; message: string };
type Parsed = { hire: HireEvent } | { errors: FieldError[] };

const MAX_BODY_BYTES = 64 * 1024;
const JSON_MEDIA_TYPE = /^application\/json\s*(;\s*charset\s*=\s*("utf-8"|utf-8)\s*)?$/i;
const SIGNATURE_PROBLEMS = {
  missing: 'Missing Onboarding-Signature header',
  invalid: 'Invalid Onboarding-Signature',
  expired: `Expired Onboarding-Signature: its timestamp is more than ${SIGNATURE_TOLERANCE_SECONDS} seconds away`,
} as const;
const RESERVED_KEYS = new Set(['__proto__', 'constructor']);
const RETRY_AFTER_SECONDS = '5';
const validateHire = addFormats(new Ajv({ allErrors: true })).compile<HireEvent>(schema);

/** POST /hires: checks, in this order, size, content type, signature, JSON, schema and department. */
const core = async (request: Request): Promise<Response> => {
  const config = loadConfig(process.env, ['STATE_MACHINE_ARN', 'WEBHOOK_SECRET_ARN', 'ACCOUNT_ID']);
  const body = Buffer.from(request.body ?? '', request.isBase64Encoded ? 'base64' : 'utf8');
  if (body.length > MAX_BODY_BYTES) return reject(413, `Body exceeds ${MAX_BODY_BYTES} bytes`);
  if (!JSON_MEDIA_TYPE.test(request.headers['content-type'] ?? ''))
    return reject(415, 'Content-Type must be application/json');

  const secrets = await loadWebhookSecrets(config.WEBHOOK_SECRET_ARN);
  const now = Math.floor(Date.now() / 1000);
  const signature = verifySignature(body, request.headers['onboarding-signature'], secrets, now);
  if (!signature.valid) return reject(401, SIGNATURE_PROBLEMS[signature.problem]);

  const parsed = parseHire(body, config.ACCOUNT_ID);
  if ('errors' in parsed) return reject(400, 'Invalid HR event', parsed.errors);
  return startOnboarding(parsed.hire, config.STATE_MACHINE_ARN);
};

/** The one place that turns a failure into HTTP: AWS being busy is a 503 to resend, the rest a bare 500. */
const failureResponses: MiddlewareObj<Request, Response> = {
  onError: (request) => {
    const { error } = request;
    if (error instanceof RetryableError || describeAwsFailure(error).transient) {
      logger.warn('AWS is busy, asking the sender to retry', { error });
      request.response = reply(
        503,
        { message: 'Service busy, retry later' },
        { 'retry-after': RETRY_AFTER_SECONDS },
      );
    } else {
      logger.error('Unexpected error', { error });
      request.response = reply(500, { message: 'Internal error' });
    }
  },
};

export const handler = middy(core)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(failureResponses);

/** Starts the onboarding; a resend of the same event answers "duplicate", a reused eventId 409. */
async function startOnboarding(hire: HireEvent, stateMachineArn: string): Promise<Response> {
  const name = executionName(hire.eventId);
  const input = canonicalJson(hire);
  logger.appendKeys({ eventId: hire.eventId, executionName: name });
  const arn = executionArn(stateMachineArn, name);
  try {
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input }));
    return accept(started.executionArn ?? arn, 'started');
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
  }
  const existing = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
  if (existing.input !== undefined && canonicalJson(JSON.parse(existing.input)) === input)
    return accept(arn, 'duplicate');
  return reject(409, `eventId ${JSON.stringify(hire.eventId)} was already used with a different body`);
}

/** The validated event, or every reason it is not one. */
function parseHire(body: Buffer, accountId: string): Parsed {
  const text = utf8(body);
  if (text === undefined) return fieldError('/', 'must be UTF-8 text');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fieldError('/', 'must be valid JSON');
  }
  const keyProblem = ambiguousKey(text);
  if (keyProblem !== undefined) return fieldError('/', keyProblem);
  if (!validateHire(value)) return { errors: fieldErrors(validateHire.errors ?? []) };
  const { department, jobTitle } = value.employee;
  if (!loadAccessProfiles(accountId).find(department, jobTitle))
    return fieldError('/employee/department', 'matches no access profile');
  return { hire: value };
}

function utf8(body: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return undefined;
  }
}

/**
 * Why the keys are ambiguous, if they are: a key repeated in one object (JSON.parse would silently
 * keep the last) or one that could reach a prototype. `json` must be valid JSON: then every `{`, `}`,
 * `[`, `]` outside a string is structure, and a string followed by `:` is a key.
 */
function ambiguousKey(json: string): string | undefined {
  const objects: Array<Set<string> | undefined> = [];
  for (const [token, colon] of json.matchAll(/[{}[\]]|"(?:[^"\\]|\\.)*"\s*(:)?/g)) {
    if (token === '{') objects.push(new Set());
    else if (token === '[') objects.push(undefined);
    else if (token === '}' || token === ']') objects.pop();
    else if (colon !== undefined) {
      const key: string = JSON.parse(token.slice(0, token.lastIndexOf('"') + 1));
      const keys = objects.at(-1);
      if (RESERVED_KEYS.has(key)) return `must not use the key ${JSON.stringify(key)}`;
      if (keys?.has(key)) return `must not repeat the key ${JSON.stringify(key)}`;
      keys?.add(key);
    }
  }
  return undefined;
}

/** One error per problem, as JSON Pointers; the alternatives of an `anyOf` become one error. */
function fieldErrors(errors: readonly ErrorObject[]): FieldError[] {
  const alternatives = errors.filter((e) => /\/anyOf\/\d+\//.test(e.schemaPath));
  return errors
    .filter((e) => !alternatives.includes(e))
    .map((e) => {
      switch (e.keyword) {
        case 'required':
          return { field: `${e.instancePath}/${e.params.missingProperty}`, message: 'is required' };
        case 'additionalProperties':
          return { field: `${e.instancePath}/${e.params.additionalProperty}`, message: 'is not allowed' };
        case 'anyOf': {
          const options = alternatives
            .filter((a) => a.schemaPath.startsWith(`${e.schemaPath}/`))
            .map((a) => a.params.missingProperty ?? a.message);
          return { field: e.instancePath || '/', message: `needs one of: ${options.join(', ')}` };
        }
        default:
          return { field: e.instancePath || '/', message: e.message ?? 'is invalid' };
      }
    });
}

/** JSON with every object's keys sorted, so equal events have byte-equal execution inputs. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

function fieldError(field: string, message: string): Parsed {
  return { errors: [{ field, message }] };
}

function accept(arn: string, status: 'started' | 'duplicate'): Response {
  logger.info('Hire accepted', { status, executionArn: arn });
  return reply(202, { executionArn: arn, status });
}

function reject(statusCode: number, message: string, errors?: FieldError[]): Response {
  logger.info('Request rejected', { statusCode, message, fields: errors?.map((e) => e.field) });
  return reply(statusCode, { message, errors });
}

function reply(statusCode: number, body: object, headers: Record<string, string> = {}): Response {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}
