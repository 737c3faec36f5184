import { randomUUID } from 'node:crypto';
import type { AuthorizationRequest } from '../authz/authorizer';
import { AwsError, type AwsRequest, type AwsResponse } from '../aws/types';
import { sfnErrors } from './errors';

export type JsonObject = Record<string, unknown>;
/** One API action: the parsed request body in, the response body out. */
export type Action = (params: Params) => JsonObject | Promise<JsonObject>;

const TARGET_PREFIX = 'AWSStepFunctions.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';

/** Serves one AWS JSON 1.0 request: `X-Amz-Target: AWSStepFunctions.<Action>`, a JSON body. */
export async function serveJson(
  request: AwsRequest,
  actions: ReadonlyMap<string, Action>,
  authorizations: (action: string, body: JsonObject) => AuthorizationRequest[],
): Promise<AwsResponse> {
  try {
    const target = String(request.headers['x-amz-target'] ?? '');
    const name = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    const action = actions.get(name);
    if (!action) throw sfnErrors.unknownOperation(target);
    const body = parseBody(request.body);
    await request.caller.authorize(authorizations(name, body));
    return respond(200, await action(new Params(body)));
  } catch (error) {
    if (error instanceof AwsError)
      return respond(error.status, { __type: error.code, message: error.message });
    console.error('Step Functions emulator: unexpected error', error);
    return respond(500, { __type: 'InternalFailure', message: 'The request processing has failed.' });
  }
}

function respond(status: number, body: JsonObject): AwsResponse {
  return {
    status,
    headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': randomUUID() },
    body: JSON.stringify(body),
  };
}

function parseBody(body: Buffer): JsonObject {
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw sfnErrors.serialization('The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw sfnErrors.serialization('The request body must be a JSON object.');
  }
  return parsed as JsonObject;
}

/** Typed, validated access to request members, failing the way AWS does. */
export class Params {
  constructor(private readonly body: JsonObject) {}

  string(name: string): string | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw sfnErrors.serialization(`'${name}' must be a string.`);
    return value;
  }

  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined) {
      throw sfnErrors.validation(
        `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`,
      );
    }
    return value;
  }

  boolean(name: string): boolean | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') throw sfnErrors.serialization(`'${name}' must be a boolean.`);
    return value;
  }

  /** `maxResults` as AWS reads it: 0 or absent means the default page size of 100; at most 1000. */
  pageSize(): number {
    const value = this.body.maxResults;
    if (value === undefined || value === null) return 100;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw sfnErrors.serialization("'maxResults' must be an integer.");
    }
    if (value < 0 || value > 1000) {
      const bound = value < 0 ? 'greater than or equal to 0' : 'less than or equal to 1000';
      throw sfnErrors.validation(
        `1 validation error detected: Value '${value}' at 'maxResults' failed to satisfy constraint: Member must have value ${bound}`,
      );
    }
    return value === 0 ? 100 : value;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const value = this.string(name);
    if (value === undefined || (allowed as readonly string[]).includes(value)) return value as T | undefined;
    throw sfnErrors.validation(
      `1 validation error detected: Value '${value}' at '${name}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`,
    );
  }
}

/** AWS JSON protocols send timestamps as epoch seconds with a fraction. */
export function epochSeconds(milliseconds: number): number {
  return milliseconds / 1000;
}

/**
 * One page of `items` (already in their final order). The opaque token names the last item handed
 * out, so a page stays correct when items are added in front between calls.
 */
export function paginate<T>(
  items: readonly T[],
  params: Params,
  keyOf: (item: T) => string,
): { items: T[]; nextToken?: string } {
  const size = params.pageSize();
  const token = params.string('nextToken');
  let start = 0;
  if (token !== undefined) {
    const after = Buffer.from(token, 'base64url').toString('utf8');
    const index = items.findIndex((item) => keyOf(item) === after);
    if (index < 0) throw sfnErrors.invalidToken(token);
    start = index + 1;
  }
  const page = items.slice(start, start + size);
  const last = page.at(-1);
  const more = start + size < items.length && last !== undefined;
  return more
    ? { items: page, nextToken: Buffer.from(keyOf(last), 'utf8').toString('base64url') }
    : { items: page };
}
