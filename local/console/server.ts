import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { IAMClient } from '@aws-sdk/client-iam';
import { SFNClient } from '@aws-sdk/client-sfn';
import { crossSiteRequest, foreignHost } from '../http';
import { EndedViews } from './endedViews';
import { ExecutionIndex } from './executionIndex';
import { parseExecutionQuery } from './executionQuery';
import { Executions } from './executions';
import { Mailbox } from './mailbox';
import { Users } from './users';

export type ConsoleOptions = {
  /** The onboarding state machine. */
  stateMachineArn: string;
  /** The SES emulator (local stack only): the mailbox page reads its `GET /store`. */
  mailboxUrl?: string;
  /** SDK client settings; none means the default chain (AWS itself). */
  clientConfig?: {
    endpoint?: string;
    region?: string;
    credentials?: { accessKeyId: string; secretAccessKey: string };
  };
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};
const PAGES: Record<string, string> = {
  '/': 'executions.html',
  '/users': 'users.html',
  '/mailbox': 'mailbox.html',
};
/** Pages of one item: /users/<name>, /mailbox/<messageId>. */
const ITEM_PAGES: Record<string, string> = { '/users/': 'user.html', '/mailbox/': 'message.html' };

type Reply = { status: number; body: unknown };

/**
 * The ops console: static pages (plain HTML, CSS and JavaScript from ./static) and the JSON API they
 * call, which calls Step Functions and IAM with the SDK. Only for loopback: requests naming another
 * host are refused, and actions need a same-origin JSON POST.
 */
export function createConsoleServer(options: ConsoleOptions): Server {
  const sfn = new SFNClient({ ...options.clientConfig });
  const iam = new IAMClient({ ...options.clientConfig });
  const views = new EndedViews(sfn);
  const executions = new Executions(sfn, options.stateMachineArn, views);
  const index = new ExecutionIndex(sfn, options.stateMachineArn, views);
  const users = new Users(iam, index, options.stateMachineArn);
  const mailbox = options.mailboxUrl ? new Mailbox(options.mailboxUrl, index) : undefined;
  const staticDir = join(__dirname, 'static');
  const files = new Map(readdirSync(staticDir).map((name) => [name, readFileSync(join(staticDir, name))]));

  const api = async (request: IncomingMessage, path: string, query: URLSearchParams): Promise<Reply> => {
    if (path === '/api/users') return { status: 200, body: { users: await users.list() } };
    const people = await peopleApi(path, query);
    if (people) return people;
    if (path === '/api/executions') {
      const parsed = parseExecutionQuery(query);
      if (parsed.errors) {
        return { status: 400, body: { error: 'ValidationException', message: parsed.errors.join('; ') } };
      }
      return { status: 200, body: await executions.list(parsed.query) };
    }
    const match = /^\/api\/executions\/([^/]+)(?:\/(redrive|stop))?$/.exec(path);
    const [, arn, action] = match ?? [];
    const executionArn = arn === undefined ? undefined : decoded(arn);
    if (executionArn === undefined) return notFound();
    if (action === undefined) return { status: 200, body: await executions.details(executionArn) };
    if (request.method !== 'POST')
      return { status: 405, body: { error: 'MethodNotAllowed', message: 'Use POST' } };
    const result =
      action === 'redrive' ? await executions.redrive(executionArn) : await executions.stop(executionArn);
    return { status: 200, body: result };
  };

  /** /api/users/<name>, /api/mail?q=, /api/mail/<messageId>. */
  const peopleApi = async (path: string, query: URLSearchParams): Promise<Reply | undefined> => {
    const [, kind, id] = /^\/api\/(users|mail)(?:\/([^/]+))?$/.exec(path) ?? [];
    const key = id === undefined ? undefined : decoded(id);
    if (kind === 'users' && key !== undefined) return { status: 200, body: await users.show(key) };
    if (kind !== 'mail') return undefined;
    if (!mailbox) return { status: 404, body: { error: 'NotFound', message: 'No mailbox: no SES emulator' } };
    if (id === undefined) return { status: 200, body: { emails: await mailbox.list(query.get('q') ?? '') } };
    const message = key === undefined ? undefined : await mailbox.message(key);
    return message ? { status: 200, body: message } : notFound();
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://console');
    const refusal = refuse(request);
    if (refusal) return send(response, refusal);
    if (url.pathname.startsWith('/api/')) {
      api(request, url.pathname, url.searchParams).then(
        (reply) => send(response, reply),
        (error: unknown) => send(response, awsError(error)),
      );
      return;
    }
    const itemPage = Object.entries(ITEM_PAGES).find(([prefix]) => url.pathname.startsWith(prefix))?.[1];
    const page =
      PAGES[url.pathname] ??
      itemPage ??
      (url.pathname.startsWith('/executions/') ? 'execution.html' : undefined);
    const name = page ?? (url.pathname.startsWith('/static/') ? url.pathname.slice('/static/'.length) : '');
    const file = files.get(name);
    if (!file || request.method !== 'GET') return send(response, notFound());
    response
      .writeHead(200, {
        'content-type': CONTENT_TYPES[extname(name)] ?? 'application/octet-stream',
        ...SECURITY_HEADERS,
      })
      .end(file);
  });
  server.on('close', () => {
    sfn.destroy();
    iam.destroy();
  });
  return server;
}

/** Loopback names only (no DNS rebinding); a POST must be JSON from this origin (no CSRF). */
function refuse(request: IncomingMessage): Reply | undefined {
  const foreign = foreignHost(request);
  if (foreign) return { status: 421, body: { error: 'MisdirectedRequest', message: foreign } };
  if (request.method !== 'POST') return undefined;
  const crossSite = crossSiteRequest(request.headers);
  if (crossSite)
    return { status: crossSite.status, body: { error: 'Forbidden', message: crossSite.message } };
  return undefined;
}

function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function notFound(): Reply {
  return { status: 404, body: { error: 'NotFound', message: 'No such page' } };
}

/** An AWS refusal keeps its status, name and message (what ops need to read); anything else is a 500. */
function awsError(error: unknown): Reply {
  const { name, message, $metadata } = error as Error & { $metadata?: { httpStatusCode?: number } };
  if ($metadata) return { status: $metadata.httpStatusCode ?? 502, body: { error: name, message } };
  console.error('ops console:', error);
  return { status: 500, body: { error: 'InternalError', message: 'The console failed; see its log' } };
}

function send(response: ServerResponse, { status, body }: Reply): void {
  response
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...SECURITY_HEADERS })
    .end(JSON.stringify(body));
}
