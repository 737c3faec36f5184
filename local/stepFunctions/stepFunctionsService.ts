import type { AuthorizationRequest } from '../authz/authorizer';
import { type JsonObject, parseJsonBody, serveJson, targetOf } from '../aws/jsonProtocol';
import { SERVICE_PROTOCOLS } from '../aws/services';
import { AwsError, type AwsService } from '../aws/types';
import type { JournalStore } from '../store';
import { DefinitionCache, type JsonValue } from './definitions';
import { sfnErrors } from './errors';
import { executionActions } from './executionActions';
import { ExecutionRunner, type TaskInvoker } from './executionRunner';
import { HistoryLog } from './historyLog';
import { Arns, type ExecutionRecord, NAME_PATTERN, type StateMachineRecord } from './model';
import { type Action, Params } from './params';
import { failInterruptedExecutions, resumePoint } from './redrive';
import type { StepFunctionsState } from './state';
import { putStateMachine, stateMachineActions } from './stateMachineActions';

/** endWait on an execution that is not waiting. */
export class WaitNotEndedError extends Error {
  override name = 'WaitNotEndedError';
}

const INTERNAL_FAILURE = new AwsError(500, 'InternalFailure', 'The request processing has failed.');

export type { TaskInvoker };

export type StepFunctionsEmulator = {
  service: AwsService; // handles JSON 1.0 requests
  registerStateMachine(name: string, definition: object, roleArn: string): string; // returns ARN; idempotent: re-registering the same name updates the definition (called at every start for statemachines/*)
  /**
   * Resumes the executions that were in a Wait state when the store was last used (call once the
   * state machines and their roles are registered): each waits out what was left of its Wait.
   */
  resumeInterruptedWaits(): void;
  /**
   * Ends the Wait state a running execution is in now, as if its time had come (a local stand-in for
   * a clock: a leaver's retention, a start date). Answers the Wait's name; throws when not waiting.
   */
  endWait(executionArn: string): Promise<string>;
  whenIdle(): Promise<void>; // resolves when no execution is running (tests, shutdown)
  /** Ends every run without recording anything, as a process exit would (the stack's stop). */
  halt(): Promise<void>;
};

/**
 * A local AWS Step Functions (JSON 1.0 protocol) for Standard workflows: state machines,
 * executions and their histories live in `store`; executions run on aws-local-stepfunctions with
 * every Task state calling `invokeTask`. Executions that were RUNNING when the store was last used
 * come back FAILED and redrivable.
 */
export function createStepFunctionsEmulator(options: {
  store: JournalStore;
  accountId: string;
  region: string;
  invokeTask: TaskInvoker;
  retryDelayScale?: number;
  /** Told of every status change of an execution (the stack emits Step Functions' EventBridge event). */
  onStatusChange?: (record: ExecutionRecord) => void;
}): StepFunctionsEmulator {
  const executions = options.store.collection<ExecutionRecord>('executions');
  const history = new HistoryLog(options.store);
  const interruptedWaits = failInterruptedExecutions(executions, history);
  const emulator: StepFunctionsState = {
    arns: new Arns(options.region, options.accountId),
    stateMachines: options.store.collection<StateMachineRecord>('stateMachines'),
    executions,
    history,
    definitions: new DefinitionCache(options.retryDelayScale ?? 1),
    runner: new ExecutionRunner(executions, history, options.invokeTask, options.onStatusChange),
  };
  const actions = new Map<string, Action>([...stateMachineActions(emulator), ...executionActions(emulator)]);
  /** Runs an execution on from the Wait it was in (its entry already in the history), ending at `waitUntil`. */
  const resumeWait = (record: ExecutionRecord, stateName: string, input: JsonValue, waitUntil?: number) => {
    const compiled = emulator.definitions.get(record.definition);
    const { machine, hiddenState } = compiled.resumingAt(stateName, input, waitUntil);
    const plan = {
      ...compiled,
      machine,
      hiddenState,
      resumedWait: stateName,
      input: JSON.parse(record.input),
    };
    emulator.runner.start(record, plan, false);
  };
  return {
    service: (request) =>
      serveJson(
        request,
        SERVICE_PROTOCOLS.states,
        async (name) => {
          const action = name === undefined ? undefined : actions.get(name);
          if (name === undefined || !action) throw sfnErrors.unknownOperation(targetOf(request));
          const body = parseJsonBody(request.body);
          await request.caller.authorize(authorizations(emulator.arns, name, body));
          return action(new Params(body));
        },
        { error: INTERNAL_FAILURE, log: 'Step Functions emulator: unexpected error' },
      ),
    registerStateMachine(name, definition, roleArn) {
      if (!NAME_PATTERN.test(name)) throw new Error(`Invalid state machine name: '${name}'`);
      const text = JSON.stringify(definition, null, 2);
      emulator.definitions.get(text);
      return putStateMachine(emulator, name, text, roleArn).stateMachineArn;
    },
    resumeInterruptedWaits() {
      for (const { record, stateName, input, enteredAt } of interruptedWaits.splice(0)) {
        const { definition } = emulator.definitions.get(record.definition);
        const parsed = JSON.parse(input) as JsonValue;
        resumeWait(record, stateName, parsed, waitEnd(definition.States[stateName], parsed, enteredAt));
      }
    },
    async endWait(executionArn) {
      const record = executions.get(executionArn);
      if (!record) throw new WaitNotEndedError(`No execution ${executionArn}`);
      const { stateName, input } = resumePoint(record, history.list(executionArn));
      const state = emulator.definitions.get(record.definition).definition.States[stateName];
      if (record.status !== 'RUNNING' || state?.Type !== 'Wait')
        throw new WaitNotEndedError(
          `Execution ${executionArn} is ${record.status}${record.status === 'RUNNING' ? ` in ${stateName}` : ''}, not in a Wait state`,
        );
      await emulator.runner.interrupt(executionArn);
      resumeWait(record, stateName, JSON.parse(input) as JsonValue, Date.now());
      return stateName;
    },
    whenIdle: () => emulator.runner.whenIdle(),
    halt: () => emulator.runner.halt(),
  };
}

/**
 * The action on the state machine or execution the request names (Service Authorization Reference);
 * CreateStateMachine also passes its role, which needs iam:PassRole.
 */
function authorizations(arns: Arns, action: string, body: JsonObject): AuthorizationRequest[] {
  const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : undefined);
  const resource =
    action === 'CreateStateMachine'
      ? arns.stateMachine(text('name') ?? '')
      : (text('executionArn') ?? text('stateMachineArn') ?? '*');
  const requests: AuthorizationRequest[] = [{ action: `states:${action}`, resource }];
  const roleArn = text('roleArn');
  if (action === 'CreateStateMachine' && roleArn) {
    requests.push({
      action: 'iam:PassRole',
      resource: roleArn,
      keys: { 'iam:PassedToService': 'states.amazonaws.com' },
    });
  }
  return requests;
}

/**
 * When a Wait entered at `enteredAt` ends, for the Waits whose end the engine would count again from
 * now (Seconds, SecondsPath); undefined for a Timestamp or TimestampPath, which the engine honours.
 */
function waitEnd(state: unknown, input: JsonValue, enteredAt: number): number | undefined {
  const wait = state as { Seconds?: number; SecondsPath?: string };
  if (typeof wait.Seconds === 'number') return enteredAt + wait.Seconds * 1000;
  if (typeof wait.SecondsPath === 'string' && wait.SecondsPath.startsWith('$.')) {
    let value: unknown = input;
    for (const key of wait.SecondsPath.slice(2).split('.')) value = (value as Record<string, unknown>)?.[key];
    if (typeof value === 'number') return enteredAt + value * 1000;
  }
  return undefined;
}
