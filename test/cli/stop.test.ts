import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { type Clients, createClients, destroyClients } from '../../cli/awsClients';
import type { Output } from '../../cli/output';
import { stopExecution } from '../../cli/stop';
import { hireEvent, startTestStack, type TestStack } from '../e2e/support/testStack';

// A stack of its own, with real Retry waits (1 s x2, full jitter): once CreateUser is throttled, the
// execution stays RUNNING for seconds. Three faults: it ends by itself if the test fails early.
let stack: TestStack;
let clients: Clients;

beforeAll(async () => {
  stack = await startTestStack({
    retryDelayScale: 1,
    functionEnvironment: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
  });
  clients = createClients();
});

afterAll(async () => {
  destroyClients(clients);
  await stack.close();
});

describe('iam-onboarding stop', () => {
  describe('when the execution is RUNNING', () => {
    it('stops it with the cause: ABORTED, and still redrivable', async () => {
      stack.faults.addRule({ service: 'iam', action: 'CreateUser', code: 'Throttling', count: 3 });
      const { status, json } = await stack.postHire(hireEvent());
      expect(status).toBe(202);
      const executionArn = String(json.executionArn);
      const printed: string[] = [];
      const out: Output = {
        print: (text) => printed.push(text),
        warn: () => undefined,
        json: true,
        color: false,
      };

      const code = await stopExecution(clients, { execution: executionArn, cause: 'wrong department' }, out);

      expect(code).toBe(0);
      expect(JSON.parse(printed.join('\n'))).toMatchObject({ stopped: true, status: 'ABORTED' });
      const execution = await stack.sfn.send(new DescribeExecutionCommand({ executionArn }));
      expect(execution).toMatchObject({
        status: 'ABORTED',
        cause: 'wrong department',
        redriveStatus: 'REDRIVABLE',
      });
    });
  });
});
