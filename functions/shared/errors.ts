/**
 * Every error a task can throw. Step Functions matches on `name`, so each class sets it as a
 * literal (minifiers rename classes). Retryable errors are retried by the state machine and, once
 * retries run out, fail the execution at that step so ops can redrive it. Permanent errors are
 * caught, reported by NotifyOps and end the execution: retrying cannot fix them.
 */

type ErrorOptions = { cause?: unknown };

/** A transient failure: throttling, a service fault or IAM's eventual consistency. */
export abstract class RetryableError extends Error {
  readonly retryable = true;
}

/** A failure that no retry can fix: bad input, a conflict, a quota or a misconfiguration. */
export abstract class PermanentError extends Error {
  readonly retryable = false;
}

/** IAM answered Throttling / RequestLimitExceeded. */
export class IamThrottledError extends RetryableError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'IamThrottledError';
  }
}

/** IAM answered ServiceFailure, ConcurrentModification or a 5xx. */
export class IamServiceError extends RetryableError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'IamServiceError';
  }
}

/** An entity we just created or just saw is not visible yet (IAM is eventually consistent). */
export class IamNotYetConsistentError extends RetryableError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'IamNotYetConsistentError';
  }
}

/** Secrets Manager throttled or failed internally. */
export class SecretsServiceError extends RetryableError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SecretsServiceError';
  }
}

/** SES throttled (TooManyRequests, Throttling) or failed internally. */
export class MailServiceError extends RetryableError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MailServiceError';
  }
}

/** The employee's department (and job title) match no access profile. */
export class UnknownDepartmentError extends PermanentError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnknownDepartmentError';
  }
}

/** Every user name derived for this employee belongs to someone else. */
export class UserNameConflictError extends PermanentError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UserNameConflictError';
  }
}

/** IAM answered LimitExceeded (groups per user, policies per user or group, users per account). */
export class IamLimitExceededError extends PermanentError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'IamLimitExceededError';
  }
}

/** A policy named by the access profiles does not exist or cannot be attached. */
export class PolicyNotFoundError extends PermanentError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PolicyNotFoundError';
  }
}

/** IAM rejected a request as malformed (InvalidInput, ValidationError) or refused it (AccessDenied). */
export class IamRequestRejectedError extends PermanentError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'IamRequestRejectedError';
  }
}

/** IAM rejected the generated password: the account password policy cannot be met. */
export class PasswordPolicyViolationError extends PermanentError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PasswordPolicyViolationError';
  }
}

/** The temporary-password secret is gone before the password email was sent. */
export class PasswordSecretMissingError extends PermanentError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PasswordSecretMissingError';
  }
}

/** Secrets Manager refused a request (AccessDenied, InvalidParameter, InvalidRequest). */
export class SecretsRequestRejectedError extends PermanentError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SecretsRequestRejectedError';
  }
}

/** SES refused the message (MessageRejected, unverified sender, sending paused). */
export class MailRejectedError extends PermanentError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MailRejectedError';
  }
}

/** The access profile's `copyFrom` template user does not exist. */
export class TemplateUserNotFoundError extends PermanentError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TemplateUserNotFoundError';
  }
}

/** The employee has neither a managerEmail nor a personalEmail to receive the temporary password. */
export class PasswordRecipientMissingError extends PermanentError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PasswordRecipientMissingError';
  }
}

/**
 * AWS refused the call for lack of permission (AccessDenied / AccessDeniedException): the function's
 * role or a permissions boundary does not allow it. The message is AWS's, naming the action and
 * resource; retrying cannot fix it, ops must fix the deployment.
 */
export class AccessDeniedError extends PermanentError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AccessDeniedError';
  }
}

/** An existing IAM user is not this onboarding's to adopt: another employee's, not managed by this project, or already onboarded. */
export class UserAdoptionRefusedError extends PermanentError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UserAdoptionRefusedError';
  }
}

/** An employee.updated or employee.terminated event names an employee who has no IAM user. */
export class EmployeeUserNotFoundError extends PermanentError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EmployeeUserNotFoundError';
  }
}

/**
 * The IAM user carrying the employee's id is not one this project manages (path /onboarded/, tag
 * managedBy=iam-onboarding): a mover or leaver never changes it.
 */
export class UserNotManagedError extends PermanentError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UserNotManagedError';
  }
}

/** Configuration is missing or invalid (environment variables, access profiles). */
export class ConfigurationError extends PermanentError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigurationError';
  }
}

/** Names of the errors the state machine retries. */
export const RETRYABLE_ERROR_NAMES = [
  'IamThrottledError',
  'IamServiceError',
  'IamNotYetConsistentError',
  'SecretsServiceError',
  'MailServiceError',
] as const;

/** Names of the errors the state machine catches and reports to ops. */
export const PERMANENT_ERROR_NAMES = [
  'UnknownDepartmentError',
  'UserNameConflictError',
  'IamLimitExceededError',
  'PolicyNotFoundError',
  'IamRequestRejectedError',
  'PasswordPolicyViolationError',
  'PasswordSecretMissingError',
  'SecretsRequestRejectedError',
  'MailRejectedError',
  'TemplateUserNotFoundError',
  'PasswordRecipientMissingError',
  'AccessDeniedError',
  'UserAdoptionRefusedError',
  'EmployeeUserNotFoundError',
  'UserNotManagedError',
  'ConfigurationError',
] as const;
