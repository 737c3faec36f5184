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
};

/** How each service says "rate exceeded": HTTP status, error code, message. */
const IAM_THROTTLING = [400, 'Throttling', 'Rate exceeded'] as const;
const THROTTLING: Record<string, readonly [number, string, string]> = {
  iam: IAM_THROTTLING,
  secretsmanager: [400, 'ThrottlingException', 'Rate exceeded'],
  ses: [429, 'TooManyRequestsException', 'Maximum sending rate exceeded.'],
};

/**
 * Fault injection for tests and demos, off until asked for: error codes for chosen actions, Lambda
 * crashes after the side effect, and an account-wide request rate per service (like IAM's).
 */
export class Faults {
  private rules: FaultRule[] = [];
  private crashes: CrashRule[] = [];
  private readonly rates = new Map<string, { perSecond: number; tokens: number; refilledAt: number }>();

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
        const [status, code, message] = THROTTLING[service] ?? IAM_THROTTLING;
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
