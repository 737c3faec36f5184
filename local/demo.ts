import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GetUserCommand, IAMClient, ListGroupsForUserCommand } from '@aws-sdk/client-iam';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { loadExecutionView } from '../cli/executionView/load';
import { sendHrEvent } from '../cli/hrEventSender';
import { ADMIN_CREDENTIALS } from './authz/admin';

/**
 * `npm run demo`: signs and posts the sample hires to the running local stack (`npm start`),
 * follows each execution to its end and prints what it did.
 */
const webhookUrl = process.env.WEBHOOK_URL ?? 'http://127.0.0.1:3000/hires';
const endpoint = process.env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:4566';
const secret = process.env.ONBOARDING_WEBHOOK_SECRET ?? 'local-webhook-secret';
const mailbox = process.env.MAILBOX_URL ?? 'http://127.0.0.1:8005';
const clientConfig = {
  endpoint,
  region: 'us-east-1',
  credentials: ADMIN_CREDENTIALS,
};
const sfn = new SFNClient(clientConfig);
const iam = new IAMClient(clientConfig);
const eventsDir = resolve(__dirname, '../test/fixtures/events');

/** The ops view of the execution once it has ended. */
async function settle(executionArn: string) {
  for (;;) {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (execution.status !== 'RUNNING') return (await loadExecutionView(sfn, executionArn)).view;
    await new Promise((wait) => setTimeout(wait, 200));
  }
}

async function main(): Promise<void> {
  const files = readdirSync(eventsDir).filter((file) => file.endsWith('.json'));
  for (const file of files) {
    const body = readFileSync(join(eventsDir, file), 'utf8');
    const { status, text, json } = await sendHrEvent({ url: webhookUrl, body, secret });
    console.log(`\n${file}: HTTP ${status} ${text}`);
    const executionArn = (json as { executionArn?: unknown } | undefined)?.executionArn;
    if (typeof executionArn !== 'string') continue;
    const execution = await settle(executionArn);
    const tasks = execution.steps.filter((step) => step.type === 'Task' && step.status !== 'RUNNING');
    console.log(`  execution  ${execution.status}  ${executionArn}`);
    console.log(`  steps      ${tasks.map((step) => step.name).join(' -> ')}`);
    if (execution.status !== 'SUCCEEDED') {
      console.log(`  error      ${execution.error}: ${execution.readableCause}`);
      continue;
    }
    const userName = execution.userName;
    if (!userName) continue;
    const { User } = await iam.send(new GetUserCommand({ UserName: userName }));
    const { Groups = [] } = await iam.send(new ListGroupsForUserCommand({ UserName: userName }));
    console.log(`  user       ${User?.Arn}`);
    console.log(`  groups     ${Groups.map((g) => g.GroupName).join(', ')}`);
    console.log(`  boundary   ${User?.PermissionsBoundary?.PermissionsBoundaryArn}`);
  }
  console.log(`\nThe welcome and password emails are in the mailbox: ${mailbox} (JSON: ${mailbox}/store)`);
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  console.error('Is the local stack running? Start it with `npm start` in another terminal.');
  process.exit(1);
});
