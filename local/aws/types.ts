import type { IncomingHttpHeaders } from 'node:http';
import type { AuthorizationRequest } from '../authz/authorizer';
import type { Principal } from '../authz/principals';

/** The authenticated caller of a request, and the policy check of what it asks for. */
export type Caller = {
  principal: Principal;
  /** Throws the service's AccessDenied error unless every request is allowed. */
  authorize(requests: AuthorizationRequest[]): Promise<void>;
};

/** One request to the local AWS endpoint, already routed to a service by its SigV4 scope. */
export type AwsRequest = {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The principal whose SigV4 signature the endpoint verified. */
  caller: Caller;
};

/** A request before authentication: what the endpoint's own routes (/_local/...) see. */
export type UnauthenticatedRequest = Omit<AwsRequest, 'caller'>;

export type AwsResponse = {
  status: number;
  headers: Record<string, string>;
  body: string;
};

/** An emulated service: takes a routed request, answers in its own wire protocol. */
export type AwsService = (request: AwsRequest) => Promise<AwsResponse>;

/**
 * An AWS error answer. Emulators throw it; each protocol renders it (XML ErrorResponse for the
 * query protocol, `__type` JSON for JSON 1.0/1.1) with the given HTTP status.
 */
export class AwsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Query protocol only: who is at fault. */
    readonly type: 'Sender' | 'Receiver' = status >= 500 ? 'Receiver' : 'Sender',
  ) {
    super(message);
    this.name = 'AwsError';
  }
}
