import { resolve } from 'node:path';
import { GetUserCommand } from '@aws-sdk/client-iam';
import { startTestStack, type TestStack } from '../e2e/support/testStack';
import { runCli } from './support/runCli';

/** The README's redrive rehearsal (Operations > Redrive), after `npm run demo` sent the sample hires. */
const FIXTURE = resolve(__dirname, '../fixtures/events/engineering-hire.json');
const OUTAGE = { rules: [{ service: 'iam', action: 'CreateUser', code: 'ServiceFailure', count: 100 }] };

let stack: TestStack;
/** Only what the start banner exports, as a newcomer pastes it. */
let exported: Record<string, string>;

beforeAll(async () => {
  stack = await startTestStack();
  exported = stack.shellEnvironment;
});
afterAll(() => stack.close());

const hire = (...args: string[]) =>
  runCli(['--json', 'hire', '--url', `${stack.urls.webhook}/hires`, ...args, FIXTURE], exported);
const answerOf = (stdout: string) =>
  JSON.parse(stdout) as { status: number; body: { executionArn: string; status: string } };

describe('the redrive rehearsal, with the variables the start banner exports', () => {
  it('exports the ops console for links and the webhook secret for hire', () => {
    expect(exported).toEqual({
      AWS_ENDPOINT_URL: stack.urls.aws,
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIALOCALADMIN000000',
      AWS_SECRET_ACCESS_KEY: 'local-admin-secret-key',
      CONSOLE_URL: stack.urls.console,
      ONBOARDING_WEBHOOK_SECRET: 'local-webhook-secret',
    });
  });

  it('fails a rehearsal hire at CreateUser, redrives it to SUCCEEDED, and links it to the local console', async () => {
    // Arrange: the demo already onboarded the sample hire; sent again, it is a duplicate.
    const demo = await hire();
    expect(demo.status).toBe(0);
    await stack.settle(answerOf(demo.stdout).body.executionArn);
    const again = await hire();
    expect(answerOf(again.stdout).body.status).toBe('duplicate');

    // Act: the README's commands.
    await fetch(`${stack.urls.aws}/_local/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(OUTAGE),
    });
    const rehearsal = await hire('--rehearsal');
    const { status, body } = answerOf(rehearsal.stdout);
    const tag = /Rehearsal: sent as eventId evt-2025-0001-r([0-9a-f]{8}), employee E1001-r\1/.exec(
      rehearsal.stderr,
    )?.[1];
    const failed = await stack.settle(body.executionArn, 60_000);
    await fetch(`${stack.urls.aws}/_local/faults`, { method: 'DELETE' });
    const redriven = await runCli(['redrive', '--failed', '--since', '1h', '--yes'], exported);
    const resumed = await stack.settle(body.executionArn, 60_000);
    const shown = await runCli(['executions', 'show', body.executionArn], exported);

    // Assert
    expect({ status, started: body.status, tag: typeof tag }).toEqual({
      status: 202,
      started: 'started',
      tag: 'string',
    });
    expect(failed.status).toBe('FAILED');
    expect(redriven.status).toBe(0);
    expect(redriven.stdout).toMatch(
      /^REDRIVEN {2}Ada Lovelace \(E1001-r[0-9a-f]{8}\) {2}resumes at CreateUser/m,
    );
    expect(resumed.status).toBe('SUCCEEDED');
    const { User } = await stack.iam.send(new GetUserCommand({ UserName: `ada.lovelace-e1001-r${tag}` }));
    expect(User?.Path).toBe('/onboarded/');
    expect(shown.stdout).toContain(
      `${stack.urls.console}/executions/${encodeURIComponent(body.executionArn)}`,
    );
    expect(shown.stdout).not.toContain('console.aws.amazon.com');
  });
});
