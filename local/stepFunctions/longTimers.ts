// Node fires a timer whose delay exceeds 2^31-1 ms (24.8 days) after 1 ms instead. The engine
// (aws-local-stepfunctions) waits out a Wait state with one setTimeout, so a leaver's 30-day
// retention would end at once. Imported by the emulator before the engine runs: timers longer than
// that are chained, and clearTimeout clears whichever link is pending. Shorter timers are untouched.

const MAX_DELAY_MS = 2 ** 31 - 1;
const nativeSetTimeout = globalThis.setTimeout;
const nativeClearTimeout = globalThis.clearTimeout;
/** The first link of each long timer (the handle its caller holds) -> the link pending now. */
const pending = new WeakMap<object, NodeJS.Timeout>();

function longSetTimeout(callback: (...args: unknown[]) => void, delay?: number, ...args: unknown[]) {
  if (typeof delay !== 'number' || delay <= MAX_DELAY_MS) return nativeSetTimeout(callback, delay, ...args);
  const due = Date.now() + delay;
  let handle: NodeJS.Timeout | undefined;
  const link = (): NodeJS.Timeout => {
    const left = due - Date.now();
    const next =
      left > MAX_DELAY_MS
        ? nativeSetTimeout(() => handle && pending.set(handle, link()), MAX_DELAY_MS)
        : nativeSetTimeout(callback, Math.max(0, left), ...args);
    return next;
  };
  handle = link();
  pending.set(handle, handle);
  return handle;
}

function longClearTimeout(handle?: Parameters<typeof clearTimeout>[0]): void {
  const current = typeof handle === 'object' && handle !== null ? pending.get(handle) : undefined;
  nativeClearTimeout(current ?? handle);
}

globalThis.setTimeout = Object.assign(longSetTimeout, {
  __promisify__: nativeSetTimeout.__promisify__,
}) as typeof setTimeout;
globalThis.clearTimeout = longClearTimeout as typeof clearTimeout;

export const LONG_TIMER_THRESHOLD_MS = MAX_DELAY_MS;
