import type { Collection } from '../store';
import type { DefinitionCache } from './definitions';
import { sfnErrors } from './errors';
import type { ExecutionRunner } from './executionRunner';
import type { HistoryLog } from './historyLog';
import { Arns, type ExecutionRecord, type StateMachineRecord } from './model';

/** The state of one Step Functions emulator, which its actions share: records, history, definitions, runner. */
export type StepFunctionsState = {
  arns: Arns;
  stateMachines: Collection<StateMachineRecord>;
  executions: Collection<ExecutionRecord>;
  history: HistoryLog;
  definitions: DefinitionCache;
  runner: ExecutionRunner;
};

/** The state machine an ARN names, or AWS's InvalidArn / StateMachineDoesNotExist. */
export function findStateMachine(emulator: StepFunctionsState, arn: string): StateMachineRecord {
  if (!Arns.isStateMachineArn(arn)) throw sfnErrors.invalidArn(arn);
  const record = emulator.stateMachines.get(arn);
  if (!record) throw sfnErrors.stateMachineDoesNotExist(arn);
  return record;
}

/** The execution an ARN names, or AWS's InvalidArn / ExecutionDoesNotExist. */
export function findExecution(emulator: StepFunctionsState, arn: string): ExecutionRecord {
  if (!Arns.isExecutionArn(arn)) throw sfnErrors.invalidArn(arn);
  const record = emulator.executions.get(arn);
  if (!record) throw sfnErrors.executionDoesNotExist(arn);
  return record;
}
