import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Faults } from '../faults';
import { AwsError, type AwsRequest, type AwsResponse, type AwsService } from './types';

const SCOPE = /Credential=[^/,\s]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/;
const TARGET_PREFIXES: Record<string, string> = {
  AWSStepFunctions: 'states',
  secretsmanager: 'secretsmanager',
};

/** The AWS service a request is for: SigV4 credential scope, else the X-Amz-Target prefix. */
export function serviceOf(headers: IncomingMessage['headers']): string | undefined {
  const scope = SCOPE.exec(headers.authorization ?? '');
  if (scope?.[1]) return scope[1];
  const target = headers['x-amz-target'];
  const prefix = typeof target === 'string' ? target.split('.')[0] : undefined;
  return prefix ? TARGET_PREFIXES[prefix] : undefined;
}

export type AdminRoute = (request: AwsRequest) => Promise<AwsResponse | undefined>;

/**
 * One HTTP endpoint for every emulated service (like a single AWS_ENDPOINT_URL), plus the local
 * stack's own routes under /_local/ and a short index at GET /.
 */
export function createAwsEndpoint(
  services: Record<string, AwsService>,
  admin: AdminRoute,
  observe?: (service: string, request: AwsRequest) => void,
): Server {
  return createServer((req, res) => {
    readBody(req)
      .then(async (body) => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const request: AwsRequest = {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body,
        };
        const service = serviceOf(req.headers);
        const handle = service ? services[service] : undefined;
        if (service && handle) observe?.(service, request);
        const response = handle ? await handle(request) : await admin(request);
        send(res, response ?? json(404, { message: `No emulated service for ${service ?? 'this request'}` }));
      })
      .catch((error: unknown) => {
        console.error('local endpoint error', error);
        send(res, json(500, { message: 'Internal error in the local stack' }));
      });
  });
}

/** Forwards SES calls to aws-ses-v2-local, after fault injection (SES v2 is REST-JSON). */
export function createSesProxy(target: string, faults: Faults): AwsService {
  return async (request): Promise<AwsResponse> => {
    try {
      faults.check('ses', sesAction(request));
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      return {
        status: error.status,
        headers: { 'content-type': 'application/json', 'x-amzn-errortype': error.code },
        body: JSON.stringify({ message: error.message }),
      };
    }
    const headers = Object.fromEntries(
      Object.entries(request.headers).flatMap(([k, v]) =>
        typeof v === 'string' && k !== 'host' ? [[k, v]] : [],
      ),
    );
    const query = request.query.toString();
    const response = await fetch(`${target}${request.path}${query ? `?${query}` : ''}`, {
      method: request.method,
      headers,
      body: request.method === 'GET' || request.method === 'HEAD' ? undefined : request.body,
    });
    return {
      status: response.status,
      headers: { 'content-type': response.headers.get('content-type') ?? 'application/json' },
      body: await response.text(),
    };
  };
}

function sesAction(request: AwsRequest): string {
  if (request.path === '/v2/email/outbound-emails') return 'SendEmail';
  if (request.path === '/v2/email/outbound-bulk-emails') return 'SendBulkEmail';
  return new URLSearchParams(request.body.toString('utf8')).get('Action') ?? request.path;
}

export function json(status: number, body: unknown): AwsResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, response: AwsResponse): void {
  res.writeHead(response.status, { 'x-amzn-requestid': crypto.randomUUID(), ...response.headers });
  res.end(response.body);
}
