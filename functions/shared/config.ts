import { ConfigurationError } from './errors';

const STATE_MACHINE_ARN = /^arn:aws[\w-]*:states:[\w-]+:\d{12}:stateMachine:[\w-]{1,80}$/;

/** Every environment variable a function may read, with how to check it. */
const VARIABLES = {
  ACCOUNT_ID: /^\d{12}$/,
  SECRET_PREFIX: /^[\w/+=.@-]{1,256}\/$/,
  /** Whole hours, at least 2: a run lasts at most an hour (the state machine's TimeoutSeconds). */
  TEMPORARY_PASSWORD_MAX_AGE_HOURS: /^([2-9]|[1-9]\d{1,3})$/,
  /** Whole days, 0 to 365: a Standard workflow runs at most a year, and the leaver waits this long. */
  LEAVER_RETENTION_DAYS: /^(0|[1-9]\d?|[12]\d\d|3[0-5]\d|36[0-5])$/,
  SENDER_EMAIL: /^[^\s@]+@[^\s@]+$/,
  OPS_EMAIL: /^[^\s@]+@[^\s@]+$/,
  /** The onboarding (joiner) workflow's. */
  STATE_MACHINE_ARN,
  MOVER_STATE_MACHINE_ARN: STATE_MACHINE_ARN,
  LEAVER_STATE_MACHINE_ARN: STATE_MACHINE_ARN,
  AWS_REGION: /^[a-z]{2}(-[a-z]+)+-\d$/,
  WEBHOOK_SECRET_ARN: /^arn:aws[\w-]*:secretsmanager:[\w-]+:\d{12}:secret:[\w/+=.@-]+$/,
  /** Optional: base URL of the local ops console; links then point there instead of the AWS console. */
  CONSOLE_URL: /^https?:\/\/\S+$/,
  /** Optional: the only domains a temporary password may be sent to, comma-separated. */
  PASSWORD_RECIPIENT_DOMAINS: /^[\w.-]+(\s*,\s*[\w.-]+)*$/,
} as const;

const OPTIONAL: ReadonlySet<VariableName> = new Set(['CONSOLE_URL', 'PASSWORD_RECIPIENT_DOMAINS']);

type VariableName = keyof typeof VARIABLES;
export type Config<K extends VariableName> = {
  readonly [P in K]: P extends 'CONSOLE_URL' | 'PASSWORD_RECIPIENT_DOMAINS' ? string | undefined : string;
};

/**
 * Reads and checks the named variables from `env`, reporting every missing or invalid one at once.
 * Call it from a handler (not at import time) so tests can pass their own environment.
 */
export function loadConfig<K extends VariableName>(env: NodeJS.ProcessEnv, names: readonly K[]): Config<K> {
  const problems: string[] = [];
  const config: Partial<Record<K, string>> = {};
  for (const name of names) {
    const value = env[name];
    if (value === undefined || value === '') {
      if (!OPTIONAL.has(name)) problems.push(`${name} is not set`);
    } else if (!VARIABLES[name].test(value)) problems.push(`${name} is invalid: ${JSON.stringify(value)}`);
    else config[name] = value;
  }
  if (problems.length > 0) throw new ConfigurationError(`Configuration error: ${problems.join('; ')}`);
  return config as Config<K>;
}
