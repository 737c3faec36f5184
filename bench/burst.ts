import { IAMClient, paginateListUsers } from '@aws-sdk/client-iam';
import { paginateListExecutions } from '@aws-sdk/client-sfn';
import type { Faults } from '../local/faults';
import { PRICES } from './cost';
import { history } from './e2eLatency';
import {
  type BenchResult,
  type BenchStack,
  fixed,
  hireEvent,
  type Mode,
  quantile,
  runTag,
  startBenchStack,
  withCapturedOutput,
} from './support';

export type BurstOptions = {
  hires: number;
  /** IAM's account-wide limit, requests per second (the emulator's token bucket, burst of one second). */
  iamRate: number;
  /** Multiplies every Retry wait of the state machine: 1 is real time. */
  retryDelayScale: number;
  /** Concurrent POSTs: the burst is posted as fast as the webhook takes it. */
  connections: number;
  /** Bound on the whole run (posting and draining), seconds. */
  timeoutSeconds: number;
};

export const BURST_SIZES: Record<Mode, BurstOptions> = {
  full: { hires: 1000, iamRate: 100, retryDelayScale: 1, connections: 10, timeoutSeconds: 900 },
  // The full run scaled down 10x in both size and time: the same ratio of Retry waits to floor.
  short: { hires: 100, iamRate: 100, retryDelayScale: 0.1, connections: 10, timeoutSeconds: 120 },
  tiny: { hires: 20, iamRate: 100, retryDelayScale: 0.01, connections: 5, timeoutSeconds: 60 },
};
const TARGET_FLOOR_RATIO = 1.5;

type IamCounter = {
  passed: number;
  throttled: number;
  byAction: Record<string, number>;
  /** Requests passed and throttled in each second since `since`. */
  timeline: { passed: number[]; throttled: number[] };
  since: number;
};

/**
 * A burst of hires against an IAM that throttles at an account-wide rate. Every IAM request the
 * emulator receives is counted at its fault gate: `passed` went through the limiter (and did its
 * work, or failed for another reason), `throttled` was answered Throttling. The floor is
 * passed / rate: the time IAM needs for the work actually done, at its limit. Each hire is one
 * unique event posted once (202 expected); after the stack is idle, with the limit lifted, the
 * executions, users and emails are counted.
 */
export async function runBurst(mode: Mode, overrides: Partial<BurstOptions> = {}): Promise<BenchResult> {
  const options = { ...BURST_SIZES[mode], ...overrides };
  const stack = await startBenchStack({ retryDelayScale: options.retryDelayScale });
  const counter = countIam(stack.faults);
  try {
    const run = runTag();
    const { result, bytes } = await withCapturedOutput(async () => {
      // One hire unthrottled first: imports every function and creates the shared groups, and
      // gives the IAM requests one onboarding needs.
      const warm = await stack.post(JSON.stringify(hireEvent(runTag(), 0)));
      await stack.settle(String(warm.body.executionArn));
      const iamCallsPerHire = counter.passed;
      resetCounter(counter);

      stack.faults.setRate('iam', options.iamRate);
      const started = Date.now();
      const deadline = started + options.timeoutSeconds * 1000;
      const posted = await postAll(stack, run, options.hires, options.connections, deadline);
      const postedMs = Date.now() - started;
      await withDeadline(stack.whenIdle(), deadline, 'the burst did not drain in time');
      const wallMs = Date.now() - started;
      stack.faults.setRate('iam', 0);
      const dense = (series: number[]) => Array.from(series, (n) => n ?? 0);
      const iam = {
        passed: counter.passed,
        throttled: counter.throttled,
        byAction: { ...counter.byAction },
        perSecond: { passed: dense(counter.timeline.passed), throttled: dense(counter.timeline.throttled) },
      };
      const outcome = await verify(stack, run, options.hires, started);
      const notAccepted = options.hires - (posted['202'] ?? 0);
      return { iamCallsPerHire, posted, postedMs, wallMs, iam, ...outcome, notAccepted };
    });
    const floorSeconds = result.iam.passed / options.iamRate;
    const idealFloorSeconds = (options.hires * result.iamCallsPerHire) / options.iamRate;
    const wallSeconds = result.wallMs / 1000;
    const ratio = wallSeconds / floorSeconds;
    const retries = Object.values(result.retries.failuresByError).reduce((sum, n) => sum + n, 0);
    const label = `${options.hires} hires, IAM ${options.iamRate}/s, waits x${options.retryDelayScale}`;
    return {
      name: 'burst',
      rows: [
        {
          metric: `Burst (${label}): failed executions`,
          value: String(result.failed),
          target: '0',
          met: result.failed === 0 && result.notAccepted === 0,
        },
        {
          metric: 'Burst: executions / users created twice',
          value: `${result.duplicateExecutions} / ${result.duplicateUsers}`,
          target: '0 / 0',
          met: result.duplicateExecutions + result.duplicateUsers === 0,
        },
        {
          metric: 'Burst: emails sent twice / missing',
          value: `${result.duplicateEmails} / ${result.missingEmails}`,
          target: '0 / 0',
          met: result.duplicateEmails + result.missingEmails === 0,
        },
        {
          metric: 'Burst: IAM requests passed / throttled',
          value: `${result.iam.passed} / ${result.iam.throttled} (${result.iamCallsPerHire} per hire unthrottled)`,
        },
        {
          metric: 'Burst: wall time / floor (passed / rate)',
          value: `${fixed(wallSeconds)} s / ${fixed(floorSeconds)} s = ${fixed(ratio, 2)}x`,
          target: `<= ${TARGET_FLOOR_RATIO}x`,
          met: ratio <= TARGET_FLOOR_RATIO && result.failed === 0,
        },
        {
          metric: 'Burst: wall time / ideal floor (hires x calls per hire / rate)',
          value: `${fixed(wallSeconds / idealFloorSeconds, 2)}x`,
        },
        {
          metric: 'Burst: Task retries (each a billed transition)',
          value: `${retries} ($${fixed(retries * PRICES.stepFunctionsStandardPerTransition, 2)} for the burst)`,
        },
      ],
      data: {
        ...options,
        ...result,
        floorSeconds,
        idealFloorSeconds,
        wallSeconds,
        floorRatio: ratio,
        functionLogBytes: bytes,
      },
    };
  } finally {
    await stack.close();
  }
}

async function withDeadline<T>(promise: Promise<T>, deadline: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(message)), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Wraps the stack's fault gate, which every IAM request passes before the emulator handles it. */
function countIam(faults: Faults): IamCounter {
  const counter: IamCounter = emptyCounter();
  const check = faults.check.bind(faults);
  const tick = (series: number[]) => {
    const second = Math.floor((Date.now() - counter.since) / 1000);
    series[second] = (series[second] ?? 0) + 1;
  };
  faults.check = (service: string, action: string) => {
    if (service !== 'iam') return check(service, action);
    try {
      check(service, action);
    } catch (error) {
      if ((error as { code?: string }).code === 'Throttling') {
        counter.throttled += 1;
        tick(counter.timeline.throttled);
      }
      throw error;
    }
    counter.passed += 1;
    counter.byAction[action] = (counter.byAction[action] ?? 0) + 1;
    tick(counter.timeline.passed);
  };
  return counter;
}

function emptyCounter(): IamCounter {
  return {
    passed: 0,
    throttled: 0,
    byAction: {},
    timeline: { passed: [], throttled: [] },
    since: Date.now(),
  };
}

function resetCounter(counter: IamCounter): void {
  Object.assign(counter, emptyCounter());
}

async function postAll(stack: BenchStack, run: string, hires: number, connections: number, deadline: number) {
  const statuses: Record<string, number> = {};
  let next = 0;
  const worker = async () => {
    while (next < hires && Date.now() < deadline) {
      const index = next;
      next += 1;
      const { status } = await stack.post(JSON.stringify(hireEvent(run, index)));
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return statuses;
}

/** Executions, users and emails of this run, counted once the stack is idle. */
async function verify(stack: BenchStack, run: string, hires: number, sinceMs: number) {
  const prefix = `bench-${run}`;
  const executions: { name: string; status: string; arn: string }[] = [];
  for await (const page of paginateListExecutions(
    { client: stack.sfn },
    { stateMachineArn: stack.stateMachineArn, maxResults: 1000 },
  )) {
    for (const e of page.executions ?? []) {
      if (e.name?.startsWith(prefix) && e.executionArn)
        executions.push({ name: e.name, status: e.status ?? '', arn: e.executionArn });
    }
  }
  const byStatus: Record<string, number> = {};
  for (const e of executions) byStatus[e.status] = (byStatus[e.status] ?? 0) + 1;
  const names = new Set(executions.map((e) => e.name));
  const retries = await retryProfile(
    stack,
    executions.map((e) => e.arn),
    sinceMs,
  );

  const iam = new IAMClient({ ...stack.clientConfig, maxAttempts: 1 });
  const userNames: string[] = [];
  for await (const page of paginateListUsers({ client: iam }, { PathPrefix: '/onboarded/' })) {
    for (const user of page.Users ?? []) {
      if (user.UserName?.startsWith(`ada.bench${run}`)) userNames.push(user.UserName);
    }
  }
  iam.destroy();

  const emails = await stack.emailsSince(sinceMs);
  const perAddress = new Map<string, number>();
  for (const email of emails) {
    for (const to of email.destination.to) {
      if (to.includes(`.${run}`)) perAddress.set(to, (perAddress.get(to) ?? 0) + 1);
    }
  }
  const emailCounts = [...perAddress.values()];
  return {
    executions: executions.length,
    byStatus,
    failed: hires - (byStatus.SUCCEEDED ?? 0),
    duplicateExecutions: executions.length - names.size + Math.max(0, names.size - hires),
    users: userNames.length,
    duplicateUsers: Math.max(0, userNames.length - hires),
    emails: emailCounts.reduce((a, b) => a + b, 0),
    duplicateEmails: emailCounts.reduce((sum, n) => sum + Math.max(0, n - 1), 0),
    missingEmails: 2 * hires - perAddress.size,
    retries,
  };
}

/**
 * From every execution's history: failed Lambda attempts by error name, the most attempts any one
 * state needed, and when executions finished (seconds after the burst began, by decile).
 */
async function retryProfile(stack: BenchStack, executionArns: string[], sinceMs: number) {
  const failuresByError: Record<string, number> = {};
  const failureSamples: Record<string, { state: string; cause: string }> = {};
  const maxAttemptsByState: Record<string, number> = {};
  const finishedAt: number[] = [];
  for (const arn of executionArns) {
    const events = await history(stack, arn);
    const attempts: Record<string, number> = {};
    let state = '';
    for (const event of events) {
      if (event.type === 'TaskStateEntered') state = event.stateEnteredEventDetails?.name ?? '';
      if (event.type === 'LambdaFunctionScheduled') {
        attempts[state] = (attempts[state] ?? 0) + 1;
        maxAttemptsByState[state] = Math.max(maxAttemptsByState[state] ?? 0, attempts[state] ?? 0);
      }
      const failure = event.lambdaFunctionFailedEventDetails ?? event.lambdaFunctionTimedOutEventDetails;
      if (failure) {
        const name = `${state}: ${failure.error ?? 'unknown'}`;
        failuresByError[name] = (failuresByError[name] ?? 0) + 1;
        failureSamples[name] ??= { state, cause: String(failure.cause ?? '').slice(0, 300) };
      }
      if (event.type === 'ExecutionSucceeded' || event.type === 'ExecutionFailed') {
        finishedAt.push(((event.timestamp?.getTime() ?? sinceMs) - sinceMs) / 1000);
      }
    }
  }
  const deciles = [0.1, 0.5, 0.9, 1].map((q) => Number(quantile(finishedAt, q).toFixed(1)));
  return { failuresByError, failureSamples, maxAttemptsByState, finishedSecondsP10P50P90Max: deciles };
}
