import { GetExecutionHistoryCommand, DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { writeFileSync } from 'node:fs';
import { hireEvent, startTestStack } from './e2e/support/testStack';
it('probe', async () => {
  const stack = await startTestStack();
  const ok = await stack.postHire(hireEvent());
  await stack.settle(String(ok.json.executionArn));
  stack.faults.addRule({ service: 'iam', action: 'CreateUser', code: 'ServiceFailure', count: 100 });
  const bad = await stack.postHire(hireEvent());
  await stack.settle(String(bad.json.executionArn));
  stack.faults.clear();
  const perm = await stack.postHire(hireEvent({ employee: { department: 'Engineering', managerEmail: undefined } }));
  await stack.settle(String(perm.json.executionArn));
  const out: Record<string, unknown> = {};
  for (const [k, r] of [['ok', ok], ['bad', bad], ['perm', perm]] as const) {
    const arn = String(r.json.executionArn);
    out[k] = { d: await stack.sfn.send(new DescribeExecutionCommand({ executionArn: arn })), h: await stack.sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 1000 })) };
  }
  writeFileSync('/tmp/probe/out.json', JSON.stringify(out, null, 1));
  await stack.close();
});
