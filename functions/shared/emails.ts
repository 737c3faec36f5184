import type { HrEventType } from './hrEvent';

/** What each email says: its subject and plain-text body (mail.ts sends them). */
export type Content = { subject: string; text: string };

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

/** What each workflow is called in alerts, by the HR event type that starts it. */
const WORKFLOW_NAMES: Record<HrEventType, string> = {
  'employee.hired': 'onboarding',
  'employee.updated': 'access change',
  'employee.terminated': 'offboarding',
};

/** The alert to ops when a workflow's execution fails. A termination names only the employee's id. */
export function opsAlertEmail(input: {
  eventId: string;
  type: HrEventType;
  employee: { id: string; givenName?: string; familyName?: string; department?: string };
  step: string;
  error: string;
  cause: string;
  link: string;
}): Content {
  const { employee } = input;
  const named = employee.givenName !== undefined && employee.familyName !== undefined;
  const who = named
    ? `${employee.givenName} ${employee.familyName} (${employee.id})`
    : `employee ${employee.id}`;
  const workflow = WORKFLOW_NAMES[input.type];
  return {
    subject: `${capitalised(workflow)} of ${who} failed at ${input.step}`,
    text: [
      `The ${workflow} of ${who}${employee.department ? `, ${employee.department},` : ''} failed.`,
      '',
      `Step:     ${input.step}`,
      `Error:    ${input.error}`,
      `Cause:    ${input.cause}`,
      `HR event: ${input.eventId} (${input.type})`,
      '',
      `Execution: ${input.link}`,
    ].join('\n'),
  };
}

function capitalised(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
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
