import {
  AccountSuspendedException,
  BadRequestException,
  MailFromDomainNotVerifiedException,
  MessageRejected,
  NotFoundException,
  SESv2ServiceException,
  SendEmailCommand,
  SendingPausedException,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { ses } from '../../functions/shared/clients';
import {
  mailError,
  opsAlertEmail,
  passwordEmail,
  sendEmail,
  welcomeEmail,
} from '../../functions/shared/mail';
import { $metadata, captureLogLines } from '../support/lambda';

const sesMock = mockClient(ses);

beforeEach(() => sesMock.reset());
afterEach(() => jest.restoreAllMocks());

describe('sendEmail', () => {
  it('sends a plain-text UTF-8 email with SESv2', async () => {
    // Arrange
    sesMock.on(SendEmailCommand).resolves({ MessageId: 'message-1' });

    // Act
    await sendEmail({ from: 'it@example.com', to: 'ada@example.com', subject: 'Hello', text: 'Body' });

    // Assert
    expect(sesMock.commandCalls(SendEmailCommand)[0]?.args[0].input).toEqual({
      FromEmailAddress: 'it@example.com',
      Destination: { ToAddresses: ['ada@example.com'] },
      Content: {
        Simple: {
          Subject: { Data: 'Hello', Charset: 'UTF-8' },
          Body: { Text: { Data: 'Body', Charset: 'UTF-8' } },
        },
      },
    });
  });

  it('wraps a rejection in MailRejectedError naming the recipient redacted', async () => {
    sesMock
      .on(SendEmailCommand)
      .rejects(new MessageRejected({ message: 'Email address is not verified.', $metadata }));
    await expect(
      sendEmail({ from: 'it@example.com', to: 'ada@example.com', subject: 'Hello', text: 'Body' }),
    ).rejects.toMatchObject({
      name: 'MailRejectedError',
      message: 'SES SendEmail to a***@example.com failed: MessageRejected: Email address is not verified.',
    });
  });

  it('keeps addresses and the named secret out of the error and its cause when SES echoes them', async () => {
    const echoed = 'Rejected for ada@example.com: body contains "S3cr3t-pass"';
    sesMock.on(SendEmailCommand).rejects(new MessageRejected({ message: echoed, $metadata }));
    const email = { from: 'it@example.com', to: 'ada@example.com', subject: 'Hi', text: 'S3cr3t-pass' };
    const error: unknown = await sendEmail({ ...email, secret: 'S3cr3t-pass' }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'MailRejectedError',
      retryable: false,
      message:
        'SES SendEmail to a***@example.com failed: MessageRejected: Rejected for a***@example.com: body contains "[redacted]"',
    });
    const cause = (error as Error).cause as Error & { $metadata: unknown };
    expect(cause.name).toBe('MessageRejected');
    expect(cause.$metadata).toEqual($metadata);
    expect(`${cause.message}\n${cause.stack}`).not.toMatch(/ada@example\.com|S3cr3t-pass/);
  });

  it('logs a sent email with its recipient redacted', async () => {
    sesMock.on(SendEmailCommand).resolves({ MessageId: 'message-1' });
    const lines = captureLogLines();
    await sendEmail({ from: 'it@example.com', to: 'ada@example.com', subject: 'Hello', text: 'Body' });
    expect(lines.join('\n')).toContain('"to":"a***@example.com"');
    expect(lines.join('\n')).not.toContain('ada@example.com');
  });
});

describe('mailError', () => {
  it.each([
    ['MessageRejected', 'MailRejectedError', false, new MessageRejected({ message: 'no', $metadata })],
    [
      'MailFromDomainNotVerifiedException',
      'MailRejectedError',
      false,
      new MailFromDomainNotVerifiedException({ message: 'no', $metadata }),
    ],
    [
      'SendingPausedException',
      'MailRejectedError',
      false,
      new SendingPausedException({ message: 'no', $metadata }),
    ],
    [
      'AccountSendingPausedException',
      'MailRejectedError',
      false,
      new SESv2ServiceException({
        name: 'AccountSendingPausedException',
        $fault: 'client',
        message: 'paused',
        $metadata,
      }),
    ],
    [
      'AccountSuspendedException',
      'MailRejectedError',
      false,
      new AccountSuspendedException({ message: 'no', $metadata }),
    ],
    [
      'NotFoundException',
      'MailRejectedError',
      false,
      new NotFoundException({ message: 'no identity', $metadata: { httpStatusCode: 404 } }),
    ],
    [
      'BadRequestException',
      'MailRejectedError',
      false,
      new BadRequestException({ message: 'bad', $metadata }),
    ],
    [
      'TooManyRequestsException',
      'MailServiceError',
      true,
      new TooManyRequestsException({ message: 'slow down', $metadata: { httpStatusCode: 429 } }),
    ],
    [
      'Throttling',
      'MailServiceError',
      true,
      new SESv2ServiceException({
        name: 'Throttling',
        $fault: 'client',
        message: 'Maximum sending rate exceeded.',
        $metadata,
      }),
    ],
    [
      'a 5xx',
      'MailServiceError',
      true,
      new SESv2ServiceException({
        name: 'InternalServiceErrorException',
        $fault: 'server',
        message: 'oops',
        $metadata: { httpStatusCode: 500 },
      }),
    ],
  ])('maps %s to %s (retryable: %s)', (_code, name, retryable, error) => {
    const wrapped = mailError(error, 'ada@example.com');
    expect(wrapped).toMatchObject({ name, retryable });
    expect(wrapped.cause).toBe(error);
  });
});

describe('email contents', () => {
  it('gives the welcome email the sign-in URL and user name but no password', () => {
    const { subject, text } = welcomeEmail({
      givenName: 'Ada',
      userName: 'ada.lovelace',
      signInUrl: 'https://acme.signin.aws.amazon.com/console',
    });
    expect(subject).toBe('Your AWS console access');
    expect(text).toContain('Hello Ada,');
    expect(text).toContain('https://acme.signin.aws.amazon.com/console');
    expect(text).toContain('ada.lovelace');
    expect(text).toContain(
      'Your temporary password comes in a separate email; you must change it at first sign-in.',
    );
    expect(text).not.toMatch(/password:/i);
  });

  it('gives the password email the user name and the password, and keeps the password out of the subject', () => {
    const { subject, text } = passwordEmail({ userName: 'ada.lovelace', password: 'Xy7!pQ2#' });
    expect(subject).not.toContain('Xy7!pQ2#');
    expect(text).toContain('ada.lovelace');
    expect(text).toContain('Temporary password: Xy7!pQ2#');
    expect(text).not.toContain('https://');
  });

  it('gives the ops alert the employee, step, error, cause and link', () => {
    const { subject, text } = opsAlertEmail({
      eventId: 'evt-1',
      employee: { id: 'E1001', givenName: 'Ada', familyName: 'Lovelace', department: 'Engineering' },
      step: 'EnsureGroups',
      error: 'PolicyNotFoundError',
      cause: 'Policy arn:aws:iam::aws:policy/Nope does not exist',
      link: 'https://console/executions/x',
    });
    expect(subject).toBe('Onboarding of Ada Lovelace (E1001) failed at EnsureGroups');
    for (const part of [
      'Engineering',
      'PolicyNotFoundError',
      'Policy arn:aws:iam::aws:policy/Nope',
      'https://console/executions/x',
      'evt-1',
    ]) {
      expect(text).toContain(part);
    }
  });
});
