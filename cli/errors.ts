/** A failure the user can act on: its message is printed as is, without a stack trace. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

type ErrorShape = { name?: unknown; message?: unknown; code?: unknown };

// Keyed by the AWS error code without the SDK's `Exception` suffix, or by a network error code.
const HINTS: Record<string, string> = {
  ExecutionDoesNotExist: 'Check the execution name or ARN, or choose the state machine with --state-machine.',
  StateMachineDoesNotExist: 'Check --state-machine or ONBOARDING_STATE_MACHINE_ARN.',
  InvalidArn:
    'An execution ARN looks like arn:aws:states:<region>:<account>:execution:<state machine>:<name>.',
  NoSuchEntity: 'Check the name: `users export` lists the onboarded users.',
  CredentialsProviderError:
    'No AWS credentials found: use --profile, or set AWS_PROFILE or AWS_ACCESS_KEY_ID.',
  ExpiredToken: 'The session has expired: sign in again (aws sso login --profile ...).',
  UnrecognizedClient: 'The credentials are not valid for this account or endpoint.',
  AccessDenied: 'The credentials lack a permission this command needs (see README, Operations).',
  ECONNREFUSED: 'Nothing answers at the endpoint: is the local stack running (npm start)?',
};

/** One line (or two, with a hint) for any error, never a stack trace. */
export function describeError(error: unknown): string {
  if (error instanceof CliError) return error.message;
  const shape: ErrorShape = typeof error === 'object' && error !== null ? (error as ErrorShape) : {};
  const name = typeof shape.name === 'string' ? shape.name : 'Error';
  const message = typeof shape.message === 'string' ? shape.message : String(error);
  if (/region is missing/i.test(message)) return 'No AWS region: pass --region or set AWS_REGION.';
  const code = name.replace(/Exception$/, '');
  const networkCode = typeof shape.code === 'string' ? shape.code : '';
  const hint = HINTS[code] ?? HINTS[networkCode];
  const line = name === 'Error' ? message : `${code}: ${message}`;
  return hint ? `${line}\n${hint}` : line;
}

/** The AWS error name of `error` (the SDK's `name`), if any. */
export function awsErrorName(error: unknown): string | undefined {
  const name = typeof error === 'object' && error !== null ? (error as ErrorShape).name : undefined;
  return typeof name === 'string' ? name : undefined;
}
