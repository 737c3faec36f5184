import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AuthorizationRequest, Authorizer } from '../authz/authorizer';
import type { Principal, Principals } from '../authz/principals';
import type { Faults } from '../faults';
import { authenticationError, deniedError, renderError } from './serviceErrors';
import { type AuthenticationFailure, signatureOf, verifySigV4 } from './sigv4';
import {
  AwsError,
  type AwsRequest,
  type AwsResponse,
  type AwsService,
  type UnauthenticatedRequest,
} from './types';

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

export type AdminRoute = (request: UnauthenticatedRequest) => Promise<AwsResponse | undefined>;

/** Who may call: the principals by access key, the ops admin, and the policy evaluation of their calls. */
export type EndpointSecurity = { principals: Principals; admin: Principal; authorizer: Authorizer };

/**
 * One HTTP endpoint for every emulated service (like a single AWS_ENDPOINT_URL), plus the local
 * stack's own routes under /_local/ and a short index at GET /. Every service request must be
 * SigV4-signed by a known principal; the service then authorizes each action through
 * `request.caller`, as AWS evaluates the caller's policies.
 */
export function createAwsEndpoint(
  services: Record<string, AwsService>,
  admin: AdminRoute,
  security: EndpointSecurity,
  observe?: (service: string, request: UnauthenticatedRequest) => void,
): Server {
  return createServer((req, res) => {
    readBody(req)
      .then(async (body) => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const request: UnauthenticatedRequest = {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body,
        };
        const service = serviceOf(req.headers);
        const handle = service ? services[service] : undefined;
        if (!service || !handle) {
          const response = await admin(request);
          send(
            res,
            response ?? json(404, { message: `No emulated service for ${service ?? 'this request'}` }),
          );
          return;
        }
        observe?.(service, request);
        const principal = await authenticate(request, security);
        if ('kind' in principal) {
          send(res, renderError(service, authenticationError(service, principal)));
          return;
        }
        const caller = {
          principal,
          async authorize(requests: AuthorizationRequest[]) {
            const denied = await security.authorizer.deniedMessage(principal, requests);
            if (denied) throw deniedError(service, denied);
          },
        };
        send(res, await handle({ ...request, caller }));
      })
      .catch((error: unknown) => {
        console.error('local endpoint error', error);
        send(res, json(500, { message: 'Internal error in the local stack' }));
      });
  });
}

/**
 * The caller whose signature verifies, or why none does. With IAM `off`, the caller is whoever the
 * access key names (the admin when it names no one), unverified.
 */
async function authenticate(
  request: UnauthenticatedRequest,
  { principals, authorizer, admin }: EndpointSecurity,
): Promise<Principal | AuthenticationFailure> {
  if (authorizer.mode === 'off') return principals.find(signatureOf(request)?.accessKeyId ?? '') ?? admin;
  return verifySigV4(request, (key) => principals.find(key));
}

/** Forwards SES calls to aws-ses-v2-local, after fault injection (SES v2 is REST-JSON). */
export function createSesProxy(
  target: string,
  faults: Faults,
  account: { accountId: string; region: string },
): AwsService {
  return async (request): Promise<AwsResponse> => {
    try {
      faults.check('ses', sesAction(request));
      await request.caller.authorize(sesAuthorizations(request, account));
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      return renderError('ses', error);
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

/**
 * SendEmail is authorized on the sending identity (here the From address's domain, the identity the
 * deployment verifies) with the From address and every recipient as condition keys.
 */
function sesAuthorizations(
  request: AwsRequest,
  { accountId, region }: { accountId: string; region: string },
): AuthorizationRequest[] {
  const name = sesAction(request);
  // Operations SES does not have are answered by the SES emulator, as AWS answers them.
  if (!/^[A-Za-z]+$/.test(name)) return [];
  const action = `ses:${name}`;
  if (action !== 'ses:SendEmail') return [{ action, resource: '*' }];
  let input: {
    FromEmailAddress?: unknown;
    Destination?: { ToAddresses?: unknown; CcAddresses?: unknown; BccAddresses?: unknown };
  } = {};
  try {
    input = JSON.parse(request.body.toString('utf8')) as typeof input;
  } catch {
    // SES answers the malformed body itself.
  }
  const from = typeof input.FromEmailAddress === 'string' ? input.FromEmailAddress : '';
  const address = /<([^>]*)>\s*$/.exec(from)?.[1] ?? from.trim();
  const displayName = from.includes('<') ? from.slice(0, from.indexOf('<')).trim().replace(/^"|"$/g, '') : '';
  const recipients = ['ToAddresses', 'CcAddresses', 'BccAddresses'].flatMap((field) => {
    const list = input.Destination?.[field as keyof NonNullable<typeof input.Destination>];
    return Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string') : [];
  });
  const domain = address.slice(address.lastIndexOf('@') + 1);
  return [
    {
      action,
      resource: `arn:aws:ses:${region}:${accountId}:identity/${domain}`,
      keys: {
        'ses:ApiVersion': '2',
        'ses:FromAddress': address,
        'ses:Recipients': recipients,
        ...(displayName ? { 'ses:FromDisplayName': displayName } : {}),
      },
    },
  ];
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
