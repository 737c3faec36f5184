/** The tag that marks a user as this project's: only such users are ever adopted or changed. */
export const MANAGED_BY = { key: 'managedBy', value: 'iam-onboarding' } as const;

/**
 * Tags the workflows read back: who the user is, which emails were already sent (on the
 * temporary-password secret), that the user was notified (on the user, once both are out), the last
 * HR event applied to the user (its occurredAt orders the employee's events) and, for a leaver, the
 * termination that disabled it.
 */
export const TAG_KEYS = {
  employeeId: 'employeeId',
  eventId: 'eventId',
  department: 'department',
  welcomeSent: 'onboarding:welcomeSent',
  passwordSent: 'onboarding:passwordSent',
  notified: 'onboarding:notified',
  lastEventAt: 'lifecycle:lastEventAt',
  lastEventId: 'lifecycle:lastEventId',
  disabledBy: 'lifecycle:disabledBy',
  disabledAt: 'lifecycle:disabledAt',
} as const;

/** A tag value IAM (and Secrets Manager) accepts: disallowed characters become `_`, at most 256 characters. */
export function iamTagValue(value: string): string {
  return Array.from(value.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, '_'))
    .slice(0, 256)
    .join('');
}

/** The value of one tag in an IAM or Secrets Manager tag list, if present. */
export function tagValue(
  tags: readonly { Key?: string; Value?: string }[] | undefined,
  key: string,
): string | undefined {
  return tags?.find((tag) => tag.Key === key)?.Value;
}
