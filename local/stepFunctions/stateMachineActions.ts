import { sfnErrors } from './errors';
import { Arns, NAME_PATTERN, type StateMachineRecord } from './model';
import { type Action, epochSeconds, type Params, paginate } from './params';
import { findStateMachine, type StepFunctionsState } from './state';

/** Creates or updates a state machine; the definition must already be valid. */
export function putStateMachine(
  emulator: StepFunctionsState,
  name: string,
  definition: string,
  roleArn: string,
): StateMachineRecord {
  const stateMachineArn = emulator.arns.stateMachine(name);
  const existing = emulator.stateMachines.get(stateMachineArn);
  const record = {
    stateMachineArn,
    name,
    definition,
    roleArn,
    creationDate: existing?.creationDate ?? Date.now(),
  };
  emulator.stateMachines.set(stateMachineArn, record);
  return record;
}

/** CreateStateMachine is idempotent on name and definition; the same name with another definition conflicts. */
function createStateMachine(emulator: StepFunctionsState, params: Params) {
  const name = params.requiredString('name');
  const definition = params.requiredString('definition');
  const roleArn = params.requiredString('roleArn');
  const type = params.oneOf('type', ['STANDARD', 'EXPRESS'] as const) ?? 'STANDARD';
  if (!NAME_PATTERN.test(name)) throw sfnErrors.invalidName(name);
  if (!/^arn:aws[\w-]*:iam::[^:]*:role\/.+$/.test(roleArn)) throw sfnErrors.invalidArn(roleArn);
  if (type !== 'STANDARD') throw sfnErrors.stateMachineTypeNotSupported(type);
  emulator.definitions.get(definition);
  const existing = emulator.stateMachines.get(emulator.arns.stateMachine(name));
  if (existing && existing.definition !== definition) {
    throw sfnErrors.stateMachineAlreadyExists(existing.stateMachineArn);
  }
  const record = existing ?? putStateMachine(emulator, name, definition, roleArn);
  return { stateMachineArn: record.stateMachineArn, creationDate: epochSeconds(record.creationDate) };
}

function describeStateMachine(emulator: StepFunctionsState, params: Params) {
  const record = findStateMachine(emulator, params.requiredString('stateMachineArn'));
  return {
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: 'ACTIVE',
    definition: record.definition,
    roleArn: record.roleArn,
    type: 'STANDARD',
    creationDate: epochSeconds(record.creationDate),
  };
}

function listStateMachines(emulator: StepFunctionsState, params: Params) {
  const sorted = emulator.stateMachines.values().sort((a, b) => a.name.localeCompare(b.name));
  const { items, nextToken } = paginate(sorted, params, (record) => record.stateMachineArn);
  const stateMachines = items.map((record) => ({
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    type: 'STANDARD',
    creationDate: epochSeconds(record.creationDate),
  }));
  return { stateMachines, nextToken };
}

/** Deletes at once (AWS answers success for an unknown ARN too); running executions finish on their definition. */
function deleteStateMachine(emulator: StepFunctionsState, params: Params) {
  const arn = params.requiredString('stateMachineArn');
  if (!Arns.isStateMachineArn(arn)) throw sfnErrors.invalidArn(arn);
  emulator.stateMachines.delete(arn);
  return {};
}

export function stateMachineActions(emulator: StepFunctionsState): [string, Action][] {
  return [
    ['CreateStateMachine', (params) => createStateMachine(emulator, params)],
    ['DescribeStateMachine', (params) => describeStateMachine(emulator, params)],
    ['ListStateMachines', (params) => listStateMachines(emulator, params)],
    ['DeleteStateMachine', (params) => deleteStateMachine(emulator, params)],
  ];
}
