import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { DescribeExecutionCommand, ExecutionAlreadyExists, StartExecutionCommand } from '@aws-sdk/client-sfn';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { loadAccessProfiles } from './shared/accessProfiles';
import { loadConfig } from './shared/config';
import { executionArn, executionName } from './shared/executionName';
import { HR_EVENT_TYPES, type HrEvent } from './shared/hrEvent';
import { canonicalJson, parseHrEvent, rawBody } from './shared/hrEventParser';
import { failureResponses, reject, reply, SIGNATURE_PROBLEMS } from './shared/httpResponses';
import { logger } from './shared/logger';
import { handlerOptions } from './shared/middleware';
import { sfn } from './shared/sfnClient';
import { verifySignature } from './shared/signature';
import { loadWebhookSecrets } from './shared/webhookSecrets';
import { describeIfExists, WORKFLOW_MACHINES, WORKFLOWS } from './shared/workflows';

type Request = APIGatewayProxyEventV2;
type Response = APIGatewayProxyStructuredResultV2;

const MAX_BODY_BYTES = 64 * 1024;
const JSON_MEDIA_TYPE = /^application\/json\s*(;\s*charset\s*=\s*("utf-8"|utf-8)\s*)?$/i;

/** POST /hires, the first contract, takes hires only; POST /events takes every type. */
const HIRES_ONLY = ['employee.hired'] as const;

/**
 * POST /events (every event type) and POST /hires (hires only): checks, in this order, size, content
 * type, signature, JSON, the route's types and the schema, department; then starts the event's workflow.
 */
const core = async (request: Request): Promise<Response> => {
  const config = loadConfig(process.env, [...WORKFLOW_MACHINES, 'WEBHOOK_SECRET_ARN', 'ACCOUNT_ID']);
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
  const others = WORKFLOW_MACHINES.filter((machine) => machine !== WORKFLOWS[event.type]).map(
    (m) => config[m],
  );
  return startWorkflow(event, config[WORKFLOWS[event.type]], others);
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

function reused(eventId: string): Response {
  return reject(409, `eventId ${JSON.stringify(eventId)} was already used with a different body`);
}

function accept(arn: string, status: 'started' | 'duplicate'): Response {
  logger.info('Event accepted', { status, executionArn: arn });
  return reply(202, { executionArn: arn, status });
}
