import { randomUUID } from 'node:crypto';
import { violation } from '../aws/jsonValidation';
import { sfnErrors } from './errors';
import { EXECUTION_STATUSES, type ExecutionRecord, type HistoryEvent, NAME_PATTERN } from './model';
import { type Action, epochSeconds, type Params, paginate } from './params';
import { redriveStatus, resumePoint } from './redrive';
import { findExecution, findStateMachine, type StepFunctionsState } from './state';

const MAX_INPUT_BYTES = 262144;

/**
 * StartExecution, idempotent as in AWS: the same name and input while RUNNING answers the first
 * start again; the same name otherwise (ended, or other input) is ExecutionAlreadyExists.
 */
function startExecution(emulator: StepFunctionsState, params: Params) {
  const stateMachine = findStateMachine(emulator, params.requiredString('stateMachineArn'));
  const name = params.string('name') ?? randomUUID();
  const input = params.string('input') ?? '{}';
  if (!NAME_PATTERN.test(name)) throw sfnErrors.invalidName(name);
  if (Buffer.byteLength(input, 'utf8') > MAX_INPUT_BYTES) {
    throw violation('input', undefined, `Member must have length less than or equal to ${MAX_INPUT_BYTES}`);
  }
  try {
    JSON.parse(input);
  } catch (error) {
    throw sfnErrors.invalidExecutionInput((error as Error).message);
  }
  const executionArn = emulator.arns.execution(stateMachine.name, name);
  const existing = emulator.executions.get(executionArn);
  if (existing) {
    if (existing.status !== 'RUNNING' || existing.input !== input) {
      throw sfnErrors.executionAlreadyExists(executionArn);
    }
    return { executionArn, startDate: epochSeconds(existing.startDate) };
  }
  const compiled = emulator.definitions.get(stateMachine.definition);
  const record: ExecutionRecord = {
    executionArn,
    stateMachineArn: stateMachine.stateMachineArn,
    name,
    status: 'RUNNING',
    input,
    definition: stateMachine.definition,
    roleArn: stateMachine.roleArn,
    startDate: Date.now(),
    redriveCount: 0,
  };
  emulator.executions.set(executionArn, record);
  emulator.history.append(executionArn, 'ExecutionStarted', record.startDate, {
    input,
    inputDetails: { truncated: false },
    roleArn: record.roleArn,
  });
  emulator.runner.start(record, { ...compiled, input: JSON.parse(input) });
  return { executionArn, startDate: epochSeconds(record.startDate) };
}

function describeExecution(emulator: StepFunctionsState, params: Params) {
  const record = findExecution(emulator, params.requiredString('executionArn'));
  return {
    executionArn: record.executionArn,
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: record.status,
    startDate: epochSeconds(record.startDate),
    stopDate: optionalSeconds(record.stopDate),
    input: record.input,
    inputDetails: { included: true },
    output: record.output,
    outputDetails: record.output === undefined ? undefined : { included: true },
    error: record.error,
    cause: record.cause,
    redriveCount: record.redriveCount,
    redriveDate: optionalSeconds(record.redriveDate),
    ...redriveStatus(record),
  };
}

/** Newest first, filtered by status and by whether the execution was redriven. */
function listExecutions(emulator: StepFunctionsState, params: Params) {
  const stateMachineArn = params.string('stateMachineArn');
  if (stateMachineArn === undefined)
    throw sfnErrors.validation('Must provide a StateMachine ARN or MapRun ARN');
  findStateMachine(emulator, stateMachineArn);
  const statusFilter = params.oneOf('statusFilter', EXECUTION_STATUSES);
  const redriveFilter = params.oneOf('redriveFilter', ['REDRIVEN', 'NOT_REDRIVEN'] as const);
  const matching = emulator.executions
    .values()
    .filter((record) => record.stateMachineArn === stateMachineArn)
    .filter((record) => statusFilter === undefined || record.status === statusFilter)
    .filter(
      (record) => redriveFilter === undefined || record.redriveCount > 0 === (redriveFilter === 'REDRIVEN'),
    )
    .sort((a, b) => b.startDate - a.startDate || b.executionArn.localeCompare(a.executionArn));
  const { items, nextToken } = paginate(matching, params, (record) => record.executionArn);
  const executions = items.map((record) => ({
    executionArn: record.executionArn,
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: record.status,
    startDate: epochSeconds(record.startDate),
    stopDate: optionalSeconds(record.stopDate),
    redriveCount: record.redriveCount,
    redriveDate: optionalSeconds(record.redriveDate),
  }));
  return { executions, nextToken };
}

/** Stops a RUNNING execution (ABORTED); for an execution that already ended it changes nothing. */
async function stopExecution(emulator: StepFunctionsState, params: Params) {
  const record = findExecution(emulator, params.requiredString('executionArn'));
  if (record.status === 'RUNNING') {
    await emulator.runner.stop(record.executionArn, {
      error: params.string('error'),
      cause: params.string('cause'),
    });
  }
  return { stopDate: optionalSeconds(record.stopDate) };
}

/**
 * Resumes a FAILED, ABORTED or TIMED_OUT execution at the state that did not complete, with that
 * state's recorded input, under the same ARN and definition; its history goes on from ExecutionRedriven.
 */
function redriveExecution(emulator: StepFunctionsState, params: Params) {
  const record = findExecution(emulator, params.requiredString('executionArn'));
  const clientToken = params.string('clientToken');
  if (
    clientToken !== undefined &&
    clientToken === record.redriveClientToken &&
    record.redriveDate !== undefined
  ) {
    return { redriveDate: epochSeconds(record.redriveDate) };
  }
  const status = redriveStatus(record);
  if (status.redriveStatus === 'NOT_REDRIVABLE')
    throw sfnErrors.executionNotRedrivable(status.redriveStatusReason);
  const resume = resumePoint(record, emulator.history.list(record.executionArn));
  const compiled = emulator.definitions.get(record.definition);
  const redriveDate = Date.now();
  record.status = 'RUNNING';
  record.redriveCount += 1;
  record.redriveDate = redriveDate;
  record.redriveClientToken = clientToken;
  record.stopDate = undefined;
  record.output = undefined;
  record.error = undefined;
  record.cause = undefined;
  emulator.executions.set(record.executionArn, record);
  emulator.history.append(record.executionArn, 'ExecutionRedriven', redriveDate, {
    redriveCount: record.redriveCount,
  });
  const { machine, hiddenState } = compiled.resumingAt(resume.stateName, JSON.parse(resume.input));
  emulator.runner.start(record, { ...compiled, machine, hiddenState, input: JSON.parse(record.input) });
  return { redriveDate: epochSeconds(redriveDate) };
}

/** Events oldest first (or newest first with reverseOrder), paginated; includeExecutionData: false drops inputs and outputs. */
function getExecutionHistory(emulator: StepFunctionsState, params: Params) {
  const record = findExecution(emulator, params.requiredString('executionArn'));
  const events = emulator.history.list(record.executionArn);
  if (params.boolean('reverseOrder')) events.reverse();
  const { items, nextToken } = paginate(events, params, (event) => String(event.id));
  const withData = params.boolean('includeExecutionData') ?? true;
  return { events: withData ? items : items.map(withoutData), nextToken };
}

function withoutData(event: HistoryEvent): HistoryEvent {
  const copy = { ...event };
  for (const [member, value] of Object.entries(event)) {
    if (!member.endsWith('EventDetails') || typeof value !== 'object' || value === null) continue;
    const { input: _input, output: _output, ...rest } = value as Record<string, unknown>;
    copy[member] = rest;
  }
  return copy;
}

function optionalSeconds(milliseconds: number | undefined): number | undefined {
  return milliseconds === undefined ? undefined : epochSeconds(milliseconds);
}

export function executionActions(emulator: StepFunctionsState): [string, Action][] {
  return [
    ['StartExecution', (params) => startExecution(emulator, params)],
    ['DescribeExecution', (params) => describeExecution(emulator, params)],
    ['ListExecutions', (params) => listExecutions(emulator, params)],
    ['StopExecution', (params) => stopExecution(emulator, params)],
    ['RedriveExecution', (params) => redriveExecution(emulator, params)],
    ['GetExecutionHistory', (params) => getExecutionHistory(emulator, params)],
  ];
}
