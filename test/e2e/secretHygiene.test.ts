import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeExecutionCommand, paginateListExecutions } from '@aws-sdk/client-sfn';
import type { UnauthenticatedRequest } from '../../local/aws/types';
import type { FaultRule } from '../../local/faults';
import { type CapturedOutput, captureOutput } from './support/captureOutput';
import { executionHistory, passwordIn, redriveAndSettle } from './support/inspect';
import { hireEvent, startTestStack, type TestStack } from './support/testStack';

/** One onboarding of the mix: the faults it runs under and how it must end. */
type Run = {
  name: string;
  rules?: FaultRule[];
  crash?: string;
  /** Retries run out: redrive once the faults are cleared. */
  redrive?: boolean;
  ends: 'SUCCEEDED' | 'FAILED';
};

const RUNS: Run[] = [
  { name: 'clean', ends: 'SUCCEEDED' },
  {
    name: 'generatePassword crashes once: its password is lost, a new one set',
    crash: 'generatePassword',
    ends: 'SUCCEEDED',
  },
  {
    name: 'CreateLoginProfile fails until a redrive: a password per attempt',
    rules: [{ service: 'iam', action: 'CreateLoginProfile', code: 'ServiceFailure', count: 100 }],
    redrive: true,
    ends: 'SUCCEEDED',
  },
  {
    name: 'the password email is throttled twice',
    rules: [{ service: 'ses', action: 'SendEmail', code: 'TooManyRequestsException', count: 2, skip: 1 }],
    ends: 'SUCCEEDED',
  },
  { name: 'notifyUser crashes once after both emails', crash: 'notifyUser', ends: 'SUCCEEDED' },
  {
    name: 'IAM rejects the password for good, after it was stored',
    rules: [{ service: 'iam', action: 'CreateLoginProfile', code: 'PasswordPolicyViolation', count: 1 }],
    ends: 'FAILED',
  },
  {
    name: 'SES rejects the password email for good',
    rules: [{ service: 'ses', action: 'SendEmail', code: 'MessageRejected', count: 1, skip: 1 }],
    ends: 'FAILED',
  },
];

/** The ways a password could be written down: verbatim (also inside JSON), form/URL-encoded, XML-escaped. */
function encodings(password: string): string[] {
  const xml = password.replaceAll('&', '&amp;').replaceAll("'", '&apos;');
  const form = new URLSearchParams({ p: password }).toString().slice(2);
  return [...new Set([password, encodeURIComponent(password), form, xml])];
}

/** The passwords that occur in `text`, in any encoding. */
function found(text: string, candidates: readonly string[]): string[] {
  return candidates.filter((password) => encodings(password).some((encoded) => text.includes(encoded)));
}

/**
 * The passwords a request to the AWS endpoint carries: a secret's value (Secrets Manager, JSON 1.1)
 * or a console password (IAM, query protocol).
 */
function passwordsIn(service: string, request: UnauthenticatedRequest): string[] {
  const body = request.body.toString('utf8');
  if (service === 'secretsmanager') {
    const action = request.headers['x-amz-target'];
    if (action !== 'secretsmanager.CreateSecret' && action !== 'secretsmanager.PutSecretValue') return [];
    const { SecretString } = JSON.parse(body) as { SecretString?: string };
    return SecretString === undefined ? [] : [SecretString];
  }
  if (service === 'iam') {
    const form = new URLSearchParams(body);
    const action = form.get('Action');
    if (action !== 'CreateLoginProfile' && action !== 'UpdateLoginProfile') return [];
    const password = form.get('Password');
    return password === null ? [] : [password];
  }
  return [];
}

let stack: TestStack;
let output: CapturedOutput;
/** Every password a function sent to AWS: each is stored before it is set, so none is missed. */
const sent = new Set<string>();
const executionArns: string[] = [];
const emailed: string[] = [];

beforeAll(async () => {
  output = captureOutput();
  let started = false;
  stack = await startTestStack({
    functionEnvironment: { POWERTOOLS_LOG_LEVEL: 'DEBUG', POWERTOOLS_LOGGER_LOG_EVENT: 'true' },
    // Once started (the stack stores the webhook's signing secret itself), only functions store
    // secrets or set passwords.
    observe: (service, request) => {
      if (started) for (const password of passwordsIn(service, request)) sent.add(password);
    },
  });
  started = true;
  for (const run of RUNS) {
    const event = hireEvent();
    for (const rule of run.rules ?? []) stack.faults.addRule(rule);
    if (run.crash) stack.faults.addCrash({ function: run.crash, count: 1 });
    const executionArn = String((await stack.postHire(event)).json.executionArn);
    let execution = await stack.settle(executionArn);
    if (run.redrive) {
      stack.faults.clear();
      execution = await redriveAndSettle(stack, executionArn);
    }
    stack.faults.clear();
    if (execution.status !== run.ends) throw new Error(`${run.name}: ${execution.status}, not ${run.ends}`);
    executionArns.push(executionArn);
    for (const email of await stack.emailsTo(event.employee.managerEmail))
      emailed.push(passwordIn(email) ?? '');
  }
}, 60_000);

afterAll(async () => {
  output.restore();
  await stack.close();
});

/** Every password generated during the runs, emailed or lost to a crash, a retry or a failure. */
function generated(): string[] {
  return [...sent];
}

describe('secret hygiene', () => {
  describe('after onboardings with throttling, crashes, retries, a redrive and a permanent failure', () => {
    it('knows every generated password, more than were emailed, and finds each emailed one in the mailbox', async () => {
      const successes = RUNS.filter((run) => run.ends === 'SUCCEEDED').length;
      expect(emailed).toHaveLength(successes);
      expect(generated()).toEqual(expect.arrayContaining(emailed));
      expect(generated().length).toBeGreaterThan(emailed.length + 6);
      // The search itself finds what is there.
      const mailbox = JSON.stringify(await (await fetch(`${stack.urls.ses}/store`)).json());
      expect(found(mailbox, generated()).sort()).toEqual([...emailed].sort());
    });

    it('finds no password in any execution history, input, output, error or cause', async () => {
      const pages = paginateListExecutions({ client: stack.sfn }, { stateMachineArn: stack.stateMachineArn });
      const arns: string[] = [];
      for await (const page of pages) for (const e of page.executions ?? []) arns.push(e.executionArn ?? '');
      expect(arns.sort()).toEqual([...executionArns].sort());

      let text = '';
      for (const executionArn of arns) {
        const execution = await stack.sfn.send(new DescribeExecutionCommand({ executionArn }));
        const history = await executionHistory(stack.sfn, executionArn);
        expect(history.length).toBeGreaterThan(10);
        text += JSON.stringify(execution) + JSON.stringify(history);
      }

      expect(text).toContain('LambdaFunctionFailed');
      expect(text).toContain('ExecutionRedriven');
      expect(found(text, generated())).toEqual([]);
    });

    it('finds no password in any log line, at DEBUG with every event logged', () => {
      const logs = output.text();

      expect(logs).toContain('Lambda invocation event');
      expect(logs).toContain('Temporary password stored and set');
      expect(logs).toContain('"message":"Task failed"');
      for (const executionArn of executionArns) expect(logs).toContain(executionArn);
      expect(found(logs, generated())).toEqual([]);
    });

    it('finds no password in any file of the data folder', () => {
      const files = readdirSync(stack.dataDir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => join(entry.parentPath, entry.name));
      const text = files.map((file) => readFileSync(file, 'utf8')).join('\n');

      expect(files.map((file) => file.slice(stack.dataDir.length + 1)).sort()).toEqual(
        expect.arrayContaining(['iam.jsonl', 'secretsmanager.jsonl', 'stepfunctions.jsonl']),
      );
      expect(text).toContain('passwordHash');
      expect(found(text, generated())).toEqual([]);
    });
  });
});
