import { paginateListStateMachines, type SFNClient } from '@aws-sdk/client-sfn';
import { executionArn } from '../functions/shared/executionName';
import { CliError } from './errors';

const NAME_PREFIX = 'iam-onboarding-';
/** The mover's and the leaver's state machines are named after the onboarding's, with these suffixes. */
const OTHER_WORKFLOWS = /-(mover|leaver)$/;

/**
 * The state machine's ARN: `ref` when it is an ARN, the state machine called `ref`, or (no `ref`) the
 * only onboarding one: its name starts with `iam-onboarding-` and does not end in `-mover` or
 * `-leaver` (one per stage: pass `--state-machine` when several stages share an account and region).
 */
export async function resolveStateMachineArn(sfn: SFNClient, ref?: string): Promise<string> {
  if (ref?.startsWith('arn:')) return ref;
  const machines: { name: string; arn: string }[] = [];
  for await (const page of paginateListStateMachines({ client: sfn }, {})) {
    for (const machine of page.stateMachines ?? []) {
      if (machine.name && machine.stateMachineArn)
        machines.push({ name: machine.name, arn: machine.stateMachineArn });
    }
  }
  if (ref !== undefined) {
    const named = machines.find((machine) => machine.name === ref);
    if (named) return named.arn;
    throw new CliError(`No state machine named '${ref}'. ${available(machines)}`);
  }
  const candidates = machines.filter(
    (machine) => machine.name.startsWith(NAME_PREFIX) && !OTHER_WORKFLOWS.test(machine.name),
  );
  const [only, ...others] = candidates;
  if (only && others.length === 0) return only.arn;
  if (!only) {
    throw new CliError(
      `No state machine named ${NAME_PREFIX}* here. Pass --state-machine <arn|name> or set ONBOARDING_STATE_MACHINE_ARN. ${available(machines)}`,
    );
  }
  throw new CliError(
    `Several onboarding state machines: ${candidates.map((machine) => machine.name).join(', ')}. Choose one with --state-machine <arn|name> or ONBOARDING_STATE_MACHINE_ARN.`,
  );
}

/** An execution ARN as given, or the ARN of the execution called `ref` of the chosen state machine. */
export async function resolveExecutionArn(
  sfn: SFNClient,
  ref: string,
  stateMachine?: string,
): Promise<string> {
  if (ref.startsWith('arn:')) return ref;
  return executionArn(await resolveStateMachineArn(sfn, stateMachine), ref);
}

function available(machines: readonly { name: string }[]): string {
  return machines.length === 0
    ? 'There is no state machine in this account and region (check --region and --profile).'
    : `State machines here: ${machines.map((machine) => machine.name).join(', ')}.`;
}
