import {
  type ExecutionListItem,
  type ExecutionStatus,
  paginateListExecutions,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { executionLink } from '../functions/shared/links';
import type { Clients } from './awsClients';
import { mapConcurrently } from './concurrency';
import { loadExecutionView, unlessSucceeded } from './executionView/load';
import type { Step } from './executionView/steps';
import type { Employee, ExecutionView } from './executionView/view';
import { details, formatDate, formatDuration, paint, paintStatus, table } from './format';
import { type Output, printJson } from './output';
import { resolveExecutionArn, resolveStateMachineArn } from './target';

export type ExecutionRow = {
  name: string;
  executionArn: string;
  employee: Employee;
  /** The IAM user the execution created (see ExecutionView.userName). */
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
  const { view } = await loadExecutionView(sfn, item.executionArn ?? '', { withHistory: unlessSucceeded });
  return {
    name: view.name || (item.name ?? ''),
    executionArn: view.executionArn,
    employee: view.employee,
    userName: view.userName,
    status: view.status,
    startDate: view.startDate,
    stopDate: view.stopDate,
    durationMs: view.durationMs,
    failedStep: view.failedStep?.name,
    redriveCount: view.redriveCount,
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
  const { view } = await loadExecutionView(clients.sfn, executionArn);
  const { steps, failedStep: failed } = view;
  const region = executionArn.split(':')[3] ?? '';
  const report = {
    name: view.name,
    executionArn,
    stateMachineArn: view.stateMachineArn,
    status: view.status,
    employee: view.employee,
    userName: view.userName,
    startDate: view.startDate,
    stopDate: view.stopDate,
    durationMs: view.durationMs,
    error: view.error,
    cause: view.cause,
    failedStep: failed && { name: failed.name, error: failed.error, cause: failed.cause },
    redriveCount: view.redriveCount,
    redriveDate: view.redriveDate,
    redriveStatus: view.redriveStatus,
    redriveStatusReason: view.redriveStatusReason,
    link: executionLink(executionArn, region, options.consoleUrl),
    steps,
  };
  if (out.json) {
    printJson(out, report);
    return 0;
  }
  const stopped = executionFailure(view);
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
      ['Status', paintStatus(report.status, out.color)],
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
        ['Cause', failed.cause],
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
function executionFailure({ error, readableCause, failedStep }: ExecutionView) {
  const sameAsStep = error === failedStep?.error && readableCause === failedStep?.cause;
  return failedStep && sameAsStep ? {} : { error, cause: readableCause };
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
export function employeeLabel(employee: Employee): string {
  if (employee.name && employee.id) return `${employee.name} (${employee.id})`;
  return employee.name ?? employee.id ?? '-';
}
