import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AwsService, Caller } from '../../../local/aws/types';

/**
 * The caller of every request to a served emulator: these tests are about each service's own
 * behaviour, so every call is allowed. Enforcement is tested through the whole stack.
 */
export const TEST_CALLER: Caller = {
  principal: {
    arn: 'arn:aws:iam::123456789012:user/emulator-test',
    principalArn: 'arn:aws:iam::123456789012:user/emulator-test',
    type: 'User',
    userId: 'AIDAEMULATORTEST0000',
    userName: 'emulator-test',
    accountId: '123456789012',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    policies: () => ({ identity: [] }),
  },
  authorize: async () => undefined,
};

/** An emulated service behind a real HTTP server. */
export type ServiceServer = {
  /** `http://127.0.0.1:<port>`, for an SDK client's `endpoint` or for `fetch`. */
  endpoint: string;
  /** Drops open connections (SDK clients keep them alive) and stops the server. */
  close(): Promise<void>;
};

/**
 * Serves `service` on a free loopback port, as the local AWS endpoint does once it has routed a
 * request: the whole body is read, the caller is {@link TEST_CALLER}, and a service that throws
 * answers 500 with the error text.
 */
export async function startServiceServer(service: AwsService): Promise<ServiceServer> {
  const server = createServer(async (req, res) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const response = await service({
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks),
        caller: TEST_CALLER,
      });
      res.writeHead(response.status, response.headers).end(response.body);
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

/** SDK client settings for a served emulator: dummy credentials, and no retries to hide a failure. */
export const clientConfig = (endpoint: string, region: string) => ({
  endpoint,
  region,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
});

/** The error a call fails with, when it is a `type`; fails the test when the call succeeds. */
export async function rejection<E extends Error>(
  call: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
): Promise<E> {
  try {
    await call;
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}
