import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createHttpApi } from '../../local/httpApi';
import type { LambdaRuntime } from '../../local/lambdaRuntime';
import type { FunctionConfig } from '../../local/serverlessConfig';

const functions: FunctionConfig[] = [
  {
    key: 'webhook',
    handler: 'functions/webhook.handler',
    timeout: 10,
    memorySize: 256,
    environment: {},
    httpApi: [
      { method: 'POST', path: '/hires' },
      { method: 'POST', path: '/events' },
    ],
  },
  {
    key: 'eventStatus',
    handler: 'functions/eventStatus.handler',
    timeout: 10,
    memorySize: 256,
    environment: {},
    httpApi: [{ method: 'GET', path: '/events/{eventId}' }],
  },
  {
    key: 'createUser',
    handler: 'functions/createUser.handler',
    timeout: 20,
    memorySize: 256,
    environment: {},
    httpApi: [],
  },
];

/** A LambdaRuntime whose invocations the test records and answers. */
class FakeRuntime implements LambdaRuntime {
  readonly calls: Array<{ key: string; event: APIGatewayProxyEventV2 }> = [];
  answer: (event: APIGatewayProxyEventV2) => unknown = () => ({ statusCode: 202, body: '' });

  arnOf(key: string): string {
    return `arn:aws:lambda:eu-west-1:123456789012:function:${key}`;
  }

  async invoke(key: string, event: unknown): Promise<unknown> {
    this.calls.push({ key, event: event as APIGatewayProxyEventV2 });
    return this.answer(event as APIGatewayProxyEventV2);
  }

  async recycle(): Promise<void> {}

  async stop(): Promise<void> {}

  get lastEvent(): APIGatewayProxyEventV2 {
    const last = this.calls.at(-1);
    if (!last) throw new Error('the function was not invoked');
    return last.event;
  }
}

type Reply = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer };

describe('createHttpApi', () => {
  let runtime: FakeRuntime;
  let server: Server;
  let port: number;

  /** Sends one request with exactly these header lines (repeats included) and reads the whole answer. */
  const send = (
    method: string,
    path: string,
    options: { headers?: Record<string, string | string[]>; body?: Buffer | string } = {},
  ): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method, path, headers: options.headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(options.body);
    });

  beforeEach(async () => {
    runtime = new FakeRuntime();
    server = createHttpApi(functions, runtime, '123456789012');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
  });

  describe('when a request matches a route', () => {
    it('invokes its function with an API Gateway payload 2.0 event', async () => {
      const body = JSON.stringify({ id: 'E1001', name: 'Zoë' });

      await send('POST', '/hires?source=hr', {
        headers: { 'Content-Type': 'application/json; charset=utf-8', 'X-Trace-Id': 'abc' },
        body,
      });

      expect(runtime.calls.map((call) => call.key)).toEqual(['webhook']);
      const event = runtime.lastEvent;
      expect(event).toMatchObject({
        version: '2.0',
        routeKey: 'POST /hires',
        rawPath: '/hires',
        rawQueryString: 'source=hr',
        queryStringParameters: { source: 'hr' },
        body,
        isBase64Encoded: false,
      });
      expect(event.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(event.headers['x-trace-id']).toBe('abc');
      expect(Object.keys(event.headers).every((name) => name === name.toLowerCase())).toBe(true);
      expect(event.requestContext).toMatchObject({
        accountId: '123456789012',
        routeKey: 'POST /hires',
        stage: '$default',
        http: { method: 'POST', path: '/hires' },
      });
    });

    it('joins a repeated header with a comma', async () => {
      await send('POST', '/hires', {
        headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': ['10.0.0.1', '10.0.0.2'] },
        body: '{}',
      });

      expect(runtime.lastEvent.headers['x-forwarded-for']).toBe('10.0.0.1,10.0.0.2');
    });

    it('passes a JSON body that is not valid UTF-8 as base64, byte for byte', async () => {
      const bytes = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);

      await send('POST', '/hires', { headers: { 'Content-Type': 'application/json' }, body: bytes });

      expect(runtime.lastEvent.isBase64Encoded).toBe(true);
      expect(Buffer.from(runtime.lastEvent.body ?? '', 'base64')).toEqual(bytes);
    });

    it('passes a binary content type as base64 even when the bytes are UTF-8', async () => {
      await send('POST', '/hires', {
        headers: { 'Content-Type': 'application/octet-stream' },
        body: 'plain text',
      });

      expect(runtime.lastEvent.isBase64Encoded).toBe(true);
      expect(runtime.lastEvent.body).toBe(Buffer.from('plain text').toString('base64'));
    });

    it('answers with the status, headers and body of a structured result', async () => {
      runtime.answer = () => ({
        statusCode: 202,
        headers: { 'content-type': 'text/plain', 'x-execution': 'exec-1' },
        body: 'accepted',
      });

      const reply = await send('POST', '/hires', {
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });

      expect(reply.status).toBe(202);
      expect(reply.headers['content-type']).toBe('text/plain');
      expect(reply.headers['x-execution']).toBe('exec-1');
      expect(reply.body.toString('utf8')).toBe('accepted');
    });

    it('decodes a base64 structured result to its bytes', async () => {
      const bytes = Buffer.from([0x00, 0xff, 0x10]);
      runtime.answer = () => ({
        statusCode: 200,
        headers: { 'content-type': 'application/octet-stream' },
        body: bytes.toString('base64'),
        isBase64Encoded: true,
      });

      const reply = await send('POST', '/hires', {
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });

      expect(reply.body).toEqual(bytes);
    });

    it('answers a bare object result as 200 JSON', async () => {
      runtime.answer = () => ({ accepted: true, executionArn: 'arn:1' });

      const reply = await send('POST', '/hires', {
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });

      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toBe('application/json');
      expect(JSON.parse(reply.body.toString('utf8'))).toEqual({ accepted: true, executionArn: 'arn:1' });
    });

    it('answers 500 without internals when the runtime fails', async () => {
      jest.spyOn(console, 'error').mockImplementation(() => undefined);
      runtime.answer = () => {
        throw new Error('secret internals');
      };

      const reply = await send('POST', '/hires', {
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });

      expect(reply.status).toBe(500);
      expect(JSON.parse(reply.body.toString('utf8'))).toEqual({ message: 'Internal Server Error' });
    });
  });

  describe('when a request matches a route with a path parameter', () => {
    it('passes the route template as routeKey and the segment as pathParameters', async () => {
      await send('GET', '/events/evt-2025-0001');

      expect(runtime.calls.map((call) => call.key)).toEqual(['eventStatus']);
      expect(runtime.lastEvent).toMatchObject({
        routeKey: 'GET /events/{eventId}',
        rawPath: '/events/evt-2025-0001',
        rawQueryString: '',
        pathParameters: { eventId: 'evt-2025-0001' },
        requestContext: {
          routeKey: 'GET /events/{eventId}',
          http: { method: 'GET', path: '/events/evt-2025-0001' },
        },
      });
      expect(runtime.lastEvent.body).toBeUndefined();
    });

    it('percent-decodes rawPath and the parameter once, as an HTTP API does', async () => {
      await send('GET', '/events/evt%3A1%2541');

      expect(runtime.lastEvent.rawPath).toBe('/events/evt:1%41');
      expect(runtime.lastEvent.pathParameters).toEqual({ eventId: 'evt:1%41' });
    });

    it('routes on the encoded path, so an encoded slash stays inside the parameter', async () => {
      await send('GET', '/events/a%2Fb');

      expect(runtime.lastEvent.routeKey).toBe('GET /events/{eventId}');
      expect(runtime.lastEvent.pathParameters).toEqual({ eventId: 'a/b' });
    });

    it('leaves a malformed escape as sent', async () => {
      await send('GET', '/events/evt%zz');

      expect(runtime.lastEvent.pathParameters).toEqual({ eventId: 'evt%zz' });
    });

    it('gives a literal route precedence and a route without parameters no pathParameters', async () => {
      await send('POST', '/events', { headers: { 'Content-Type': 'application/json' }, body: '{}' });

      expect(runtime.lastEvent.routeKey).toBe('POST /events');
      expect(runtime.lastEvent.pathParameters).toBeUndefined();
    });
  });

  describe('when no route matches', () => {
    it.each([
      ['POST', '/nowhere'],
      ['GET', '/hires'],
      ['GET', '/events'],
      ['GET', '/events/'],
      ['GET', '/events/a/b'],
      ['POST', '/events/evt-1'],
      ['DELETE', '/events/evt-1'],
    ])('answers %s %s with 404 Not Found without invoking anything', async (method, path) => {
      const reply = await send(method, path);

      expect(reply.status).toBe(404);
      expect(JSON.parse(reply.body.toString('utf8'))).toEqual({ message: 'Not Found' });
      expect(runtime.calls).toEqual([]);
    });
  });
});
