const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

/**
 * The interval of an EventBridge `rate(value unit)` schedule expression (EventBridge User Guide,
 * "Schedule expressions for rules"): a positive whole value, `minute`/`hour`/`day` for 1 and
 * `minutes`/`hours`/`days` otherwise. `cron(...)` expressions are not run locally.
 */
export function rateIntervalMs(expression: string): number {
  const match = /^rate\((\d+) (minute|hour|day)(s?)\)$/.exec(expression.trim());
  const value = Number(match?.[1]);
  const unit = match?.[2] as keyof typeof UNIT_MS | undefined;
  if (!match || !unit || value < 1 || (value === 1) !== (match[3] === '')) {
    throw new Error(
      `Schedule expression not supported locally: '${expression}' (use rate(1 hour), rate(5 minutes)...)`,
    );
  }
  return value * UNIT_MS[unit];
}
