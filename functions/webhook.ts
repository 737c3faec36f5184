import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { loadAccessProfiles } from './shared/accessProfiles';
import { describeAwsFailure } from './shared/awsErrors';
import { loadConfig } from './shared/config';
import { RetryableError } from './shared/errors';
import { executionArn, executionName } from './shared/executionName';
import { HR_EVENT_TYPES, type HrEvent, type HrEventType } from './shared/hrEvent';
import { canonicalJson, type FieldError, parseHrEvent, rawBody } from './shared/hrEventParser';
import { logger } from './shared/logger';
import { handlerOptions } from './shared/middleware';
import { sfn } from './shared/sfnClient';
import { SIGNATURE_TOLERANCE_SECONDS, verifySignature } from './shared/signature';
import { loadWebhookSecrets } from './shared/webhookSecrets';

type Request = APIGatewayProxyEventV2;
type Response = APIGatewayProxyStructuredResultV2;

const MAX_BODY_BYTES = 64 * 1024;
const JSON_MEDIA_TYPE = /^application\/json\s*(;\s*charset\s*=\s*("utf-8"|utf-8)\s*)?$/i;
const SIGNATURE_PROBLEMS = {
  missing: 'Missing Onboarding-Signature header',
  invalid: 'Invalid Onboarding-Signature',
  expired: `Expired Onboarding-Signature: its timestamp is more than ${SIGNATURE_TOLERANCE_SECONDS} seconds away`,
} as const;
const RETRY_AFTER_SECONDS = '5';

/** The workflow each event type starts: its state machine's variable. */
const WORKFLOWS = {
  'employee.hired': 'STATE_MACHINE_ARN',
  'employee.updated': 'MOVER_STATE_MACHINE_ARN',
  'employee.terminated': 'LEAVER_STATE_MACHINE_ARN',
} as const satisfies Record<HrEventType, string>;
const MACHINES = Object.values(WORKFLOWS);
/** POST /hires, the first contract, takes hires only; POST /events takes every type. */
const HIRES_ONLY = ['employee.hired'] as const;

/**
 * POST /events (every event type) and POST /hires (hires only): checks, in this order, size, content
 * type, signature, JSON, the route's types and the schema, department; then starts the event's workflow.
 */
const core = async (request: Request): Promise<Response> => {
  const config = loadConfig(process.env, [...MACHINES, 'WEBHOOK_SECRET_ARN', 'ACCOUNT_ID']);
  const body = rawBody(request.body, request.isBase64Encoded);
  if (body.length > MAX_BODY_BYTES) return reject(413, `Body exceeds ${MAX_BODY_BYTES} bytes`);
  if (!JSON_MEDIA_TYPE.test(request.headers['content-type'] ?? ''))
    return reject(415, 'Content-Type must be application/json');

  const secrets = await loadWebhookSecrets(config.WEBHOOK_SECRET_ARN);
  const now = Math.floor(Date.now() / 1000);
  const signature = verifySignature(body, request.headers['onboarding-signature'], secrets, now);
  if (!signature.valid) return reject(401, SIGNATURE_PROBLEMS[signature.problem]);

  const parsed = parseHrEvent(body, request.routeKey === 'POST /hires' ? HIRES_ONLY : HR_EVENT_TYPES);
  if ('errors' in parsed) return reject(400, 'Invalid HR event', parsed.errors);
  const { event } = parsed;
  if (event.type !== 'employee.terminated') {
    const { department, jobTitle } = event.employee;
    if (!loadAccessProfiles(config.ACCOUNT_ID).find(department, jobTitle))
      return reject(400, 'Invalid HR event', [
        { field: '/employee/department', message: 'matches no access profile' },
      ]);
  }
  const others = MACHINES.filter((machine) => machine !== WORKFLOWS[event.type]).map((m) => config[m]);
  return startWorkflow(event, config[WORKFLOWS[event.type]], others);
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

export const handler = middy(core, handlerOptions)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(failureResponses);

/**
 * Starts the event's workflow; a resend of the same event answers "duplicate", a reused eventId 409.
 * Execution names are unique per state machine only, so the other workflows are asked first whether
 * they ran this eventId (an event of another type): one eventId, one event, whatever its type.
 */
async function startWorkflow(
  event: HrEvent,
  stateMachineArn: string,
  otherStateMachineArns: readonly string[],
): Promise<Response> {
  const name = executionName(event.eventId);
  const input = canonicalJson(event);
  logger.appendKeys({ eventId: event.eventId, executionName: name, type: event.type });
  const arn = executionArn(stateMachineArn, name);
  const elsewhere = await Promise.all(
    otherStateMachineArns.map((other) => describeIfExists(executionArn(other, name))),
  );
  if (elsewhere.some((execution) => execution !== undefined)) return reused(event.eventId);
  try {
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input }));
    return accept(started.executionArn ?? arn, 'started');
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
  }
  const existing = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
  if (existing.input !== undefined && canonicalJson(JSON.parse(existing.input)) === input)
    return accept(arn, 'duplicate');
  return reused(event.eventId);
}

async function describeIfExists(arn: string): Promise<DescribeExecutionCommandOutput | undefined> {
  try {
    return await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
  } catch (error) {
    if (error instanceof ExecutionDoesNotExist) return undefined;
    throw error;
  }
}

function reused(eventId: string): Response {
  return reject(409, `eventId ${JSON.stringify(eventId)} was already used with a different body`);
}

function accept(arn: string, status: 'started' | 'duplicate'): Response {
  logger.info('Event accepted', { status, executionArn: arn });
  return reply(202, { executionArn: arn, status });
}

/** Logs why (`message` is a reserved logger key) and at most 10 fields, each cut short: never the body. */
function reject(statusCode: number, message: string, errors?: FieldError[]): Response {
  const fields = errors?.slice(0, 10).map((e) => e.field.slice(0, 100));
  logger.info('Request rejected', { statusCode, reason: message, fields, errorCount: errors?.length });
  return reply(statusCode, { message, errors });
}

function reply(statusCode: number, body: object, headers: Record<string, string> = {}): Response {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}
