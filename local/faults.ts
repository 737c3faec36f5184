import Ajv, { type JSONSchemaType } from 'ajv';
import { AwsError } from './aws/types';

/**
 * Makes the next `count` calls of `service`:`action` fail with an AWS error code, after letting the
 * first `skip` matching calls through (e.g. `skip: 1` on SendEmail fails the second email).
 */
export type FaultRule = {
  service: string;
  action: string;
  code: string;
  count: number;
  skip?: number;
  status?: number;
  message?: string;
};

/** Makes the next `count` invocations of a Lambda crash after its side effects (its result is lost). */
export type CrashRule = { function: string; count: number };

const DEFAULT_STATUS: Record<string, number> = {
  Throttling: 400,
  ThrottlingException: 400,
  TooManyRequestsException: 429,
  ServiceFailure: 500,
  InternalServiceError: 500,
  InternalFailure: 500,
  NoSuchEntity: 404,
  ResourceNotFoundException: 400,
  MessageRejected: 400,
  InternalServerError: 500,
};

/** What POST /_local/faults takes: rules, crashes and rates, all checked before any takes effect. */
export type FaultConfiguration = {
  rules?: FaultRule[];
  crashes?: CrashRule[];
  rates?: Record<string, number>;
};

// The services whose emulators consult the faults.
const SERVICES = ['iam', 'secretsmanager', 'ses', 'dynamodb'];
const name = { type: 'string', minLength: 1, maxLength: 128 } as const;
const count = { type: 'integer', minimum: 1 } as const;
const CONFIGURATION_SCHEMA: JSONSchemaType<FaultConfiguration> = {
  type: 'object',
  additionalProperties: false,
  properties: {
    rules: {
      type: 'array',
      nullable: true,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['service', 'action', 'code', 'count'],
        properties: {
          service: { type: 'string', enum: SERVICES },
          action: name,
          code: name,
          count,
          skip: { type: 'integer', minimum: 0, nullable: true },
          status: { type: 'integer', minimum: 400, maximum: 599, nullable: true },
          message: { type: 'string', maxLength: 1024, nullable: true },
        },
      },
    },
    crashes: {
      type: 'array',
      nullable: true,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['function', 'count'],
        properties: { function: name, count },
      },
    },
    rates: {
      type: 'object',
      nullable: true,
      propertyNames: { enum: SERVICES },
      required: [],
      additionalProperties: { type: 'number', minimum: 0, maximum: 1_000_000 },
    },
  },
};
const validateConfiguration = new Ajv({ allErrors: true }).compile(CONFIGURATION_SCHEMA);

/** A fault configuration that does not match its schema: every problem at once, nothing applied. */
export class FaultConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid fault configuration (nothing applied): ${problems.join('; ')}`);
    this.name = 'FaultConfigurationError';
  }
}

/** How each service says "rate exceeded": HTTP status, error code, message. */
type Throttling = readonly [number, string, string];
const IAM_THROTTLING = [400, 'Throttling', 'Rate exceeded'] as const;
/** DynamoDB's table (control plane) operations throttle with ThrottlingException, item operations exceed the throughput. */
const DYNAMODB_CONTROL_PLANE = new Set([
  'CreateTable',
  'DeleteTable',
  'DescribeTable',
  'ListTables',
  'UpdateTable',
]);
const THROTTLING: Record<string, Throttling | ((action: string) => Throttling)> = {
  iam: IAM_THROTTLING,
  secretsmanager: [400, 'ThrottlingException', 'Rate exceeded'],
  ses: [429, 'TooManyRequestsException', 'Maximum sending rate exceeded.'],
  dynamodb: (action) =>
    DYNAMODB_CONTROL_PLANE.has(action)
      ? [400, 'ThrottlingException', 'Rate of requests exceeds the allowed throughput.']
      : [
          400,
          'ProvisionedThroughputExceededException',
          'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
        ],
};

/**
 * Fault injection for tests and demos, off until asked for: error codes for chosen actions, Lambda
 * crashes after the side effect, and an account-wide request rate per service (like IAM's).
 */
export class Faults {
  private rules: FaultRule[] = [];
  private crashes: CrashRule[] = [];
  private readonly rates = new Map<string, { perSecond: number; tokens: number; refilledAt: number }>();

  /** Checks the whole configuration, then applies it: an invalid part leaves every fault as it was. */
  configure(configuration: unknown): void {
    if (!validateConfiguration(configuration)) {
      throw new FaultConfigurationError(
        (validateConfiguration.errors ?? []).map(
          (e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`,
        ),
      );
    }
    for (const rule of configuration.rules ?? []) this.addRule(rule);
    for (const crash of configuration.crashes ?? []) this.addCrash(crash);
    for (const [service, perSecond] of Object.entries(configuration.rates ?? {}))
      this.setRate(service, perSecond);
  }

  addRule(rule: FaultRule): void {
    if (!rule.service || !rule.action || !rule.code || !(rule.count > 0)) {
      throw new Error('a fault needs service, action, code and a positive count');
    }
    if (rule.skip !== undefined && !(Number.isInteger(rule.skip) && rule.skip >= 0)) {
      throw new Error('a fault skip must be a whole number');
    }
    this.rules.push({ ...rule });
  }

  addCrash(rule: CrashRule): void {
    if (!rule.function || !(rule.count > 0)) throw new Error('a crash needs function and a positive count');
    this.crashes.push({ ...rule });
  }

  /** Throttles `service` to `perSecond` requests per second (token bucket, burst of one second); 0 turns it off. */
  setRate(service: string, perSecond: number): void {
    if (perSecond > 0) this.rates.set(service, { perSecond, tokens: perSecond, refilledAt: Date.now() });
    else this.rates.delete(service);
  }

  clear(): void {
    this.rules = [];
    this.crashes = [];
    this.rates.clear();
  }

  describe(): { rules: FaultRule[]; crashes: CrashRule[]; rates: Record<string, number> } {
    const rates = Object.fromEntries([...this.rates.entries()].map(([s, r]) => [s, r.perSecond]));
    return { rules: this.rules.map((r) => ({ ...r })), crashes: this.crashes.map((c) => ({ ...c })), rates };
  }

  /** Throws the AwsError an injected fault or the rate limit calls for; returns when the call may proceed. */
  check(service: string, action: string): void {
    const rate = this.rates.get(service);
    if (rate) {
      const now = Date.now();
      rate.tokens = Math.min(rate.perSecond, rate.tokens + ((now - rate.refilledAt) / 1000) * rate.perSecond);
      rate.refilledAt = now;
      if (rate.tokens < 1) {
        const throttling = THROTTLING[service] ?? IAM_THROTTLING;
        const [status, code, message] = typeof throttling === 'function' ? throttling(action) : throttling;
        throw new AwsError(status, code, message);
      }
      rate.tokens -= 1;
    }
    const rule = this.rules.find((r) => r.service === service && (r.action === action || r.action === '*'));
    if (!rule) return;
    if (rule.skip) {
      rule.skip -= 1;
      return;
    }
    rule.count -= 1;
    if (rule.count <= 0) this.rules = this.rules.filter((r) => r !== rule);
    const status = rule.status ?? DEFAULT_STATUS[rule.code] ?? 400;
    throw new AwsError(status, rule.code, rule.message ?? `Injected fault: ${rule.code}`);
  }

  /** True (and counts down) when this invocation of `functionName` must crash after its side effect. */
  takeCrash(functionName: string): boolean {
    const rule = this.crashes.find((c) => c.function === functionName);
    if (!rule) return false;
    rule.count -= 1;
    if (rule.count <= 0) this.crashes = this.crashes.filter((c) => c !== rule);
    return true;
  }
}
