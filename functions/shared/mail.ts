import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { describeAwsFailure, isAccessDenied } from './awsErrors';
import { AccessDeniedError, MailRejectedError, MailServiceError } from './errors';
import { logger } from './logger';
import { redactAddress, redactAddresses, scrubError } from './redact';
import { ses } from './sesClient';

/** A plain-text email; `secret` names what in it must never reach an error or a log. */
export type Email = { from: string; to: string; subject: string; text: string; secret?: string };

/**
 * Wraps an SES failure: TooManyRequests, throttling, 5xx and network errors are retryable
 * (MailServiceError); every refusal (MessageRejected, MailFromDomainNotVerified, sending paused or
 * suspended, NotFound for the identity, BadRequest) is a permanent MailRejectedError.
 */
export function mailError(sdkError: unknown, to: string, secret?: string): Error {
  // SES echoes addresses in some refusals ("Email address is not verified: ..."), content filters the body.
  const error = scrubError(sdkError, (text) => {
    const redacted = redactAddresses(text);
    return secret ? redacted.replaceAll(secret, '[redacted]') : redacted;
  });
  const failure = describeAwsFailure(error);
  const message = `SES SendEmail to ${redactAddress(to)} failed: ${failure.code}: ${failure.message}`;
  if (isAccessDenied(failure)) return new AccessDeniedError(message, { cause: error });
  return failure.transient
    ? new MailServiceError(message, { cause: error })
    : new MailRejectedError(message, { cause: error });
}

/** Sends one plain-text email with SESv2. */
export async function sendEmail({ from, to, subject, text, secret }: Email): Promise<void> {
  try {
    const { MessageId } = await ses.send(
      new SendEmailCommand({
        FromEmailAddress: from,
        Destination: { ToAddresses: [to] },
        Content: {
          Simple: {
            Subject: { Data: subject, Charset: 'UTF-8' },
            Body: { Text: { Data: text, Charset: 'UTF-8' } },
          },
        },
      }),
    );
    logger.info('Email sent', { to: redactAddress(to), subject, messageId: MessageId });
  } catch (error) {
    throw mailError(error, to, secret);
  }
}
