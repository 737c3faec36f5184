import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { readBody } from './http';
import type { LambdaRuntime } from './lambdaRuntime';
import type { FunctionConfig } from './serverlessConfig';

const PAYLOAD_LIMIT = 10 * 1024 * 1024; // API Gateway's request size limit
const TEXT_TYPES = /^(text\/|application\/(json|xml|x-www-form-urlencoded|[\w.+-]+\+(json|xml)))/i;

/**
 * An API Gateway HTTP API built from the functions' `httpApi` events: each route invokes its
 * function with the payload format 2.0 event, and the result is turned into the HTTP answer.
 */
export function createHttpApi(
  functions: FunctionConfig[],
  runtime: LambdaRuntime,
  accountId: string,
): Server {
  const routes = new Map<string, string>();
  for (const fn of functions)
    for (const event of fn.httpApi) routes.set(`${event.method} ${event.path}`, fn.key);

  return createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('local HTTP API error', error);
      reply(res, { statusCode: 500, body: JSON.stringify({ message: 'Internal Server Error' }) });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const routeKey = `${req.method ?? 'GET'} ${url.pathname}`;
    const functionKey = routes.get(routeKey);
    if (!functionKey) return reply(res, { statusCode: 404, body: JSON.stringify({ message: 'Not Found' }) });
    const body = await readBody(req);
    if (body.length > PAYLOAD_LIMIT) {
      return reply(res, { statusCode: 413, body: JSON.stringify({ message: 'Request Entity Too Large' }) });
    }
    const result = await runtime.invoke(functionKey, toEvent(req, url, routeKey, body, accountId));
    reply(res, toResult(result));
  }
}

function toEvent(
  req: IncomingMessage,
  url: URL,
  routeKey: string,
  body: Buffer,
  accountId: string,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = (req.rawHeaders[i] ?? '').toLowerCase();
    const value = req.rawHeaders[i + 1] ?? '';
    // API Gateway joins repeated headers with commas.
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  // A body goes as text only when it is text and valid UTF-8; anything else is base64, byte-exact.
  const isText = TEXT_TYPES.test(headers['content-type'] ?? '') && isUtf8(body);
  const now = new Date();
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
    requestContext: {
      accountId,
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: body.length === 0 ? undefined : isText ? body.toString('utf8') : body.toString('base64'),
    isBase64Encoded: body.length > 0 && !isText,
  };
}

/** API Gateway's rules for payload 2.0 results: a bare value means 200 with it as JSON. */
function toResult(result: unknown): APIGatewayProxyStructuredResultV2 {
  if (result && typeof result === 'object' && 'statusCode' in result)
    return result as APIGatewayProxyStructuredResultV2;
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(result) };
}

function reply(res: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const body =
    result.body === undefined ? '' : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  res.writeHead(result.statusCode ?? 200, {
    'content-type': 'application/json',
    ...(result.headers as Record<string, string> | undefined),
    'apigw-requestid': randomUUID(),
  });
  res.end(body);
}
