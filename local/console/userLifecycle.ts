import type { Employee } from '../../cli/executionView/view';
import { iamTagValue, TAG_KEYS } from '../../functions/shared/tags';

/** An execution as the users pages and the mailbox need it: the CLI's ops view, summarised. */
export type ExecutionRef = {
  executionArn: string;
  name: string;
  status: string;
  startDate?: string;
  stopDate?: string;
  employee: Employee;
  /** The IAM user it created or adopted (its output, else CreateUser's). */
  userName?: string;
  failedStep?: string;
};

/** Where an onboarded user stands. `disabled` comes with leavers (employee.terminated). */
export const LIFECYCLE_STATES = ['onboarding', 'active', 'failed'] as const;
export type LifecycleState = (typeof LIFECYCLE_STATES)[number];
export type Lifecycle = { state: LifecycleState; reason: string };

/** What the state is decided on: the user's tags, and the executions that touched it, newest first. */
export type UserFacts = { tags: Readonly<Record<string, string>>; executions: readonly ExecutionRef[] };

const ENDED_BADLY: ReadonlySet<string> = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);

/**
 * The rules in precedence order; the first that answers decides. A leaver's rule (`disabled`, from
 * the tag or the missing login profile the terminate workflow leaves) goes first when it comes.
 */
const RULES: readonly ((facts: UserFacts) => Lifecycle | undefined)[] = [
  // A notified user has working access whatever a later event did (a resent hire that CreateUser
  // refused leaves the user as it was): the state says so, the reason adds the later failure.
  ({ tags, executions: [last] }) => {
    if (!tags[TAG_KEYS.notified]) return undefined;
    const later = last && ENDED_BADLY.has(last.status) ? `; ${endedBadly(last)}` : '';
    return { state: 'active', reason: `onboarded: both emails sent${later}` };
  },
  ({ executions: [last] }) =>
    last && ENDED_BADLY.has(last.status) ? { state: 'failed', reason: endedBadly(last) } : undefined,
];

function endedBadly(execution: ExecutionRef): string {
  const where = execution.failedStep ? ` at ${execution.failedStep}` : '';
  return `its last execution ${execution.status.toLowerCase().replace('_', ' ')}${where}`;
}

/**
 * The user's lifecycle state: `active` once NotifyUser tagged it as notified; else `failed` when the
 * last execution that touched it failed, timed out or was stopped (a half-onboarded user); else
 * `onboarding` (the user exists, the emails are not out yet).
 */
export function lifecycleOf(facts: UserFacts): Lifecycle {
  for (const rule of RULES) {
    const lifecycle = rule(facts);
    if (lifecycle) return lifecycle;
  }
  const running = facts.executions[0]?.status === 'RUNNING' ? 'its onboarding is running; ' : '';
  return { state: 'onboarding', reason: `${running}the emails have not been sent yet` };
}

/**
 * Whether an execution touched the user: it names the user (in its output or CreateUser's), or its
 * HR event's employee is the one in the user's `employeeId` tag (as CreateUser wrote it).
 */
export function touches(
  execution: ExecutionRef,
  user: { userName: string; tags: Readonly<Record<string, string>> },
): boolean {
  if (execution.userName !== undefined) return execution.userName === user.userName;
  const employeeId = user.tags[TAG_KEYS.employeeId];
  return employeeId !== undefined && execution.employee.id !== undefined
    ? iamTagValue(execution.employee.id) === employeeId
    : false;
}

/** The executions that touched the user, newest first. */
export function executionsOf(
  user: { userName: string; tags: Readonly<Record<string, string>> },
  executions: readonly ExecutionRef[],
): ExecutionRef[] {
  return executions
    .filter((execution) => touches(execution, user))
    .sort((a, b) => (b.startDate ?? '').localeCompare(a.startDate ?? ''));
}

/** The person's name, from the newest execution that touched the user and names one. */
export function personOf(executions: readonly ExecutionRef[]): string | undefined {
  return executions.find((execution) => execution.employee.name)?.employee.name;
}
