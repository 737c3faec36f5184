import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { loadConfig } from './shared/config';
import { eventIdProblem } from './shared/eventId';
import { executionArn, executionName } from './shared/executionName';
import { type EventStatus, eventStatus } from './shared/executionStatus';
import { HR_EVENT_TYPES, type HrEventType } from './shared/hrEvent';
import type { FieldError } from './shared/hrEventParser';
import { failureResponses, reject, reply, SIGNATURE_PROBLEMS } from './shared/httpResponses';
import { accountSignInUrl } from './shared/iam';
import { logger } from './shared/logger';
import { handlerOptions } from './shared/middleware';
import { sfn } from './shared/sfnClient';
import { verifyRequestSignature } from './shared/signature';
import { loadWebhookSecrets } from './shared/webhookSecrets';
import { describeIfExists, WORKFLOW_MACHINES, WORKFLOWS } from './shared/workflows';

type Request = APIGatewayProxyEventV2;
type Response = APIGatewayProxyStructuredResultV2;

const SIGN_IN_URL_CACHE_MILLISECONDS = 5 * 60 * 1000;
const signInUrls = new Map<string, { url: string; expiresAt: number }>();

/**
 * GET /events/{eventId}: checks the signature over method and path, then that the request has no
 * query string and no body and that the eventId obeys the schema; then answers the status of that
 * event's execution, whichever of the three workflows ran it.
 */
const core = async (request: Request): Promise<Response> => {
  const config = loadConfig(process.env, [...WORKFLOW_MACHINES, 'WEBHOOK_SECRET_ARN', 'ACCOUNT_ID']);
  const secrets = await loadWebhookSecrets(config.WEBHOOK_SECRET_ARN);
  const { method } = request.requestContext.http;
  const header = request.headers['onboarding-signature'];
  const now = Math.floor(Date.now() / 1000);
  const signature = verifyRequestSignature(method, request.rawPath, header, secrets, now);
  if (!signature.valid) return reject(401, SIGNATURE_PROBLEMS[signature.problem]);
  const parsed = parseRequest(request);
  if ('errors' in parsed) return reject(400, 'Invalid request', parsed.errors);

  const { eventId } = parsed;
  const name = executionName(eventId);
  logger.appendKeys({ eventId, executionName: name });
  const found = await Promise.all(
    HR_EVENT_TYPES.map(async (type) => {
      const arn = executionArn(config[WORKFLOWS[type]], name);
      return { type, arn, execution: await describeIfExists(arn) };
    }),
  );
  const match = found.find((candidate) => candidate.execution !== undefined);
  if (match?.execution === undefined) return reject(404, 'No HR event with this eventId');
  const { type, arn, execution } = match;
  const waiting = type === 'employee.terminated' && execution.status === 'RUNNING' && (await inWait(arn));
  const status: EventStatus = eventStatus(eventId, type, execution, waiting);
  if (status.status === 'succeeded' && signsIn(type)) status.signInUrl = await signInUrl(config.ACCOUNT_ID);
  logger.info('Event status', { status: status.status, type });
  return reply(200, status);
};

export const handler = middy(core, handlerOptions)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(failureResponses);

/**
 * The eventId of the path as API Gateway passes it (`pathParameters`, percent-decoded once by the
 * HTTP API); or every reason the request is not one this route takes.
 */
function parseRequest(request: Request): { eventId: string } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (request.rawQueryString !== '')
    errors.push({ field: 'query', message: 'must be empty: this route takes no query string' });
  if ((request.body ?? '') !== '') errors.push({ field: 'body', message: 'must be empty on GET' });
  const eventId = request.pathParameters?.eventId ?? '';
  const problem = eventIdProblem(eventId);
  if (problem !== undefined) errors.push({ field: 'eventId', message: problem });
  return errors.length > 0 ? { errors } : { eventId };
}

/** Whether the execution's latest event entered a Wait state (one history event, without its data). */
async function inWait(arn: string): Promise<boolean> {
  const { events = [] } = await sfn.send(
    new GetExecutionHistoryCommand({
      executionArn: arn,
      reverseOrder: true,
      maxResults: 1,
      includeExecutionData: false,
    }),
  );
  return events[0]?.type === 'WaitStateEntered';
}

/** A hire's user and a mover's sign in; a leaver's user is deleted. */
function signsIn(type: HrEventType): boolean {
  return type !== 'employee.terminated';
}

/** The account's sign-in URL, cached per container for five minutes (IAM's request rate is account-wide). */
async function signInUrl(accountId: string): Promise<string> {
  const cached = signInUrls.get(accountId);
  if (cached !== undefined && cached.expiresAt > Date.now()) return cached.url;
  const url = await accountSignInUrl(accountId);
  signInUrls.set(accountId, { url, expiresAt: Date.now() + SIGN_IN_URL_CACHE_MILLISECONDS });
  return url;
}
