import {
  opsAlertEmail,
  passwordEmail,
  passwordRevokedEmail,
  welcomeEmail,
} from '../../functions/shared/emails';

describe('emails', () => {
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
      type: 'employee.hired',
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

  it.each([
    [
      'employee.updated',
      { id: 'E1001', givenName: 'Ada', familyName: 'Lovelace', department: 'Finance' },
      'Access change of Ada Lovelace (E1001) failed at RemoveOldAccess',
      'The access change of Ada Lovelace (E1001), Finance, failed.',
    ],
    [
      'employee.terminated',
      { id: 'E1001' },
      'Offboarding of employee E1001 failed at RemoveOldAccess',
      'The offboarding of employee E1001 failed.',
    ],
  ] as const)(
    'names the workflow of an %s alert, and the employee as the event does',
    (type, employee, subject, first) => {
      const email = opsAlertEmail({
        eventId: 'evt-9',
        type,
        employee,
        step: 'RemoveOldAccess',
        error: 'UserNotManagedError',
        cause: 'User ada.lovelace is not managed',
        link: 'https://console/executions/y',
      });

      expect(email.subject).toBe(subject);
      expect(email.text.split('\n')[0]).toBe(first);
      expect(email.text).toContain(`HR event: evt-9 (${type})`);
    },
  );

  it('tells ops which passwords a stopped run had revoked, and what to do instead of a redrive', () => {
    const email = passwordRevokedEmail({
      eventId: 'evt-1',
      employee: { id: 'E1', givenName: 'Ada', familyName: 'Lovelace', department: 'Engineering' },
      status: 'ABORTED',
      revoked: [{ userName: 'ada.lovelace', revocation: 'login profile deleted' }],
      link: 'http://127.0.0.1:8080/executions/x',
    });
    expect(email).toEqual({
      subject: 'Onboarding of Ada Lovelace (E1) was stopped',
      text: [
        'The onboarding of Ada Lovelace (E1), Engineering, was stopped (ABORTED).',
        '',
        'Temporary password of ada.lovelace revoked: login profile deleted.',
        'A redrive cannot send a revoked password: have HR send a new employee.hired event instead.',
        'HR event: evt-1',
        '',
        'Execution: http://127.0.0.1:8080/executions/x',
      ].join('\n'),
    });
  });

  it('says a timed-out run without an employee had no password outstanding', () => {
    const { subject, text } = passwordRevokedEmail({
      eventId: 'evt-2',
      employee: undefined,
      status: 'TIMED_OUT',
      revoked: [],
      link: 'L',
    });
    expect(subject).toBe('Onboarding of HR event evt-2 timed out');
    expect(text).toContain('No temporary password was outstanding.');
    expect(text).not.toContain('redrive');
  });
});
