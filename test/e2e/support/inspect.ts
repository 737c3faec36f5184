import { scryptSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GetLoginProfileCommand,
  GetUserCommand,
  type IAMClient,
  paginateListAttachedUserPolicies,
  paginateListGroupsForUser,
  paginateListUsers,
  paginateListUserTags,
} from '@aws-sdk/client-iam';
import { paginateListSecrets, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  type DescribeExecutionCommandOutput,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  RedriveExecutionCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { Employee } from '../../../functions/shared/hrEvent';
import type { Email, TestStack } from './testStack';

/** Every event of an execution's history, oldest first, reading every page. */
export async function executionHistory(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    // A small page size, so that reading "all pages" is really exercised.
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 25, nextToken }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** One invocation of a Task's Lambda, as the history tells it. */
export type Attempt = {
  state: string;
  outcome: 'succeeded' | 'failed' | 'timedOut' | 'open';
  error?: string;
};

/** Every Lambda invocation in the history, in order, with the Task state it belongs to. */
export function attempts(events: readonly HistoryEvent[]): Attempt[] {
  const found: Attempt[] = [];
  let state = '';
  for (const event of events) {
    if (event.type === 'TaskStateEntered') state = event.stateEnteredEventDetails?.name ?? '';
    if (event.type === 'LambdaFunctionScheduled') found.push({ state, outcome: 'open' });
    const last = found.at(-1);
    if (!last) continue;
    if (event.type === 'LambdaFunctionSucceeded') last.outcome = 'succeeded';
    if (event.type === 'LambdaFunctionTimedOut') last.outcome = 'timedOut';
    if (event.type === 'LambdaFunctionFailed') {
      last.outcome = 'failed';
      last.error = event.lambdaFunctionFailedEventDetails?.error;
    }
  }
  return found;
}

/** How many times each Task state's Lambda was invoked. */
export function invocationsByState(events: readonly HistoryEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { state } of attempts(events)) counts[state] = (counts[state] ?? 0) + 1;
  return counts;
}

/** The names of the states entered, in order (a state entered again on a redrive counts again). */
export function statesEntered(events: readonly HistoryEvent[]): string[] {
  return events.flatMap((event) =>
    event.type?.endsWith('StateEntered') ? [event.stateEnteredEventDetails?.name ?? ''] : [],
  );
}

/** The events after the last ExecutionRedriven (the whole history when there was no redrive). */
export function sinceLastRedrive(events: readonly HistoryEvent[]): HistoryEvent[] {
  const index = events.findLastIndex((event) => event.type === 'ExecutionRedriven');
  return events.slice(index + 1);
}

/** Polls `check` until it returns a value other than undefined. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((wait) => setTimeout(wait, 20));
  }
}

/** Redrives a FAILED execution and waits for its end. */
export async function redriveAndSettle(
  stack: TestStack,
  executionArn: string,
): Promise<DescribeExecutionCommandOutput> {
  await stack.sfn.send(new RedriveExecutionCommand({ executionArn }));
  return stack.settle(executionArn);
}

const SELF_SERVICE = 'arn:aws:iam::000000000000:policy/iam-onboarding-self-service';
const BOUNDARY = 'arn:aws:iam::000000000000:policy/iam-onboarding-boundary';
/** config/access-profiles.json, read by hand: what each profile the e2e hires use must end with. */
const GRANTS: Record<string, { groups: string[]; userPolicies: string[]; permissionsBoundary: string }> = {
  Engineering: { groups: ['Developers'], userPolicies: [SELF_SERVICE], permissionsBoundary: BOUNDARY },
  'Engineering / Site Reliability Engineer': {
    groups: ['Developers', 'Operators'],
    userPolicies: [SELF_SERVICE],
    permissionsBoundary: BOUNDARY,
  },
  Finance: { groups: ['Finance'], userPolicies: [SELF_SERVICE], permissionsBoundary: BOUNDARY },
};

/** What the access profiles grant an employee: the oracle for "as the profile says". */
export function grantsFor({ department, jobTitle }: Pick<Employee, 'department' | 'jobTitle'>) {
  const grants = GRANTS[`${department} / ${jobTitle}`] ?? GRANTS[department];
  if (!grants) throw new Error(`No expected grants written down for ${department} / ${jobTitle}`);
  return grants;
}

/** An IAM user as the onboarding checks read it back. */
export type OnboardedUser = {
  userName: string;
  path: string;
  tags: Record<string, string>;
  permissionsBoundary?: string;
  groups: string[];
  userPolicies: string[];
  loginProfile?: { passwordResetRequired: boolean };
};

/** Every user under /onboarded/ whose employeeId tag is `employeeId`, with groups, policies and login profile. */
export async function usersOfEmployee(iam: IAMClient, employeeId: string): Promise<OnboardedUser[]> {
  const users: OnboardedUser[] = [];
  for await (const page of paginateListUsers({ client: iam }, { PathPrefix: '/onboarded/' })) {
    for (const listed of page.Users ?? []) {
      const userName = listed.UserName ?? '';
      const tags: Record<string, string> = {};
      for await (const tagPage of paginateListUserTags({ client: iam }, { UserName: userName })) {
        for (const tag of tagPage.Tags ?? []) tags[tag.Key ?? ''] = tag.Value ?? '';
      }
      if (tags.employeeId === employeeId) users.push(await describeUser(iam, userName, tags));
    }
  }
  return users;
}

async function describeUser(
  iam: IAMClient,
  userName: string,
  tags: Record<string, string>,
): Promise<OnboardedUser> {
  const { User } = await iam.send(new GetUserCommand({ UserName: userName }));
  const groups: string[] = [];
  for await (const page of paginateListGroupsForUser({ client: iam }, { UserName: userName })) {
    for (const group of page.Groups ?? []) groups.push(group.GroupName ?? '');
  }
  const userPolicies: string[] = [];
  for await (const page of paginateListAttachedUserPolicies({ client: iam }, { UserName: userName })) {
    for (const policy of page.AttachedPolicies ?? []) userPolicies.push(policy.PolicyArn ?? '');
  }
  const loginProfile = await iam.send(new GetLoginProfileCommand({ UserName: userName })).then(
    ({ LoginProfile }) => ({ passwordResetRequired: LoginProfile?.PasswordResetRequired === true }),
    (error: unknown) => {
      if ((error as Error).name === 'NoSuchEntityException') return undefined;
      throw error;
    },
  );
  return {
    userName,
    path: User?.Path ?? '',
    tags,
    permissionsBoundary: User?.PermissionsBoundary?.PermissionsBoundaryArn,
    groups: groups.sort(),
    userPolicies: userPolicies.sort(),
    loginProfile,
  };
}

/** The names of every secret in Secrets Manager. */
export async function secretNames(secrets: SecretsManagerClient): Promise<string[]> {
  const names: string[] = [];
  for await (const page of paginateListSecrets({ client: secrets }, {})) {
    for (const secret of page.SecretList ?? []) names.push(secret.Name ?? '');
  }
  return names;
}

/** The temporary password in a password email. */
export function passwordIn(email: Email | undefined): string | undefined {
  return /Temporary password:\s*(\S+)/.exec(email?.body.text ?? '')?.[1];
}

/** The user name a welcome or password email names. */
export function userNameIn(email: Email | undefined): string | undefined {
  return /User name:\s*(\S+)/.exec(email?.body.text ?? '')?.[1];
}

/**
 * Whether `password` is the user's current console password. No IAM API reveals it, so this reads
 * the IAM emulator's journal in the data folder and checks the salted scrypt hash stored there.
 */
export function isCurrentPassword(dataDir: string, userName: string, password: string): boolean {
  let hash: string | undefined;
  for (const line of readFileSync(join(dataDir, 'iam.jsonl'), 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const entry = JSON.parse(line) as { c: string; k: string; v?: { passwordHash?: string }; d?: 1 };
    if (entry.c !== 'loginProfiles' || entry.k !== userName.toLowerCase()) continue;
    hash = entry.d ? undefined : entry.v?.passwordHash;
  }
  const [scheme, salt, expected] = hash?.split('$') ?? [];
  if (scheme !== 'scrypt' || salt === undefined || expected === undefined) return false;
  return scryptSync(password, Buffer.from(salt, 'base64'), 32).toString('base64') === expected;
}
