import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { BodyTooLargeError, foreignHost, readBody } from './http';
import type { LambdaRuntime } from './lambdaRuntime';
import type { FunctionConfig } from './serverlessConfig';

const PAYLOAD_LIMIT = 10 * 1024 * 1024; // API Gateway's request size limit
const TEXT_TYPES = /^(text\/|application\/(json|xml|x-www-form-urlencoded|[\w.+-]+\+(json|xml)))/i;

type Route = { routeKey: string; method: string; segments: string[]; functionKey: string };
type Match = { route: Route; pathParameters?: Record<string, string> };

/**
 * An API Gateway HTTP API built from the functions' `httpApi` events: each route invokes its
 * function with the payload format 2.0 event, and the result is turned into the HTTP answer. A
 * route's `{name}` segment matches one non-empty path segment (a literal route wins over it, as in
 * API Gateway); `{proxy+}` and `ANY` are not emulated. A request no route matches, another method on
 * a route's path included, is API Gateway's 404 `{"message":"Not Found"}`.
 */
export function createHttpApi(
  functions: FunctionConfig[],
  runtime: LambdaRuntime,
  accountId: string,
): Server {
  const routes: Route[] = functions.flatMap((fn) =>
    fn.httpApi.map((event) => ({
      routeKey: `${event.method} ${event.path}`,
      method: event.method,
      segments: event.path.split('/'),
      functionKey: fn.key,
    })),
  );

  return createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('local HTTP API error', error);
      reply(res, { statusCode: 500, body: JSON.stringify({ message: 'Internal Server Error' }) });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refusal = foreignHost(req);
    if (refusal) return reply(res, { statusCode: 421, body: JSON.stringify({ message: refusal }) });
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = matchRoute(routes, req.method ?? 'GET', url.pathname);
    if (!match) return reply(res, { statusCode: 404, body: JSON.stringify({ message: 'Not Found' }) });
    let body: Buffer;
    try {
      body = await readBody(req, PAYLOAD_LIMIT);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      res.setHeader('connection', 'close');
      return reply(res, { statusCode: 413, body: JSON.stringify({ message: 'Request Entity Too Large' }) });
    }
    const result = await runtime.invoke(match.route.functionKey, toEvent(req, url, match, body, accountId));
    reply(res, toResult(result));
  }
}

/** The route for a request: a literal match first, else the first whose `{name}` segments fit. */
function matchRoute(routes: readonly Route[], method: string, pathname: string): Match | undefined {
  const segments = pathname.split('/');
  const candidates = routes.filter(
    (route) => route.method === method && route.segments.length === segments.length,
  );
  const literal = candidates.find((route) => route.segments.every((part, i) => part === segments[i]));
  if (literal) return { route: literal };
  for (const route of candidates) {
    const pathParameters: Record<string, string> = {};
    const fits = route.segments.every((part, i) => {
      const segment = segments[i] ?? '';
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      if (name === undefined) return part === segment;
      pathParameters[name] = decodePath(segment);
      return segment !== '';
    });
    if (fits) return { route, pathParameters };
  }
  return undefined;
}

/**
 * A path as an HTTP API hands it to Lambda: percent-decoded (`rawPath` and `pathParameters` alike,
 * as captures of API Gateway's HTTP APIs show, unlike REST APIs and function URLs). Routing happens
 * before, on the encoded path, so `%2F` stays inside its segment. A malformed escape is left as sent.
 */
function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function toEvent(
  req: IncomingMessage,
  url: URL,
  { route, pathParameters }: Match,
  body: Buffer,
  accountId: string,
): APIGatewayProxyEventV2 {
  const { routeKey } = route;
  const path = decodePath(url.pathname);
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
    rawPath: path,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
    ...(pathParameters && { pathParameters }),
    requestContext: {
      accountId,
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: req.method ?? 'GET',
        path,
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
