import type { Collection } from '../store';
import type { DefinitionCache } from './definitions';
import { sfnErrors } from './errors';
import type { ExecutionRunner } from './executionRunner';
import type { HistoryLog } from './historyLog';
import { Arns, type ExecutionRecord, type StateMachineRecord } from './model';

/** The parts of one emulator that its actions share. */
export type Emulator = {
  arns: Arns;
  stateMachines: Collection<StateMachineRecord>;
  executions: Collection<ExecutionRecord>;
  history: HistoryLog;
  definitions: DefinitionCache;
  runner: ExecutionRunner;
};

export function findStateMachine(emulator: Emulator, arn: string): StateMachineRecord {
  if (!Arns.isStateMachineArn(arn)) throw sfnErrors.invalidArn(arn);
  const record = emulator.stateMachines.get(arn);
  if (!record) throw sfnErrors.stateMachineDoesNotExist(arn);
  return record;
}

export function findExecution(emulator: Emulator, arn: string): ExecutionRecord {
  if (!Arns.isExecutionArn(arn)) throw sfnErrors.invalidArn(arn);
  const record = emulator.executions.get(arn);
  if (!record) throw sfnErrors.executionDoesNotExist(arn);
  return record;
}
