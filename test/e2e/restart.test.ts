import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeExecutionCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { expectOnboarded } from './support/expectOnboarded';
import {
  attempts,
  executionHistory,
  invocationsByState,
  redriveAndSettle,
  sinceLastRedrive,
  usersOfEmployee,
  waitFor,
} from './support/inspect';
import { hireEvent, startTestStack, type TestStack } from './support/testStack';

const QUIET = { POWERTOOLS_LOG_LEVEL: 'SILENT' };

let dataDir: string;
const stacks: TestStack[] = [];

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'iam-onboarding-restart-'));
});

afterAll(async () => {
  for (const stack of stacks) await stack.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('local stack restart', () => {
  describe('when the stack stops while an execution is retrying a step', () => {
    it('keeps every execution and user, and the interrupted execution comes back FAILED, redrivable, and redrives to SUCCEEDED', async () => {
      // Real retry waits (1 s x2, full jitter): once a step has failed, the execution stays RUNNING for seconds.
      const first = await startTestStack({ dataDir, retryDelayScale: 1, functionEnvironment: QUIET });
      stacks.push(first);
      const done = hireEvent();
      const doneArn = String((await first.postHire(done)).json.executionArn);
      expect((await first.settle(doneArn)).status).toBe('SUCCEEDED');

      const held = hireEvent();
      first.faults.addRule({ service: 'iam', action: 'AddUserToGroup', code: 'ServiceFailure', count: 100 });
      const accepted = await first.postHire(held);
      expect(accepted).toMatchObject({ status: 202, json: { status: 'started' } });
      const heldArn = String(accepted.json.executionArn);
      await waitFor('a failed EnsureGroups attempt', async () => {
        const tried = attempts(await executionHistory(first.sfn, heldArn));
        return tried.some((a) => a.state === 'EnsureGroups' && a.outcome === 'failed') ? true : undefined;
      });

      // While it is RUNNING, a resend of the same event is the same execution...
      const resend = await first.postHire(held);
      expect(resend).toMatchObject({ status: 202, json: { executionArn: heldArn, status: 'started' } });
      // ...and the same eventId with another body is a conflict.
      const altered = { ...held, employee: { ...held.employee, jobTitle: 'Site Reliability Engineer' } };
      expect((await first.postHire(altered)).status).toBe(409);
      const running = await first.sfn.send(new DescribeExecutionCommand({ executionArn: heldArn }));
      expect(running.status).toBe('RUNNING');

      const doneHistory = await executionHistory(first.sfn, doneArn);
      await first.stop();
      // Like a process exit, stopping ends the running execution at once: nothing of it runs on to
      // call the functions or write to the data folder once another stack owns both.
      const idleAtOnce = await Promise.race([
        first.whenIdle().then(() => true),
        new Promise<false>((resolve) => setImmediate(() => resolve(false))),
      ]);
      expect(idleAtOnce).toBe(true);
      const second = await startTestStack({
        dataDir,
        awsPort: Number(new URL(first.urls.aws).port), // the handlers' SDK clients keep their endpoint
        functionEnvironment: QUIET,
      });
      stacks.push(second);

      const { executions = [] } = await second.sfn.send(
        new ListExecutionsCommand({ stateMachineArn: second.stateMachineArn }),
      );
      expect(executions.map((e) => [e.executionArn, e.status])).toEqual(
        expect.arrayContaining([
          [doneArn, 'SUCCEEDED'],
          [heldArn, 'FAILED'],
        ]),
      );
      const interrupted = await second.sfn.send(new DescribeExecutionCommand({ executionArn: heldArn }));
      expect(interrupted).toMatchObject({
        status: 'FAILED',
        error: 'States.Runtime',
        redriveStatus: 'REDRIVABLE',
      });
      expect(interrupted.cause).toMatch(/stopped while this execution was running.*EnsureGroups/);
      expect(await executionHistory(second.sfn, doneArn)).toEqual(doneHistory);
      expect(await usersOfEmployee(second.iam, done.employee.id)).toHaveLength(1);
      expect(await usersOfEmployee(second.iam, held.employee.id)).toHaveLength(1);
      const before = await executionHistory(second.sfn, heldArn);
      expect(before.at(-1)?.type).toBe('ExecutionFailed');

      const redriven = await redriveAndSettle(second, heldArn);

      expect(redriven).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
      const after = await executionHistory(second.sfn, heldArn);
      expect(after.slice(0, before.length)).toEqual(before);
      expect(invocationsByState(sinceLastRedrive(after))).toEqual({
        EnsureGroups: 1,
        AttachPolicies: 1,
        GeneratePassword: 1,
        NotifyUser: 1,
      });
      await expectOnboarded(second, done);
      await expectOnboarded(second, held);
    });
  });
});
