import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  type ExecutionListItem,
  type ExecutionStatus,
  paginateListExecutions,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { executionLink } from '../functions/shared/links';
import type { Clients } from './awsClients';
import { mapConcurrently } from './concurrency';
import { details, formatDate, formatDuration, paint, paintStatus, table } from './format';
import { failedStep, loadHistory, readableCause, type Step, summarizeSteps } from './history';
import { type Output, printJson } from './output';
import { resolveExecutionArn, resolveStateMachineArn } from './target';

/** Who an execution onboards, from its input (the HR event). */
export type EmployeeSummary = { id?: string; name?: string };

export type ExecutionRow = {
  name: string;
  executionArn: string;
  employee?: EmployeeSummary;
  /** The IAM user, from the output of a SUCCEEDED execution. */
  userName?: string;
  status: string;
  startDate?: Date;
  stopDate?: Date;
  /** Until stopDate, or until now while RUNNING. */
  durationMs?: number;
  /** For an execution that did not succeed: the state whose task failed last (or that was stopped). */
  failedStep?: string;
  redriveCount: number;
};

export type ListOptions = { stateMachine?: string; status?: ExecutionStatus; since?: Date; limit?: number };

export const DEFAULT_LIMIT = 50;
const ENDED_BADLY: ReadonlySet<string> = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);

/** `executions list`: the newest executions first, with employee, user, status, duration, failed step. */
export async function listExecutions(
  clients: Pick<Clients, 'sfn'>,
  options: ListOptions,
  out: Output,
): Promise<number> {
  const stateMachineArn = await resolveStateMachineArn(clients.sfn, options.stateMachine);
  const items = await findExecutions(clients.sfn, stateMachineArn, {
    ...options,
    limit: options.limit ?? DEFAULT_LIMIT,
  });
  const rows = await mapConcurrently(items, (item) => executionRow(clients.sfn, item));
  if (out.json) {
    printJson(out, rows);
    return 0;
  }
  if (rows.length === 0) {
    out.print('No executions.');
    return 0;
  }
  const headers = ['EMPLOYEE', 'USER', 'STATUS', 'STARTED', 'DURATION', 'FAILED STEP', 'EXECUTION'];
  const cells = rows.map((row) => [
    employeeLabel(row.employee),
    row.userName ?? '-',
    paintStatus(row.status, out.color),
    formatDate(row.startDate),
    formatDuration(row.durationMs),
    row.failedStep ? paint(row.failedStep, 'red', out.color) : '-',
    row.name,
  ]);
  out.print(table(headers, cells));
  return 0;
}

/** ListExecutions, newest first, page by page until `since` or `limit` (no limit: every match). */
export async function findExecutions(
  sfn: SFNClient,
  stateMachineArn: string,
  options: { status?: ExecutionStatus; since?: Date; limit?: number },
): Promise<ExecutionListItem[]> {
  const found: ExecutionListItem[] = [];
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const pages = paginateListExecutions(
    { client: sfn, pageSize: Math.min(limit, 100) },
    { stateMachineArn, statusFilter: options.status },
  );
  for await (const page of pages) {
    for (const item of page.executions ?? []) {
      if (options.since && item.startDate && item.startDate < options.since) return found;
      found.push(item);
      if (found.length >= limit) return found;
    }
  }
  return found;
}

async function executionRow(sfn: SFNClient, item: ExecutionListItem): Promise<ExecutionRow> {
  const executionArn = item.executionArn ?? '';
  const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  const status = execution.status ?? item.status ?? 'UNKNOWN';
  const failed = ENDED_BADLY.has(status)
    ? failedStep(summarizeSteps(await loadHistory(sfn, executionArn)))
    : undefined;
  return {
    name: execution.name ?? item.name ?? '',
    executionArn,
    employee: employeeOf(execution.input),
    userName: status === 'SUCCEEDED' ? userNameOf(execution.output) : undefined,
    status,
    startDate: execution.startDate,
    stopDate: execution.stopDate,
    durationMs: durationOf(execution),
    failedStep: failed?.name,
    redriveCount: execution.redriveCount ?? 0,
  };
}

export type ShowOptions = { execution: string; stateMachine?: string; consoleUrl?: string };

/** `executions show`: the execution, its steps in order, the failed step's error and cause, a link. */
export async function showExecution(
  clients: Pick<Clients, 'sfn'>,
  options: ShowOptions,
  out: Output,
): Promise<number> {
  const executionArn = await resolveExecutionArn(clients.sfn, options.execution, options.stateMachine);
  const execution = await clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
  const steps = summarizeSteps(await loadHistory(clients.sfn, executionArn));
  const failed = execution.status === 'SUCCEEDED' ? undefined : failedStep(steps);
  const region = executionArn.split(':')[3] ?? '';
  const report = {
    name: execution.name,
    executionArn,
    stateMachineArn: execution.stateMachineArn,
    status: execution.status,
    employee: employeeOf(execution.input),
    userName: execution.status === 'SUCCEEDED' ? userNameOf(execution.output) : undefined,
    startDate: execution.startDate,
    stopDate: execution.stopDate,
    durationMs: durationOf(execution),
    error: execution.error,
    cause: execution.cause,
    failedStep: failed && { name: failed.name, error: failed.error, cause: failed.cause },
    redriveCount: execution.redriveCount ?? 0,
    redriveDate: execution.redriveDate,
    redriveStatus: execution.redriveStatus,
    redriveStatusReason: execution.redriveStatusReason,
    link: executionLink(executionArn, region, options.consoleUrl),
    steps,
  };
  if (out.json) {
    printJson(out, report);
    return 0;
  }
  const stopped = executionFailure(execution, failed);
  const redrives = report.redriveCount > 0 ? ` (last ${formatDate(report.redriveDate)})` : '';
  const redrivable =
    report.redriveStatus === 'REDRIVABLE'
      ? 'yes'
      : `no: ${report.redriveStatusReason ?? report.redriveStatus}`;
  out.print(
    details([
      ['Execution', report.name],
      ['ARN', executionArn],
      ['Employee', employeeLabel(report.employee)],
      ['User', report.userName],
      ['Status', paintStatus(report.status ?? 'UNKNOWN', out.color)],
      ['Started', formatDate(report.startDate)],
      ['Stopped', report.stopDate && formatDate(report.stopDate)],
      ['Duration', formatDuration(report.durationMs)],
      ['Execution error', stopped.error],
      ['Execution cause', stopped.cause],
      ['Redrives', `${report.redriveCount}${redrives}`],
      ['Redrivable', report.redriveStatus && redrivable],
      ['Link', report.link],
    ]),
  );
  out.print('');
  out.print(stepsTable(steps, out.color));
  if (failed) {
    out.print('');
    out.print(
      details([
        [FAILED_STEP_LABELS[failed.status] ?? 'Failed step', paint(failed.name, 'red', out.color)],
        ['Error', failed.error],
        ['Cause', readableCause(failed.cause)],
      ]),
    );
  }
  return 0;
}

const FAILED_STEP_LABELS: Partial<Record<Step['status'], string>> = {
  ABORTED: 'Stopped at',
  TIMED_OUT: 'Timed out at',
};

/** The execution's own error and cause, unless the failed step already says the same. */
function executionFailure(execution: DescribeExecutionCommandOutput, failed: Step | undefined) {
  const sameAsStep =
    failed !== undefined &&
    execution.error === failed.error &&
    readableCause(execution.cause) === readableCause(failed.cause);
  return sameAsStep ? {} : { error: execution.error, cause: readableCause(execution.cause) };
}

function stepsTable(steps: readonly Step[], color: boolean): string {
  if (steps.length === 0) return 'No steps yet.';
  const redriven = steps.some((step) => step.redrive > 0);
  const headers = ['#', 'STEP', 'STATUS', 'STARTED', 'DURATION', 'RETRIES', ...(redriven ? ['RUN'] : [])];
  const rows = steps.map((step, index) => [
    String(index + 1),
    step.name,
    paintStatus(step.status, color),
    formatDate(step.enteredAt),
    formatDuration(step.durationMs),
    step.type === 'Task' ? String(step.retries) : '-',
    ...(redriven ? [step.redrive === 0 ? 'first' : `redrive ${step.redrive}`] : []),
  ]);
  return table(headers, rows);
}

/** `Ada Lovelace (E1001)`, or `-` when the input names no employee. */
export function employeeLabel(employee: EmployeeSummary | undefined): string {
  if (!employee) return '-';
  if (employee.name && employee.id) return `${employee.name} (${employee.id})`;
  return employee.name ?? employee.id ?? '-';
}

/** The employee an execution's input (the HR event) names. */
export function employeeOf(input: string | undefined): EmployeeSummary | undefined {
  const employee = record(parseJson(input)?.employee);
  if (!employee) return undefined;
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const name = [text(employee.givenName), text(employee.familyName)].filter(Boolean).join(' ');
  return { id: text(employee.id), name: name || undefined };
}

function userNameOf(output: string | undefined): string | undefined {
  const userName = record(parseJson(output)?.user)?.userName;
  return typeof userName === 'string' ? userName : undefined;
}

function durationOf(execution: DescribeExecutionCommandOutput): number | undefined {
  if (!execution.startDate) return undefined;
  return (execution.stopDate ?? new Date()).getTime() - execution.startDate.getTime();
}

function parseJson(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    return record(JSON.parse(text));
  } catch {
    return undefined;
  }
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}
