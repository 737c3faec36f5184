import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { describeAwsFailure, isAccessDenied } from './awsErrors';
import { ses } from './clients';
import { AccessDeniedError, MailRejectedError, MailServiceError } from './errors';
import { logger } from './logger';
import { redactAddress, redactAddresses, scrubError } from './redact';

/** A plain-text email; `secret` names what in it must never reach an error or a log. */
export type Email = { from: string; to: string; subject: string; text: string; secret?: string };
type Content = Pick<Email, 'subject' | 'text'>;

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

/** The first email, to the work address: where and as whom to sign in, but no password. */
export function welcomeEmail(input: { givenName: string; userName: string; signInUrl: string }): Content {
  return {
    subject: 'Your AWS console access',
    text: [
      `Hello ${input.givenName},`,
      '',
      'An AWS IAM user has been created for you.',
      '',
      `Sign-in URL: ${input.signInUrl}`,
      `User name:   ${input.userName}`,
      '',
      'Your temporary password comes in a separate email; you must change it at first sign-in.',
    ].join('\n'),
  };
}

/** The second email, to the manager (else the personal address): the user name and the password only. */
export function passwordEmail(input: { userName: string; password: string }): Content {
  return {
    subject: `Temporary AWS console password for ${input.userName}`,
    text: [
      `User name:          ${input.userName}`,
      `Temporary password: ${input.password}`,
      '',
      'It must be changed at first sign-in. The sign-in URL was sent separately to the work address.',
    ].join('\n'),
  };
}

/** The alert to ops when an onboarding execution fails. */
export function opsAlertEmail(input: {
  eventId: string;
  employee: { id: string; givenName: string; familyName: string; department: string };
  step: string;
  error: string;
  cause: string;
  link: string;
}): Content {
  const { employee } = input;
  const who = `${employee.givenName} ${employee.familyName} (${employee.id})`;
  return {
    subject: `Onboarding of ${who} failed at ${input.step}`,
    text: [
      `The onboarding of ${who}, ${employee.department}, failed.`,
      '',
      `Step:     ${input.step}`,
      `Error:    ${input.error}`,
      `Cause:    ${input.cause}`,
      `HR event: ${input.eventId}`,
      '',
      `Execution: ${input.link}`,
    ].join('\n'),
  };
}

/** The alert to ops when an onboarding was stopped or timed out: what became of its temporary password. */
export function passwordRevokedEmail(input: {
  eventId: string;
  employee: { id: string; givenName: string; familyName: string; department: string } | undefined;
  status: string;
  revoked: { userName: string; revocation: string }[];
  link: string;
}): Content {
  const { employee } = input;
  const who = employee
    ? `${employee.givenName} ${employee.familyName} (${employee.id})`
    : `HR event ${input.eventId || '(unknown)'}`;
  const ended = input.status === 'TIMED_OUT' ? 'timed out' : 'was stopped';
  const revoked =
    input.revoked.length === 0
      ? ['No temporary password was outstanding.']
      : input.revoked.map(
          ({ userName, revocation }) => `Temporary password of ${userName} revoked: ${revocation}.`,
        );
  return {
    subject: `Onboarding of ${who} ${ended}`,
    text: [
      `The onboarding of ${who}${employee ? `, ${employee.department},` : ''} ${ended} (${input.status}).`,
      '',
      ...revoked,
      ...(input.revoked.length === 0
        ? []
        : ['A redrive cannot send a revoked password: have HR send a new employee.hired event instead.']),
      `HR event: ${input.eventId}`,
      '',
      `Execution: ${input.link}`,
    ].join('\n'),
  };
}
