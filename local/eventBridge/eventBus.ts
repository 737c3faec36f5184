import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent } from '../stepFunctions/statusChangeEvents';
import { matchesPattern } from './eventPatterns';
import { rateIntervalMs } from './scheduleExpressions';

export type EventTarget = { functionKey: string; pattern: unknown };
export type ScheduleTarget = { functionKey: string; expression: string };

/**
 * The account's default event bus, as far as the functions of serverless.yml see it: `eventBridge`
 * rules deliver matching events to their function, `schedule` rules send it a Scheduled Event on a
 * timer. Delivery is asynchronous, as EventBridge invokes Lambda; a failed invocation is logged
 * (AWS would retry it twice).
 */
export class LocalEventBus {
  private readonly rules: EventTarget[] = [];
  private readonly schedules: ScheduleTarget[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly deliveries = new Set<Promise<unknown>>();

  constructor(
    private readonly options: {
      accountId: string;
      region: string;
      /** The local Lambda runtime's invoke: the function runs under its role, enforced. */
      invoke(functionKey: string, event: unknown): Promise<unknown>;
      log?(line: string): void;
    },
  ) {}

  addRule(target: EventTarget): void {
    this.rules.push(target);
  }

  /**
   * Adds a schedule and, unless `scale` is 0, runs it every interval x `scale` (tests pass 0 and
   * call runSchedule, so no test waits for a timer).
   */
  addSchedule(target: ScheduleTarget, scale = 1): void {
    const interval = rateIntervalMs(target.expression);
    this.schedules.push(target);
    if (scale <= 0) return;
    const timer = setInterval(() => {
      this.runSchedule(target.functionKey).catch((error: unknown) =>
        this.options.log?.(`events: scheduled ${target.functionKey} failed: ${(error as Error).message}`),
      );
    }, interval * scale);
    timer.unref();
    this.timers.push(timer);
  }

  /** Sends an event to the bus: every rule whose pattern matches gets it. */
  put(event: EventBridgeEvent): void {
    for (const rule of this.rules) {
      if (!matchesPattern(rule.pattern, event)) continue;
      this.track(this.options.invoke(rule.functionKey, event)).catch((error: unknown) =>
        this.options.log?.(
          `events: ${rule.functionKey} failed on ${event['detail-type']}: ${(error as Error).message}`,
        ),
      );
    }
  }

  /**
   * Invokes a scheduled function now with the Scheduled Event its rule sends, `time` being the
   * scheduled time (default now), and answers what the function returned.
   */
  async runSchedule(functionKey: string, time = new Date()): Promise<unknown> {
    if (!this.schedules.some((schedule) => schedule.functionKey === functionKey)) {
      throw new Error(`serverless.yml: function ${functionKey} has no schedule event`);
    }
    const { accountId, region } = this.options;
    const event: EventBridgeEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: accountId,
      time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region,
      resources: [`arn:aws:events:${region}:${accountId}:rule/${functionKey}-schedule`],
      detail: {},
    };
    return this.track(this.options.invoke(functionKey, event));
  }

  /** Resolves when every delivery made so far has ended. */
  async whenIdle(): Promise<void> {
    while (this.deliveries.size > 0) await Promise.allSettled([...this.deliveries]);
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
  }

  private track<T>(delivery: Promise<T>): Promise<T> {
    this.deliveries.add(delivery);
    const forget = () => this.deliveries.delete(delivery);
    delivery.then(forget, forget);
    return delivery;
  }
}
