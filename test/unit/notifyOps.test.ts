import { MessageRejected, SendEmailCommand, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { handler, type NotifyOpsInput } from '../../functions/notifyOps';
import { ses } from '../../functions/shared/sesClient';
import {
  $metadata,
  captureLogs,
  executionArn,
  type LogRecord,
  lambdaContext,
  newHire,
  useEnv,
} from '../support/lambda';

const sesMock = mockClient(ses);
const context = lambdaContext('notifyOps');
const awsLink = `https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${executionArn}`;

const lambdaCause = JSON.stringify({
  errorType: 'PolicyNotFoundError',
  errorMessage:
    'IAM AttachGroupPolicy failed: NoSuchEntity: Policy arn:aws:iam::aws:policy/Nope does not exist',
  trace: [
    'PolicyNotFoundError: IAM AttachGroupPolicy failed',
    '    at ensureGroup (/var/task/ensureGroups.js:1:1)',
  ],
});
const input = (failure: NotifyOpsInput['failure']): NotifyOpsInput => ({
  eventId: 'evt-1',
  type: 'employee.hired',
  executionArn,
  failure,
  employee: newHire,
});
const sentEmail = () => sesMock.commandCalls(SendEmailCommand)[0]?.args[0].input;

useEnv({
  OPS_EMAIL: 'ops@example.com',
  SENDER_EMAIL: 'it@example.com',
  AWS_REGION: 'eu-west-1',
  CONSOLE_URL: '',
});
let logs: LogRecord[];
beforeEach(() => {
  sesMock.reset();
  sesMock.on(SendEmailCommand).resolves({ MessageId: 'message-1' });
  logs = captureLogs();
});
afterEach(() => jest.restoreAllMocks());

describe('notifyOps', () => {
  it('alerts ops with the step, error, readable cause and execution link, and returns them', async () => {
    // Act
    const result = await handler(
      input({ EnsureGroups: { Error: 'PolicyNotFoundError', Cause: lambdaCause } }),
      context,
    );

    // Assert
    expect(result).toEqual({
      step: 'EnsureGroups',
      error: 'PolicyNotFoundError',
      cause: 'IAM AttachGroupPolicy failed: NoSuchEntity: Policy arn:aws:iam::aws:policy/Nope does not exist',
      link: awsLink,
    });
    const email = sentEmail();
    expect(email?.FromEmailAddress).toBe('it@example.com');
    expect(email?.Destination).toEqual({ ToAddresses: ['ops@example.com'] });
    expect(email?.Content?.Simple?.Subject?.Data).toBe(
      'Onboarding of Ada Lovelace (E1001) failed at EnsureGroups',
    );
    const text = email?.Content?.Simple?.Body?.Text?.Data ?? '';
    for (const part of ['Engineering', 'EnsureGroups', 'PolicyNotFoundError', result.cause, awsLink]) {
      expect(text).toContain(part);
    }
    expect(text).not.toContain('/var/task');
  });

  it('links to the local ops console when CONSOLE_URL is set', async () => {
    process.env.CONSOLE_URL = 'http://127.0.0.1:4566/console';
    const result = await handler(
      input({ NotifyUser: { Error: 'MailRejectedError', Cause: lambdaCause } }),
      context,
    );
    expect(result.link).toBe(`http://127.0.0.1:4566/console/executions/${encodeURIComponent(executionArn)}`);
  });

  it('keeps a plain-text cause such as a States.Timeout one', async () => {
    const failure = { CreateUser: { Error: 'States.Timeout', Cause: 'Task timed out after 30.00 seconds' } };
    const result = await handler(input(failure), context);
    expect(result).toMatchObject({
      step: 'CreateUser',
      error: 'States.Timeout',
      cause: 'Task timed out after 30.00 seconds',
    });
  });

  it('uses the error name as the cause when the cause is empty', async () => {
    const result = await handler(
      input({ AttachPolicies: { Error: 'States.TaskFailed', Cause: '' } }),
      context,
    );
    expect(result.cause).toBe('States.TaskFailed');
  });

  it('shortens a long cause to one line of at most 500 characters', async () => {
    const cause = JSON.stringify({ errorType: 'X', errorMessage: `line one\nline two ${'x'.repeat(1000)}` });
    const result = await handler(input({ CreateUser: { Error: 'X', Cause: cause } }), context);
    expect(result.cause).toHaveLength(500);
    expect(result.cause).toMatch(/^line one line two x+…$/);
  });

  it('redacts every email address in the cause it returns, emails and logs', async () => {
    const cause = JSON.stringify({
      errorType: 'MailRejectedError',
      errorMessage:
        'SES SendEmail to ada.lovelace@example.com failed: MessageRejected: boss@corp.example.org is blocked',
    });
    const result = await handler(
      input({ NotifyUser: { Error: 'MailRejectedError', Cause: cause } }),
      context,
    );
    expect(result.cause).toBe(
      'SES SendEmail to a***@example.com failed: MessageRejected: b***@corp.example.org is blocked',
    );
    expect(sentEmail()?.Content?.Simple?.Body?.Text?.Data).toContain(result.cause);
    const logged = JSON.stringify(logs);
    expect(logged).toContain('a***@example.com');
    expect(logged).not.toMatch(/ada\.lovelace@|boss@/);
  });

  it('logs the failure with the execution ARN', async () => {
    await handler(input({ EnsureGroups: { Error: 'PolicyNotFoundError', Cause: lambdaCause } }), context);
    expect(logs.find((line) => line.message === 'Workflow failed')).toMatchObject({
      level: 'ERROR',
      step: 'EnsureGroups',
      error: 'PolicyNotFoundError',
      executionArn,
    });
  });

  it.each([
    {
      code: 'MessageRejected',
      name: 'MailRejectedError',
      error: new MessageRejected({ message: 'no', $metadata }),
    },
    {
      code: 'TooManyRequests',
      name: 'MailServiceError',
      error: new TooManyRequestsException({ message: 'slow', $metadata: { httpStatusCode: 429 } }),
    },
  ])('maps SES $code to $name', async ({ error, name }) => {
    sesMock.on(SendEmailCommand).rejects(error);
    const run = handler(input({ CreateUser: { Error: 'X', Cause: 'y' } }), context);
    await expect(run).rejects.toMatchObject({ name, cause: error });
  });
});
