import type { IncomingHttpHeaders } from 'node:http';

/** One request to the local AWS endpoint, already routed to a service by its SigV4 scope. */
export type AwsRequest = {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
};

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
