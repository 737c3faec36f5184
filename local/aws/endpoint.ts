import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AuthorizationRequest, Authorizer } from '../authz/authorizer';
import type { Principal, Principals } from '../authz/principals';
import { BodyTooLargeError, foreignHost, readBody } from '../http';
import { authenticationError, deniedError, renderError } from './serviceErrors';
import { SERVICE_PROTOCOLS } from './services';
import { type AuthenticationFailure, signatureOf, verifySigV4 } from './sigv4';
import { AwsError, type AwsResponse, type AwsService, type UnauthenticatedRequest } from './types';
import { unemulatedAnswer } from './unemulated';

const SCOPE = /Credential=[^/,\s]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/;
const TARGET_PREFIXES: Record<string, string> = Object.fromEntries(
  Object.entries(SERVICE_PROTOCOLS).flatMap(([service, wire]) =>
    'targetPrefix' in wire ? [[wire.targetPrefix, service]] : [],
  ),
);

/** The AWS service a request is for: SigV4 credential scope, else the X-Amz-Target prefix. */
export function serviceOf(headers: IncomingMessage['headers']): string | undefined {
  const scope = SCOPE.exec(headers.authorization ?? '');
  if (scope?.[1]) return scope[1];
  const target = headers['x-amz-target'];
  const prefix = typeof target === 'string' ? target.split('.')[0] : undefined;
  return prefix ? TARGET_PREFIXES[prefix] : undefined;
}

const MIB = 1024 * 1024;
/**
 * The largest request body each service takes. Step Functions documents 1 MB per API request; SES v2
 * sends messages of up to 40 MB; Lambda takes a synchronous invocation's payload up to 6 MB (6,291,456 bytes); IAM, STS and Secrets Manager get 1 MiB, far above any valid request
 * (a policy document is at most 10,240 characters, a secret value 65,536 bytes). The local routes too.
 */
const REQUEST_LIMITS: Record<string, number> = { ses: 40 * MIB, lambda: 6 * MIB };
const DEFAULT_REQUEST_LIMIT = MIB;

export type AdminRoute = (request: UnauthenticatedRequest) => Promise<AwsResponse | undefined>;

/** Who may call: the principals by access key, the ops admin, and the policy evaluation of their calls. */
export type EndpointSecurity = { principals: Principals; admin: Principal; authorizer: Authorizer };

/**
 * One HTTP endpoint for every emulated service (like a single AWS_ENDPOINT_URL), plus the local
 * stack's own routes under /_local/ and a short index at an unsigned GET /. A request for any other
 * service or route answers at once in that service's protocol (see unemulatedAnswer). Every service request must be
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
    const refusal = foreignHost(req);
    if (refusal) return send(res, json(421, { message: refusal }));
    const service = serviceOf(req.headers);
    const handle = service ? services[service] : undefined;
    const limit = (service && REQUEST_LIMITS[service]) || DEFAULT_REQUEST_LIMIT;
    readBody(req, limit)
      .then(async (body) => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const request: UnauthenticatedRequest = {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body,
        };
        if (!service || !handle) {
          send(res, (await admin(request)) ?? unemulatedAnswer(service, request));
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
        if (error instanceof BodyTooLargeError) {
          const tooLarge = new AwsError(413, 'RequestEntityTooLargeException', error.message);
          res.setHeader('connection', 'close');
          return send(
            res,
            service && handle ? renderError(service, tooLarge) : json(413, { message: error.message }),
          );
        }
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

export function json(status: number, body: unknown): AwsResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function send(res: ServerResponse, response: AwsResponse): void {
  res.writeHead(response.status, { 'x-amzn-requestid': crypto.randomUUID(), ...response.headers });
  res.end(response.body);
}
