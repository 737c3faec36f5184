import { execFile } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { CloudFormationClient, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { ListEmailIdentitiesCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { Faults } from '../../../local/faults';
import { createSesProxy } from '../../../local/ses/sesService';
import { type Stack, startStack } from '../../../local/stack';
import { startServiceServer } from '../support/serviceServer';

const run = promisify(execFile);

const EMULATES =
  'It emulates IAM, STS, Secrets Manager, Step Functions, DynamoDB (CreateTable, DescribeTable, ' +
  'ListTables, DeleteTable, GetItem, PutItem, UpdateItem, DeleteItem, Query, Scan and TransactWriteItems), ' +
  'SES (v1 SendEmail and SendRawEmail; v2 SendEmail, SendBulkEmail and the email templates) and Lambda (Invoke).';
const SES_EMULATES =
  'It emulates SES v1 SendEmail and SendRawEmail; SES v2 SendEmail, SendBulkEmail and the email templates.';

let stack: Stack;
/** A pass-through proxy in front of the stack's AWS endpoint that counts requests (retries show up here). */
let counter: { url: string; requests: number; server: Server };

beforeAll(async () => {
  stack = await startStack({ awsPort: 0, webhookPort: 0, sesPort: 0, consolePort: 0, scheduleScale: 0 });
  const aws = new URL(stack.urls.aws);
  // Byte for byte, Host included: the SigV4 signatures of the emulated services still verify.
  const server = createServer((req, res) => {
    counter.requests += 1;
    const forwarded = request(
      { host: aws.hostname, port: aws.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(forwarded);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  counter = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: 0, server };
});
afterAll(async () => {
  counter.server.closeAllConnections();
  await new Promise((closed) => counter.server.close(closed));
  await stack.stop();
});

describe('requests the local stack does not emulate', () => {
  describe('with the aws CLI', () => {
    const cli = async (args: string[]) => {
      counter.requests = 0;
      const started = Date.now();
      const result = await run('aws', [...args, '--endpoint-url', counter.url, '--region', 'us-east-1'], {
        env: { ...process.env, ...stack.environment },
        timeout: 20_000,
      }).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr.trim() }),
      );
      return { ...result, ms: Date.now() - started, requests: counter.requests };
    };

    it.each([
      {
        command: ['ses', 'list-identities'],
        stderr: `An error occurred (InvalidAction) when calling the ListIdentities operation: The iam-onboarding local stack does not emulate SES ListIdentities. ${SES_EMULATES}`,
      },
      {
        command: ['sesv2', 'list-email-identities'],
        stderr: `An error occurred (UnknownOperationException) when calling the ListEmailIdentities operation: The iam-onboarding local stack does not emulate SES GET /v2/email/identities. ${SES_EMULATES}`,
      },
      {
        command: ['s3', 'ls'],
        stderr: `An error occurred (NotImplemented) when calling the ListBuckets operation: The iam-onboarding local stack does not emulate the s3 service. ${EMULATES}`,
      },
      {
        command: ['lambda', 'list-functions'],
        stderr:
          "An error occurred (UnknownOperationException) when calling the ListFunctions operation: The local stack emulates Lambda's Invoke only (POST /2015-03-31/functions/<name>/invocations), not GET /2015-03-31/functions",
      },
    ])(
      '`aws $command` fails at once, without a retry, naming what is emulated',
      async ({ command, stderr }) => {
        const result = await cli(command);

        expect(result.stderr).toBe(stderr);
        // aws CLI v1 exits 255 on a service error, v2 254.
        expect([254, 255]).toContain(result.code);
        expect(result.requests).toBe(1);
        expect(result.ms).toBeLessThan(5000);
      },
    );
  });

  describe('with the SDK', () => {
    const config = () => ({ ...stack.clientConfig, endpoint: stack.urls.aws, forcePathStyle: true });
    const failure = async (call: Promise<unknown>) => {
      try {
        await call;
      } catch (error) {
        const { name, message, $metadata } = error as Error & {
          $metadata: { httpStatusCode?: number; attempts?: number };
        };
        return { name, message, status: $metadata.httpStatusCode, attempts: $metadata.attempts };
      }
      throw new Error('expected the call to fail');
    };

    it.each([
      {
        service: 'S3',
        call: () => new S3Client(config()).send(new ListBucketsCommand({})),
        name: 'NotImplemented',
        status: 501,
        message: `The iam-onboarding local stack does not emulate the s3 service. ${EMULATES}`,
      },
      {
        service: 'Lambda',
        call: () => new LambdaClient(config()).send(new ListFunctionsCommand({})),
        name: 'UnknownOperationException',
        status: 404,
        message:
          "The local stack emulates Lambda's Invoke only (POST /2015-03-31/functions/<name>/invocations), not GET /2015-03-31/functions",
      },
      {
        service: 'CloudFormation (query)',
        call: () => new CloudFormationClient(config()).send(new ListStacksCommand({})),
        name: 'InvalidAction',
        status: 400,
        message: `The iam-onboarding local stack does not emulate the cloudformation service. ${EMULATES}`,
      },
      {
        service: 'SES v2',
        call: () => new SESv2Client(config()).send(new ListEmailIdentitiesCommand({})),
        name: 'UnknownOperationException',
        status: 404,
        message: `The iam-onboarding local stack does not emulate SES POST /v2/email/list-identities. ${SES_EMULATES}`,
      },
    ])(
      '$service answers $status $name in its own shape, tried once',
      async ({ call, name, status, message }) => {
        expect(await failure(call())).toEqual({ name, status, message, attempts: 1 });
      },
    );
  });

  describe('on the wire', () => {
    const scope = (service: string) => ({
      authorization: `AWS4-HMAC-SHA256 Credential=AKIALOCALADMIN000000/20250101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=00`,
    });
    const form = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
    const answer = async (path: string, init: RequestInit) => {
      const response = await fetch(`${stack.urls.aws}${path}`, init);
      const body = (await response.text()).replace(
        /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g,
        'REQUEST-ID',
      );
      return { status: response.status, type: response.headers.get('content-type'), body, response };
    };

    it('answers S3 with an S3 <Error> document, 501 NotImplemented', async () => {
      const { status, type, body, response } = await answer('/some-bucket?list-type=2', {
        headers: scope('s3'),
      });

      expect({ status, type, body }).toEqual({
        status: 501,
        type: 'application/xml',
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NotImplemented</Code><Message>The iam-onboarding local stack does not emulate the s3 service. ${EMULATES}</Message><Resource>/some-bucket</Resource><RequestId>REQUEST-ID</RequestId></Error>`,
      });
      expect(response.headers.get('x-amz-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it("answers EC2 in EC2's <Response><Errors> shape, 400 InvalidAction", async () => {
      const { status, body } = await answer('/', {
        method: 'POST',
        headers: { ...scope('ec2'), ...form },
        body: 'Action=DescribeInstances&Version=2016-11-15',
      });

      expect({ status, body }).toEqual({
        status: 400,
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>InvalidAction</Code><Message>The iam-onboarding local stack does not emulate the ec2 service. ${EMULATES}</Message></Error></Errors><RequestID>REQUEST-ID</RequestID></Response>`,
      });
    });

    it('answers another query-protocol service with an ErrorResponse in its namespace, 400 InvalidAction', async () => {
      const { status, type, body } = await answer('/', {
        method: 'POST',
        headers: { ...scope('sns'), ...form },
        body: 'Action=ListTopics&Version=2010-03-31',
      });

      expect({ status, type, body }).toEqual({
        status: 400,
        type: 'text/xml',
        body: `<ErrorResponse xmlns="https://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>The iam-onboarding local stack does not emulate the sns service. ${EMULATES}</Message></Error><RequestId>REQUEST-ID</RequestId></ErrorResponse>`,
      });
    });

    it('answers an X-Amz-Target request in AWS JSON with its version, 400 UnknownOperationException', async () => {
      const { status, type, body } = await answer('/', {
        method: 'POST',
        headers: {
          ...scope('sqs'),
          'x-amz-target': 'AmazonSQS.ListQueues',
          'content-type': 'application/x-amz-json-1.0',
        },
        body: '{}',
      });

      expect({ status, type, body: JSON.parse(body) }).toEqual({
        status: 400,
        type: 'application/x-amz-json-1.0',
        body: {
          __type: 'UnknownOperationException',
          message: `The iam-onboarding local stack does not emulate the sqs service. ${EMULATES}`,
        },
      });
    });

    it('answers a signed GET / of no emulated service as REST-JSON, never with the index', async () => {
      const { status, response, body } = await answer('/', { headers: scope('appconfig') });

      expect(status).toBe(404);
      expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
      expect(JSON.parse(body)).toEqual({
        message: `The iam-onboarding local stack does not emulate the appconfig service. ${EMULATES}`,
      });
    });

    it('shows the index to an unsigned GET / (a browser)', async () => {
      const { status, body } = await answer('/', {});

      expect(status).toBe(200);
      expect(JSON.parse(body)).toEqual({
        service: 'iam-onboarding local AWS endpoint',
        emulates: EMULATES.replace(/^It emulates /, '').replace(/\.$/, ''),
        services: ['iam', 'sts', 'secretsmanager', 'states', 'dynamodb', 'ses', 'lambda'],
      });
    });
  });
});

describe('the SES proxy', () => {
  describe('when aws-ses-v2-local does not answer', () => {
    it('answers 503 ServiceUnavailable once its time is up, instead of hanging', async () => {
      const silent = createServer(() => undefined);
      await new Promise<void>((listening) => silent.listen(0, '127.0.0.1', listening));
      const target = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      const proxy = await startServiceServer(
        createSesProxy(target, new Faults(), { accountId: '123456789012', region: 'us-east-1' }, 300),
      );
      try {
        const started = Date.now();
        const response = await fetch(`${proxy.endpoint}/v2/email/outbound-emails`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });

        expect(Date.now() - started).toBeLessThan(2000);
        expect(response.status).toBe(503);
        expect(response.headers.get('x-amzn-errortype')).toBe('ServiceUnavailable');
        expect(await response.json()).toEqual({
          message: `The local SES emulator (aws-ses-v2-local, ${target}) did not answer within 300 ms.`,
        });
      } finally {
        await proxy.close();
        silent.closeAllConnections();
        await new Promise((closed) => silent.close(closed));
      }
    });
  });
});
