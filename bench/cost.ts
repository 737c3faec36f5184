import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { history } from './e2eLatency';
import {
  type BenchResult,
  fixed,
  hireEvent,
  type Mode,
  median,
  runTag,
  startBenchStack,
  withCapturedOutput,
} from './support';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..');
const TARGET_USD = 0.5;
const HIRES: Record<Mode, number> = { full: 30, short: 10, tiny: 2 };

/**
 * us-east-1 on-demand list prices, as published on the AWS pricing pages (assumed current on
 * PRICES_AS_OF; free tiers ignored). Check them before relying on the figure.
 */
export const PRICES_AS_OF = '2025-06-01';
export const PRICES = {
  stepFunctionsStandardPerTransition: 0.025 / 1000,
  lambdaArmPerGbSecond: 0.0000133334,
  lambdaPerRequest: 0.2 / 1e6,
  httpApiPerRequest: 1.0 / 1e6,
  sesPerEmail: 0.1 / 1000,
  secretsManagerPerApiCall: 0.05 / 10_000,
  secretsManagerPerSecretMonth: 0.4,
  kmsPerRequest: 0.03 / 10_000,
  cloudWatchLogsPerGbIngested: 0.5,
} as const;
const HOURS_PER_MONTH = 730;
/** CloudWatch Logs meters each event as its message plus 26 bytes. */
const LOG_EVENT_OVERHEAD_BYTES = 26;
/** Lambda's own START, END and REPORT lines per invocation (text format), measured on similar functions. */
const PLATFORM_LOG_BYTES_PER_INVOCATION = 3 * LOG_EVENT_OVERHEAD_BYTES + 330;
/** A deliberately pessimistic Lambda duration for the cloud: every invocation a cold 1 s. */
const PESSIMISTIC_INVOCATION_SECONDS = 1;

type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
type Line = { item: string; quantity: string; usd: number };

/**
 * AWS cost per 1,000 onboardings. Quantities come from the packaged CloudFormation template
 * (`serverless package`: function memory and architecture, workflow type) and from real
 * onboardings on the local stack: state transitions and Lambda invocations from each execution's
 * history, handler durations, every AWS API call each hire makes (counted at the emulators' fault
 * gate), and the bytes the functions log at INFO. Prices are PRICES, stated in the output.
 */
export async function runCost(mode: Mode): Promise<BenchResult> {
  const template = await packagedTemplate();
  const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
  const workflow = Object.values(template.Resources).find(
    (r) => r.Type === 'AWS::StepFunctions::StateMachine',
  );
  const memoryMb = Math.max(...functions.map((f) => Number(f.Properties?.MemorySize ?? 128)));
  const architectures = new Set(
    functions.flatMap((f) => (f.Properties?.Architectures as string[]) ?? ['x86_64']),
  );
  if (workflow?.Properties?.StateMachineType !== 'STANDARD' || [...architectures].join() !== 'arm64') {
    throw new Error('the prices assume a STANDARD workflow and arm64 functions: update bench/cost.ts');
  }

  const hires = HIRES[mode];
  const stack = await startBenchStack();
  const calls: Record<string, number> = {};
  const check = stack.faults.check.bind(stack.faults);
  stack.faults.check = (service: string, action: string) => {
    check(service, action);
    calls[`${service}:${action}`] = (calls[`${service}:${action}`] ?? 0) + 1;
  };
  try {
    const tag = runTag();
    const histories: HistoryEvent[][] = [];
    const webhookMs: number[] = [];
    let warmLog = { bytes: 0, lines: 0 };
    const { bytes: allBytes, lines: allLines } = await withCapturedOutput(async () => {
      // A first hire imports every function and creates the shared groups: not counted.
      const warm = await withCapturedOutput(async () => {
        const response = await stack.post(JSON.stringify(hireEvent(runTag(), 0)));
        await stack.settle(String(response.body.executionArn));
      });
      warmLog = { bytes: warm.bytes, lines: warm.lines };
      for (const key of Object.keys(calls)) delete calls[key];
      for (let i = 0; i < hires; i += 1) {
        const started = performance.now();
        const response = await stack.post(JSON.stringify(hireEvent(tag, i)));
        webhookMs.push(performance.now() - started);
        const arn = String(response.body.executionArn);
        const execution = await stack.settle(arn);
        if (execution.status !== 'SUCCEEDED') throw new Error(`${arn} ended ${execution.status}`);
        histories.push(await history(stack, arn));
      }
    });
    const logBytes = allBytes - warmLog.bytes;
    const logLines = allLines - warmLog.lines;

    const perHire = (n: number) => n / hires;
    const count = (prefix: string) =>
      Object.entries(calls)
        .filter(([key]) => key.startsWith(prefix))
        .reduce((sum, [, n]) => sum + n, 0);
    const transitions = perHire(histories.map(billedTransitions).reduce((a, b) => a + b, 0));
    const taskInvocations = perHire(
      histories.flat().filter((e) => e.type === 'LambdaFunctionScheduled').length,
    );
    const lambdaMs = histories.flatMap(lambdaDurations);
    const invocations = taskInvocations + 1; // + the webhook
    // Lambda bills each invocation in 1 ms steps; the webhook's duration is bounded by its POST's.
    const billedSeconds =
      perHire(
        lambdaMs.reduce((sum, ms) => sum + Math.ceil(ms), 0) +
          webhookMs.reduce((s, ms) => s + Math.ceil(ms), 0),
      ) / 1000;
    const gb = memoryMb / 1024;
    const emails = perHire(count('ses:'));
    const secretsCalls = perHire(count('secretsmanager:')) + 1; // + the webhook's secret read (cached per container)
    const secretsCreated = perHire(calls['secretsmanager:CreateSecret'] ?? 0);
    const secretSeconds = median(histories.map(secretLifetimeSeconds));
    const kmsRequests = perHire(
      (calls['secretsmanager:CreateSecret'] ?? 0) +
        (calls['secretsmanager:PutSecretValue'] ?? 0) +
        (calls['secretsmanager:GetSecretValue'] ?? 0),
    );
    const loggedBytes =
      perHire(logBytes + logLines * LOG_EVENT_OVERHEAD_BYTES) +
      invocations * PLATFORM_LOG_BYTES_PER_INVOCATION;

    const k = 1000;
    const lines: Line[] = [
      {
        item: 'Step Functions Standard transitions',
        quantity: `${fixed(transitions, 1)} per execution`,
        usd: k * transitions * PRICES.stepFunctionsStandardPerTransition,
      },
      {
        item: 'Lambda requests',
        quantity: `${fixed(invocations, 1)} per hire`,
        usd: k * invocations * PRICES.lambdaPerRequest,
      },
      {
        item: `Lambda compute (arm64, ${memoryMb} MB, measured)`,
        quantity: `${fixed(billedSeconds * 1000, 0)} ms billed per hire`,
        usd: k * billedSeconds * gb * PRICES.lambdaArmPerGbSecond,
      },
      { item: 'API Gateway HTTP API requests', quantity: '1 per hire', usd: k * PRICES.httpApiPerRequest },
      { item: 'SES emails', quantity: `${fixed(emails, 0)} per hire`, usd: k * emails * PRICES.sesPerEmail },
      {
        item: 'Secrets Manager API calls',
        quantity: `${fixed(secretsCalls, 1)} per hire`,
        usd: k * secretsCalls * PRICES.secretsManagerPerApiCall,
      },
      {
        item: 'Secrets Manager storage, prorated by lifetime',
        quantity: `${fixed(secretsCreated, 0)} secret x ${fixed(secretSeconds, 2)} s`,
        usd:
          (k * secretsCreated * secretSeconds * PRICES.secretsManagerPerSecretMonth) /
          (HOURS_PER_MONTH * 3600),
      },
      {
        item: 'KMS requests made by Secrets Manager',
        quantity: `${fixed(kmsRequests, 1)} per hire`,
        usd: k * kmsRequests * PRICES.kmsPerRequest,
      },
      {
        item: 'CloudWatch Logs ingestion (INFO)',
        quantity: `${fixed(loggedBytes / 1024, 1)} KiB per hire`,
        usd: (k * loggedBytes * PRICES.cloudWatchLogsPerGbIngested) / 1024 ** 3,
      },
    ];
    const total = lines.reduce((sum, line) => sum + line.usd, 0);
    // Sensitivities: Secrets Manager's "prorated" read as whole secret-hours; every Lambda a cold 1 s.
    const storageLine = lines.find((line) => line.item.startsWith('Secrets Manager storage'))?.usd ?? 0;
    const wholeSecretHour = (k * secretsCreated * PRICES.secretsManagerPerSecretMonth) / HOURS_PER_MONTH;
    const withSecretHours = total - storageLine + wholeSecretHour;
    const computeLine = lines.find((line) => line.item.startsWith('Lambda compute'))?.usd ?? 0;
    const pessimisticCompute =
      k * invocations * PESSIMISTIC_INVOCATION_SECONDS * gb * PRICES.lambdaArmPerGbSecond;

    return {
      name: 'cost',
      rows: [
        ...lines.map((line) => ({ metric: `Cost: ${line.item} (${line.quantity})`, value: usd(line.usd) })),
        {
          metric: 'Cost per 1,000 onboardings',
          value: usd(total),
          target: `<= $${TARGET_USD.toFixed(2)}`,
          met: total <= TARGET_USD,
        },
        {
          metric: 'Cost per 1,000 if each temporary secret is billed a whole secret-hour',
          value: usd(withSecretHours),
          target: `<= $${TARGET_USD.toFixed(2)}`,
          met: withSecretHours <= TARGET_USD,
        },
      ],
      data: {
        pricesAsOf: PRICES_AS_OF,
        region: 'us-east-1',
        prices: PRICES,
        hires,
        memoryMb,
        perHire: {
          transitions,
          invocations,
          billedLambdaSeconds: billedSeconds,
          emails,
          secretsManagerCalls: secretsCalls,
          secretsCreated,
          secretLifetimeSeconds: secretSeconds,
          kmsRequests,
          logBytes: loggedBytes,
          awsCalls: Object.fromEntries(Object.entries(calls).map(([key, n]) => [key, n / hires])),
        },
        lambdaMsMedianByInvocation: median(lambdaMs),
        webhookPostMsMedian: median(webhookMs),
        lines,
        totalUsd: total,
        withWholeSecretHoursUsd: withSecretHours,
        withColdOneSecondLambdasUsd: total - computeLine + pessimisticCompute,
        fixedMonthly: {
          'webhook signing secret': 0.4,
          'CloudWatch alarms (3 metrics)': 0.3,
        },
      },
    };
  } finally {
    await stack.close();
  }
}

/** `serverless package` offline into a temporary folder; returns the update-stack template. */
async function packagedTemplate(): Promise<Template> {
  const dir = mkdtempSync(join(tmpdir(), 'iam-onboarding-cost-'));
  try {
    await run(
      'npx',
      ['serverless', 'package', '--stage', 'bench', '--region', 'us-east-1', '--package', dir],
      {
        cwd: ROOT,
        env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
        maxBuffer: 16 * 1024 * 1024,
        timeout: 300_000,
      },
    );
    return JSON.parse(
      readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8'),
    ) as Template;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every state entered is a transition, and so is every retry of a Task (AWS bills retries too). */
function billedTransitions(events: HistoryEvent[]): number {
  const count = (test: (type: string) => boolean) => events.filter((e) => test(e.type ?? '')).length;
  const entered = count((type) => type.endsWith('StateEntered'));
  const retries =
    count((type) => type === 'LambdaFunctionScheduled') - count((type) => type === 'TaskStateEntered');
  return entered + Math.max(0, retries);
}

/** How long each Lambda invocation ran, from its Started to its Succeeded/Failed/TimedOut event. */
function lambdaDurations(events: HistoryEvent[]): number[] {
  const durations: number[] = [];
  let started: number | undefined;
  for (const event of events) {
    if (event.type === 'LambdaFunctionStarted') started = event.timestamp?.getTime();
    const ended = ['LambdaFunctionSucceeded', 'LambdaFunctionFailed', 'LambdaFunctionTimedOut'];
    if (ended.includes(event.type ?? '') && started !== undefined) {
      durations.push((event.timestamp?.getTime() ?? started) - started);
      started = undefined;
    }
  }
  return durations;
}

/** From GeneratePassword's start (it creates the secret) to NotifyUser's end (it deletes it). */
function secretLifetimeSeconds(events: HistoryEvent[]): number {
  const created = events.find(
    (e) => e.type === 'TaskStateEntered' && e.stateEnteredEventDetails?.name === 'GeneratePassword',
  );
  const deleted = events.find(
    (e) => e.type === 'TaskStateExited' && e.stateExitedEventDetails?.name === 'NotifyUser',
  );
  return ((deleted?.timestamp?.getTime() ?? 0) - (created?.timestamp?.getTime() ?? 0)) / 1000;
}

function usd(n: number): string {
  return `$${n < 0.01 ? n.toFixed(4) : n.toFixed(3)}`;
}
