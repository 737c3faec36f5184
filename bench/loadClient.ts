/**
 * The load generator, run in its own process so it does not share an event loop with the server it
 * measures: `node --import tsx bench/loadClient.ts '<LoadSpec JSON>'` prints one JSON LoadResult.
 */
import autocannon from 'autocannon';
import { signedHeaders } from '../cli/hrEventSender';

export type LoadSpec = {
  url: string;
  connections: number;
  /** Seconds; ignored when `amount` is set. */
  duration: number;
  amount?: number;
  /** The same signed request every time... */
  body?: string;
  headers?: Record<string, string>;
  /** ...or a new event per request, signed with this secret: `template` with `%ID%` replaced. */
  unique?: { secret: string; template: string };
};

export type LoadResult = {
  requests: number;
  durationSeconds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
};

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
  const statusCodes: Record<string, number> = {};
  let sequence = 0;
  const unique = spec.unique;
  const instance = autocannon({
    url: spec.url,
    method: 'POST',
    connections: spec.connections,
    duration: spec.duration,
    amount: spec.amount,
    timeout: 10,
    headers: spec.headers,
    body: spec.body,
    requests: unique
      ? [
          {
            setupRequest: (request: autocannon.Request) => {
              sequence += 1;
              const body = unique.template.replaceAll('%ID%', `${process.pid}x${sequence}`);
              return {
                ...request,
                body,
                headers: { ...request.headers, ...signedHeaders(body, unique.secret) },
              };
            },
          },
        ]
      : undefined,
  });
  instance.on('response', (_client: unknown, statusCode: number) => {
    statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
  });
  const result = await instance;
  const requests = Object.values(statusCodes).reduce((sum, n) => sum + n, 0);
  const output: LoadResult = {
    requests,
    durationSeconds: result.duration,
    requestsPerSecond: requests / result.duration,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.average,
    },
    statusCodes,
    errors: result.errors,
    timeouts: result.timeouts,
  };
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
