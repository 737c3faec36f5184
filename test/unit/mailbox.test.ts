import { linkEmail, mailReferences, matches, type StoredEmail } from '../../local/console/mailbox';
import type { ExecutionRef } from '../../local/console/userLifecycle';

const ARN = 'arn:aws:states:us-east-1:000000000000:execution:iam-onboarding-local:evt-1-abc';

describe('mailReferences', () => {
  it('reads the user name of the welcome email', () => {
    const text =
      'Hello Ada,\n\nAn AWS IAM user has been created for you.\n\nSign-in URL: https://000000000000.signin.aws.amazon.com/console\nUser name:   ada.lovelace\n\nYour temporary password comes in a separate email; you must change it at first sign-in.';

    expect(mailReferences(text)).toEqual({ userName: 'ada.lovelace', executionArn: undefined });
  });

  it('reads the user name of the password email', () => {
    const text =
      'User name:          ada.lovelace\nTemporary password: x\n\nIt must be changed at first sign-in.';

    expect(mailReferences(text).userName).toBe('ada.lovelace');
  });

  it('reads the execution of an ops alert linking to this console', () => {
    const text = `Step:     NotifyUser\nHR event: evt-1\n\nExecution: http://127.0.0.1:8080/executions/${encodeURIComponent(ARN)}`;

    expect(mailReferences(text)).toEqual({ userName: undefined, executionArn: ARN });
  });

  it('reads the execution of an ops alert linking to the Step Functions console', () => {
    const text = `Execution: https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${ARN}`;

    expect(mailReferences(text).executionArn).toBe(ARN);
  });

  it('reads the user and the execution of a revocation alert', () => {
    const text = `Temporary password of ada.lovelace revoked: secret deleted.\nHR event: evt-1\n\nExecution: http://127.0.0.1:8080/executions/${encodeURIComponent(ARN)}`;

    expect(mailReferences(text)).toEqual({ userName: 'ada.lovelace', executionArn: ARN });
  });

  it('finds nothing in other emails', () => {
    expect(mailReferences('Hello in text')).toEqual({ userName: undefined, executionArn: undefined });
    expect(mailReferences(undefined)).toEqual({ userName: undefined, executionArn: undefined });
  });
});

describe('linkEmail', () => {
  const execution = (name: string, startDate: string, userName?: string): ExecutionRef => ({
    executionArn: `arn:aws:states:us-east-1:000000000000:execution:iam-onboarding-local:${name}`,
    name,
    status: 'SUCCEEDED',
    startDate,
    employee: { id: 'E1001' },
    userName,
  });
  const first = execution('evt-1', '2026-11-28T09:00:00.000Z', 'ada.lovelace');
  const second = execution('evt-2', '2026-11-28T10:00:00.000Z', 'ada.lovelace');
  const other = execution('evt-3', '2026-11-28T09:30:00.000Z', 'grace.hopper');
  // 2026-11-28T09:00:05Z and 10:00:00.9Z in Unix seconds (rounded down, as the SES emulator stores them).
  const at905 = 1795856405;
  const at1000 = 1795860000;

  it('links a user-only email to the newest execution that made the user and had started by then', () => {
    expect(linkEmail({ userName: 'ada.lovelace' }, at905, [second, other, first])).toEqual({
      userName: 'ada.lovelace',
      executionArn: first.executionArn,
    });
  });

  it('counts an execution started within the second the email was stored in', () => {
    const late = execution('evt-2', '2026-11-28T10:00:00.900Z', 'ada.lovelace');

    expect(linkEmail({ userName: 'ada.lovelace' }, at1000, [first, late]).executionArn).toBe(
      late.executionArn,
    );
  });

  it("takes a linked execution's user from the execution when the email names none", () => {
    expect(linkEmail({ executionArn: other.executionArn }, at905, [first, other])).toEqual({
      userName: 'grace.hopper',
      executionArn: other.executionArn,
    });
  });

  it('links nothing when the email names nothing, or no execution made the user', () => {
    expect(linkEmail({}, at905, [first])).toEqual({});
    expect(linkEmail({ userName: 'no.one' }, at905, [first])).toEqual({
      userName: 'no.one',
      executionArn: undefined,
    });
  });
});

describe('matches', () => {
  const email: StoredEmail = {
    messageId: 'ses-1',
    from: 'onboarding@example.com',
    destination: { to: ['Ada@Example.com'], cc: ['boss@example.com'], bcc: [] },
    subject: 'Your AWS console access',
    body: { text: 'User name:   ada.lovelace', html: '<p>secret-in-html-only</p>' },
    at: 1795856405,
  };

  it.each([
    ['a recipient, in any case', 'ada@EXAMPLE'],
    ['a cc recipient', 'boss@'],
    ['the subject', 'console access'],
    ['the text', 'ada.lovelace'],
    ['nothing (an empty search)', '  '],
  ])('matches %s', (_, query) => {
    expect(matches(email, query)).toBe(true);
  });

  it('does not match what is only in the sender or the HTML part', () => {
    expect(matches(email, 'onboarding@')).toBe(false);
    expect(matches(email, 'secret-in-html-only')).toBe(false);
  });
});
