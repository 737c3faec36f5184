import { DescribeExecutionCommand, RedriveExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { Clients } from './awsClients';
import { awsErrorName, CliError, describeError } from './errors';
import { employeeLabel, findExecutions } from './executions';
import { loadExecutionView } from './executionView/load';
import { recoveryOf } from './executionView/recovery';
import { type Colour, formatDate, paint, table } from './format';
import { type Output, printJson } from './output';
import { resolveExecutionArn, resolveStateMachineArn } from './target';

/** AWS keeps an execution redrivable for 14 days after it stopped: the default window of `--failed`. */
const REDRIVABLE_DAYS = 14;

export type RedriveOptions = {
  /** One execution, by name or ARN... */
  execution?: string;
  /** ...or every FAILED execution started since `since`. */
  failed?: boolean;
  since?: Date;
  /** Redrive without asking. */
  yes?: boolean;
  stateMachine?: string;
};

export type RedriveResult = {
  name?: string;
  executionArn: string;
  employee: string;
  /** The state a redrive resumes at: the one that did not complete. */
  resumesAt?: string;
  /** SKIPPED: it ended in a Fail state after a permanent error; a redrive would only fail again. */
  result: 'REDRIVEN' | 'NOT_REDRIVABLE' | 'SKIPPED' | 'ERROR';
  redriveDate?: Date;
  /** Why it was not redriven. */
  reason?: string;
};

const RESULT_COLOURS: Record<RedriveResult['result'], Colour> = {
  REDRIVEN: 'green',
  NOT_REDRIVABLE: 'yellow',
  SKIPPED: 'yellow',
  ERROR: 'red',
};

/**
 * `redrive`: resumes executions at the state that did not complete, after a confirmation (or `yes`).
 * Executions AWS cannot redrive are reported with its reason; executions that ended in a Fail state
 * (a permanent error, already reported by NotifyOps) are skipped: a redrive would re-run only that
 * Fail state. Exit code 1 when an execution could not be redriven (or a named one was skipped).
 */
export async function redrive(
  clients: Pick<Clients, 'sfn'>,
  options: RedriveOptions,
  out: Output,
): Promise<number> {
  const candidates = await findCandidates(clients.sfn, options);
  if (candidates.length === 0) {
    const since = formatDate(options.since ?? daysAgo(REDRIVABLE_DAYS));
    if (out.json) printJson(out, []);
    else out.print(`No FAILED executions started since ${since}.`);
    return 0;
  }
  const redrivable = candidates.filter((candidate) => candidate.verdict === undefined);
  if (redrivable.length > 0 && !options.yes && !(await confirmed(redrivable, out))) {
    out.warn('Nothing redriven.');
    return 1;
  }
  const results: RedriveResult[] = [];
  for (const { verdict, ...target } of candidates) {
    results.push(verdict ? { ...target, ...verdict } : await redriveOne(clients.sfn, target));
  }
  report(results, out);
  // --failed skips permanent failures by design; a named execution that was not redriven is a failure.
  const fine = (result: RedriveResult) =>
    result.result === 'REDRIVEN' || (options.failed === true && result.result === 'SKIPPED');
  return results.every(fine) ? 0 : 1;
}

type Target = Omit<RedriveResult, 'result' | 'redriveDate' | 'reason'>;
/** An execution to redrive, unless it has a verdict already (not redrivable, or skipped). */
type Candidate = Target & { verdict?: Pick<RedriveResult, 'result' | 'reason'> };

async function findCandidates(sfn: SFNClient, options: RedriveOptions): Promise<Candidate[]> {
  if (options.failed === (options.execution !== undefined)) {
    throw new CliError('Give one execution (name or ARN) or --failed, not both.');
  }
  let arns: string[];
  if (options.execution !== undefined) {
    arns = [await resolveExecutionArn(sfn, options.execution, options.stateMachine)];
  } else {
    const stateMachineArn = await resolveStateMachineArn(sfn, options.stateMachine);
    const since = options.since ?? daysAgo(REDRIVABLE_DAYS);
    const failed = await findExecutions(sfn, stateMachineArn, { status: 'FAILED', since });
    arns = failed.flatMap((item) => (item.executionArn ? [item.executionArn] : []));
  }
  const candidates: Candidate[] = [];
  for (const executionArn of arns) {
    const { view } = await loadExecutionView(sfn, executionArn, {
      withHistory: (execution) => execution.redriveStatus !== 'NOT_REDRIVABLE',
    });
    const candidate: Candidate = { name: view.name, executionArn, employee: employeeLabel(view.employee) };
    const recovery = recoveryOf(view);
    if (recovery?.kind !== 'not redrivable') candidate.resumesAt = view.resumesAt;
    if (recovery?.kind === 'permanent') candidate.verdict = { result: 'SKIPPED', reason: recovery.reason };
    else if (recovery?.kind !== 'redrivable')
      candidate.verdict = notRedrivable(
        recovery?.reason ?? view.redriveStatusReason ?? `it is ${view.status}`,
      );
    candidates.push(candidate);
  }
  return candidates;
}

async function confirmed(candidates: readonly Candidate[], out: Output): Promise<boolean> {
  const count = candidates.length === 1 ? '1 execution' : `${candidates.length} executions`;
  if (!out.confirm) {
    throw new CliError(
      `Refusing to redrive ${count} without confirmation: there is no terminal to ask on. Pass --yes.`,
    );
  }
  for (const candidate of candidates) {
    out.warn(`  ${candidate.employee}  resumes at ${candidate.resumesAt ?? 'its start'}  ${candidate.name}`);
  }
  return out.confirm(`Redrive ${count}?`);
}

async function redriveOne(sfn: SFNClient, target: Target): Promise<RedriveResult> {
  const { executionArn } = target;
  try {
    const { redriveDate } = await sfn.send(new RedriveExecutionCommand({ executionArn }));
    return { ...target, result: 'REDRIVEN', redriveDate };
  } catch (error) {
    if (awsErrorName(error) !== 'ExecutionNotRedrivable') {
      return { ...target, result: 'ERROR', reason: describeError(error).replace(/\n/g, ' ') };
    }
    // It changed since DescribeExecution (another redrive, say): AWS's reason, else the error's.
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return { ...target, ...notRedrivable(execution.redriveStatusReason ?? describeError(error)) };
  }
}

function notRedrivable(reason: string): Pick<RedriveResult, 'result' | 'reason'> {
  return { result: 'NOT_REDRIVABLE', reason };
}

function report(results: readonly RedriveResult[], out: Output): void {
  if (out.json) {
    printJson(out, results);
    return;
  }
  const rows = results.map((result) => [
    paint(result.result, RESULT_COLOURS[result.result], out.color),
    result.employee,
    result.result === 'REDRIVEN'
      ? `resumes at ${result.resumesAt ?? 'its start'} (${formatDate(result.redriveDate)})`
      : (result.reason ?? ''),
    result.name ?? result.executionArn,
  ]);
  out.print(table(['RESULT', 'EMPLOYEE', 'DETAIL', 'EXECUTION'], rows));
}

function daysAgo(days: number): Date {
  return new Date(Date.now() - days * 86_400_000);
}
