// Before the engine: it calls Promise.withResolvers, which Node 20 lacks.
import './promiseWithResolvers';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { sfnErrors } from './errors';

type States = StateMachineDefinition['States'];
type State = States[string];
export type JsonValue = Parameters<StateMachine['run']>[0];

/** What a Task state needs at run time. */
export type TaskSpec = { resource: string; timeoutSeconds?: number };

/** A state machine ready to run, built once per definition. */
export type CompiledDefinition = {
  definition: StateMachineDefinition;
  /** Every Task state, nested ones included, by name. */
  tasks: ReadonlyMap<string, TaskSpec>;
  machine: StateMachine;
  /** A machine that starts at `stateName` with `input`, for a redrive; `hiddenState` is its entry shim. */
  resumingAt(stateName: string, input: JsonValue): { machine: StateMachine; hiddenState: string };
};

const NO_VALIDATION = { validationOptions: { noValidate: true } } as const;

/** Parses and validates a definition (ASL schema, JSONPaths, ARNs); throws InvalidDefinition. */
export function parseDefinition(text: string): StateMachineDefinition {
  let definition: StateMachineDefinition;
  try {
    definition = JSON.parse(text) as StateMachineDefinition;
  } catch (error) {
    throw sfnErrors.invalidDefinition(`INVALID_JSON_DESCRIPTION: ${(error as Error).message}`);
  }
  try {
    new StateMachine(definition);
  } catch (error) {
    throw sfnErrors.invalidDefinition(`SCHEMA_VALIDATION_FAILED: ${(error as Error).message}`);
  }
  return definition;
}

/**
 * Compiles definitions once each (validation costs ~70 ms). Every Retry wait (IntervalSeconds,
 * MaxDelaySeconds) is multiplied by `retryDelayScale`; JitterStrategy and BackoffRate are kept.
 */
export class DefinitionCache {
  private readonly compiled = new Map<string, CompiledDefinition>();

  constructor(private readonly retryDelayScale: number) {}

  get(text: string): CompiledDefinition {
    let entry = this.compiled.get(text);
    if (!entry) {
      entry = compile(parseDefinition(text), this.retryDelayScale);
      this.compiled.set(text, entry);
    }
    return entry;
  }
}

function compile(definition: StateMachineDefinition, retryDelayScale: number): CompiledDefinition {
  const scaled = scaleRetries(definition, retryDelayScale);
  const tasks = new Map<string, TaskSpec>();
  for (const [name, state] of allStates(definition.States)) {
    if (state.Type === 'Task')
      tasks.set(name, { resource: state.Resource, timeoutSeconds: state.TimeoutSeconds });
  }
  return {
    definition,
    tasks,
    machine: new StateMachine(scaled, NO_VALIDATION),
    resumingAt(stateName, input) {
      // A Pass state that hands the recorded input to the resumed state: the run itself keeps the
      // execution's input, so $$.Execution.Input stays what AWS would show.
      let hiddenState = 'Redrive';
      while (hiddenState in scaled.States) hiddenState = `_${hiddenState}`;
      const shim: State = { Type: 'Pass', Result: { input }, OutputPath: '$.input', Next: stateName };
      const entry = { ...scaled, StartAt: hiddenState, States: { ...scaled.States, [hiddenState]: shim } };
      return { machine: new StateMachine(entry, NO_VALIDATION), hiddenState };
    },
  };
}

function scaleRetries(definition: StateMachineDefinition, scale: number): StateMachineDefinition {
  // A JSON copy, not structuredClone: under jest that builds objects of another realm, whose nested
  // Parameters the engine then passes through unresolved (its plain-object check compares prototypes).
  const copy = JSON.parse(JSON.stringify(definition)) as StateMachineDefinition;
  for (const [, state] of allStates(copy.States)) {
    if (!('Retry' in state) || !state.Retry) continue;
    for (const retrier of state.Retry) {
      retrier.IntervalSeconds = (retrier.IntervalSeconds ?? 1) * scale;
      if (retrier.MaxDelaySeconds !== undefined) retrier.MaxDelaySeconds *= scale;
    }
  }
  return copy;
}

function* allStates(states: States): Generator<[string, State]> {
  for (const [name, state] of Object.entries(states)) {
    yield [name, state];
    if (state.Type === 'Parallel') for (const branch of state.Branches) yield* allStates(branch.States);
    if (state.Type === 'Map') {
      const processor = state.ItemProcessor ?? state.Iterator;
      if (processor) yield* allStates(processor.States);
    }
  }
}
