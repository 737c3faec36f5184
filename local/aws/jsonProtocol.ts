import { randomUUID } from 'node:crypto';
import { AwsError, type AwsRequest, type AwsResponse } from './types';

export type JsonObject = Record<string, unknown>;

/** AWS JSON 1.0 and 1.1 differ only in the content type; each service names its actions after its own target prefix. */
export type JsonProtocol = { readonly version: '1.0' | '1.1'; readonly targetPrefix: string };

/** The `X-Amz-Target` header as sent, or '' without one. */
export function targetOf(request: Pick<AwsRequest, 'headers'>): string {
  return String(request.headers['x-amz-target'] ?? '');
}

/** The action `X-Amz-Target: <prefix>.<Action>` names, or undefined for another prefix or none. */
export function targetAction(
  request: Pick<AwsRequest, 'headers'>,
  protocol: JsonProtocol,
): string | undefined {
  const target = targetOf(request);
  const prefix = `${protocol.targetPrefix}.`;
  return target.startsWith(prefix) ? target.slice(prefix.length) : undefined;
}

/** The request body as a JSON object (an empty body is `{}`); anything else is a SerializationException. */
export function parseJsonBody(body: Buffer): JsonObject {
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AwsError(400, 'SerializationException', 'The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AwsError(400, 'SerializationException', 'The request body must be a JSON object.');
  }
  return parsed as JsonObject;
}

export function jsonResponse(
  protocol: Pick<JsonProtocol, 'version'>,
  status: number,
  body: JsonObject,
  requestId: string = randomUUID(),
): AwsResponse {
  return {
    status,
    headers: { 'content-type': `application/x-amz-json-${protocol.version}`, 'x-amzn-requestid': requestId },
    body: JSON.stringify(body),
  };
}

/** An error answer: `{"__type": code, "message": ...}` with the error's HTTP status. */
export function jsonError(
  protocol: Pick<JsonProtocol, 'version'>,
  error: AwsError,
  requestId?: string,
): AwsResponse {
  return jsonResponse(protocol, error.status, { __type: error.code, message: error.message }, requestId);
}

/**
 * Serves one JSON-protocol request: `serve` gets the action the target names (undefined for none)
 * and returns the response body; an AwsError it throws is that error's answer, anything else is the
 * service's `internalError` (logged when `log` is given).
 */
export async function serveJson(
  request: AwsRequest,
  protocol: JsonProtocol,
  serve: (action: string | undefined) => Promise<JsonObject>,
  unexpected: { error: AwsError; log?: string },
): Promise<AwsResponse> {
  try {
    return jsonResponse(protocol, 200, await serve(targetAction(request, protocol)));
  } catch (error) {
    if (error instanceof AwsError) return jsonError(protocol, error);
    if (unexpected.log !== undefined) console.error(unexpected.log, error);
    return jsonError(protocol, unexpected.error);
  }
}
