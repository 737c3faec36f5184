import { GetExecutionHistoryCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import {
  type BenchResult,
  type BenchStack,
  fixed,
  hireEvent,
  type Mode,
  median,
  quantile,
  runTag,
  startBenchStack,
  withCapturedOutput,
} from './support';

const SIZES: Record<Mode, { warmup: number; hires: number }> = {
  full: { warmup: 10, hires: 250 },
  short: { warmup: 5, hires: 40 },
  tiny: { warmup: 1, hires: 5 },
};
const TARGET_MEDIAN_MS = 150;
/** The IAM enforcement (SigV4 verification and policy evaluation of every call) may cost at most this. */
const ENFORCEMENT_BUDGET = 1.1;

export type StepTiming = { state: string; lambdaMs: number; stateMs: number };

/**
 * End-to-end latency of one onboarding on a warm local stack: signed POST to /hires until the
 * execution has SUCCEEDED, then a check that both emails (welcome to the work address, password to
 * the manager) are in the SES store. Hires are sequential and unique; the first few are discarded
 * as cold start (each function's first invocation imports it). The latency is the execution's
 * stopDate (recorded by the emulator, same clock) minus the moment before the POST, so the polling
 * interval does not add to it; the poll-observed latency is reported next to it.
 */
export async function runE2eLatency(mode: Mode): Promise<BenchResult> {
  const { warmup, hires } = SIZES[mode];
  const stack = await startBenchStack();
  // The floor for the enforcement's cost: the same stack with no signature or policy checks. Hires
  // alternate between the two so both see the same machine.
  const floor = await startBenchStack({ iam: 'off' });
  try {
    const run = runTag();
    const latencies: number[] = [];
    const observed: number[] = [];
    const coldLatencies: number[] = [];
    let missingEmails = 0;
    let lastArn = '';
    const floorLatencies: number[] = [];
    const { bytes, lines } = await withCapturedOutput(async () => {
      for (let i = 0; i < warmup + hires; i += 1) {
        const floorOutcome = await onboardOne(floor, JSON.stringify(hireEvent(`${run}-floor`, i)));
        if (i >= warmup) floorLatencies.push(floorOutcome.latencyMs);
        const event = hireEvent(run, i);
        const outcome = await onboardOne(stack, JSON.stringify(event));
        const emails = await stack.emailsSince(outcome.startedAt);
        const to = new Set(emails.flatMap((email) => email.destination.to));
        if (!to.has(event.employee.workEmail) || !to.has(event.employee.managerEmail)) missingEmails += 1;
        if (i < warmup) coldLatencies.push(outcome.latencyMs);
        else {
          latencies.push(outcome.latencyMs);
          observed.push(outcome.observedMs);
        }
        lastArn = outcome.executionArn;
      }
    });
    const steps = await stepTimings(stack, lastArn);
    const p50 = median(latencies);
    const p95 = quantile(latencies, 0.95);
    const floorP50 = median(floorLatencies);
    const enforcement = p50 / floorP50;
    return {
      name: 'e2e',
      rows: [
        {
          metric: `E2E onboarding median (${hires} hires, warm)`,
          value: `${fixed(p50)} ms`,
          target: `<= ${TARGET_MEDIAN_MS} ms`,
          met: p50 <= TARGET_MEDIAN_MS && missingEmails === 0,
        },
        { metric: 'E2E onboarding p95', value: `${fixed(p95)} ms` },
        {
          metric: `IAM enforcement cost: median vs the same stack with --iam off (${fixed(floorP50)} ms)`,
          value: `${enforcement.toFixed(2)}x`,
          target: `<= ${ENFORCEMENT_BUDGET}x`,
          met: enforcement <= ENFORCEMENT_BUDGET,
        },
        {
          metric: 'E2E first hire (cold: functions imported)',
          value: `${fixed(coldLatencies[0] ?? NaN)} ms`,
        },
        {
          metric: 'E2E hires missing an email',
          value: String(missingEmails),
          target: '0',
          met: missingEmails === 0,
        },
      ],
      data: {
        warmup,
        hires,
        medianMs: p50,
        floorMedianMs: floorP50,
        enforcementRatio: enforcement,
        p95Ms: p95,
        p99Ms: quantile(latencies, 0.99),
        minMs: Math.min(...latencies),
        maxMs: Math.max(...latencies),
        observedMedianMs: median(observed),
        observedP95Ms: quantile(observed, 0.95),
        coldLatenciesMs: coldLatencies,
        missingEmails,
        steps,
        logBytesPerHire: bytes / (warmup + hires),
        logLinesPerHire: lines / (warmup + hires),
      },
    };
  } finally {
    await stack.close();
    await floor.close();
  }
}

async function onboardOne(stack: BenchStack, raw: string) {
  const startedAt = Date.now();
  const response = await stack.post(raw);
  if (response.status !== 202 || response.body.status !== 'started') {
    throw new Error(`POST /hires answered ${response.status} ${JSON.stringify(response.body)}`);
  }
  const executionArn = String(response.body.executionArn);
  const execution = await stack.settle(executionArn);
  const observedMs = Date.now() - startedAt;
  if (execution.status !== 'SUCCEEDED' || !execution.stopDate) {
    throw new Error(`${executionArn} ended ${execution.status}: ${execution.error} ${execution.cause}`);
  }
  return { executionArn, startedAt, latencyMs: execution.stopDate.getTime() - startedAt, observedMs };
}

/** How long each Task state and its Lambda took in one (warm) execution, from its history. */
export async function stepTimings(stack: BenchStack, executionArn: string): Promise<StepTiming[]> {
  const events = await history(stack, executionArn);
  const timings: StepTiming[] = [];
  let entered: HistoryEvent | undefined;
  let scheduled: HistoryEvent | undefined;
  let lambdaMs = 0;
  for (const event of events) {
    if (event.type === 'TaskStateEntered') {
      entered = event;
      lambdaMs = 0;
    }
    if (event.type === 'LambdaFunctionStarted') scheduled = event;
    if (event.type === 'LambdaFunctionSucceeded' || event.type === 'LambdaFunctionFailed') {
      if (scheduled?.timestamp && event.timestamp)
        lambdaMs += event.timestamp.getTime() - scheduled.timestamp.getTime();
    }
    if (event.type === 'TaskStateExited' && entered?.timestamp && event.timestamp) {
      timings.push({
        state: event.stateExitedEventDetails?.name ?? '?',
        lambdaMs,
        stateMs: event.timestamp.getTime() - entered.timestamp.getTime(),
      });
    }
  }
  return timings;
}

export async function history(stack: BenchStack, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await stack.sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}
