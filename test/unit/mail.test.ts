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
import { mailError, sendEmail } from '../../functions/shared/mail';
import { ses } from '../../functions/shared/sesClient';
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
