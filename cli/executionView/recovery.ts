import type { ExecutionView } from './view';

/**
 * What a redrive would do for an execution that ended badly, by the rule `redrive --failed` applies:
 * `not redrivable` when Step Functions says so (its reason: the 14 days are over...), else
 * `permanent` when it ended in the Fail state after a Catch (a redrive would only run that again),
 * else `redrivable` (it resumes at the state that did not complete).
 */
export type Recovery = { kind: 'redrivable' | 'permanent' | 'not redrivable'; reason: string };

const ENDED_BADLY: ReadonlySet<string> = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);

/** See Recovery; undefined while the execution runs or after it succeeded. */
export function recoveryOf(view: ExecutionView): Recovery | undefined {
  if (!ENDED_BADLY.has(view.status)) return undefined;
  if (view.redriveStatus === 'NOT_REDRIVABLE') {
    return { kind: 'not redrivable', reason: view.redriveStatusReason ?? 'Step Functions refuses a redrive' };
  }
  if (view.failedPermanently) {
    const failed = view.failedStep;
    const what = failed ? `${failed.error ?? 'an error'} at ${failed.name}` : 'a permanent error';
    return {
      kind: 'permanent',
      reason: `failed permanently (${what}); a redrive would only run ${view.resumesAt} again`,
    };
  }
  return { kind: 'redrivable', reason: `a redrive resumes at ${view.resumesAt ?? 'the start'}` };
}
