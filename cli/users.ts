import {
  GetLoginProfileCommand,
  GetUserCommand,
  type IAMClient,
  ListAccountAliasesCommand,
  paginateListAttachedGroupPolicies,
  paginateListAttachedUserPolicies,
  paginateListGroupsForUser,
  paginateListUsers,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { signInUrl } from '../functions/shared/links';
import type { Clients } from './awsClients';
import { mapConcurrently } from './concurrency';
import { awsErrorName, CliError } from './errors';
import { csvLine, details, formatDate, table } from './format';
import { type Output, printJson } from './output';

/** functions/shared/iam.ts's ONBOARDED_PATH (not imported: that module builds the Lambdas' clients). */
export const ONBOARDED_PATH = '/onboarded/';

export type LoginProfile = { exists: boolean; createDate?: Date; passwordResetRequired?: boolean };

export type UserReport = {
  userName: string;
  path?: string;
  arn?: string;
  userId?: string;
  createDate?: Date;
  passwordLastUsed?: Date;
  permissionsBoundary?: string;
  tags: { key: string; value: string }[];
  groups: { name: string; arn?: string; policies: string[] }[];
  attachedPolicies: { name: string; arn?: string }[];
  loginProfile: LoginProfile;
};

/** `users show`: what the IAM console's user page shows, for one user. */
export async function showUser(
  clients: Pick<Clients, 'iam'>,
  options: { userName: string },
  out: Output,
): Promise<number> {
  const { iam } = clients;
  const { User: user } = await iam.send(new GetUserCommand({ UserName: options.userName }));
  const userName = user?.UserName ?? options.userName;
  const [groups, attachedPolicies, loginProfile] = await Promise.all([
    groupsOf(iam, userName),
    attachedPoliciesOf(iam, userName),
    loginProfileOf(iam, userName),
  ]);
  const report: UserReport = {
    userName,
    path: user?.Path,
    arn: user?.Arn,
    userId: user?.UserId,
    createDate: user?.CreateDate,
    passwordLastUsed: user?.PasswordLastUsed,
    permissionsBoundary: user?.PermissionsBoundary?.PermissionsBoundaryArn,
    tags: (user?.Tags ?? []).map((tag) => ({ key: tag.Key ?? '', value: tag.Value ?? '' })),
    groups,
    attachedPolicies,
    loginProfile,
  };
  if (out.json) printJson(out, report);
  else out.print(userText(report));
  return 0;
}

function userText(report: UserReport): string {
  const sections = [
    details([
      ['User name', report.userName],
      ['ARN', report.arn],
      ['Path', report.path],
      ['Created', formatDate(report.createDate)],
      ['Permissions boundary', report.permissionsBoundary ?? 'none'],
      ['Console access', consoleAccess(report.loginProfile)],
      ['Console last sign-in', report.passwordLastUsed ? formatDate(report.passwordLastUsed) : 'never'],
    ]),
    section(
      'Groups',
      table(
        ['GROUP', 'POLICIES'],
        report.groups.map((group) => [group.name, group.policies.join(', ') || '-']),
      ),
      report.groups.length,
    ),
    section(
      'Policies attached directly',
      table(
        ['POLICY', 'ARN'],
        report.attachedPolicies.map((policy) => [policy.name, policy.arn ?? '']),
      ),
      report.attachedPolicies.length,
    ),
    section(
      'Tags',
      table(
        ['KEY', 'VALUE'],
        report.tags.map((tag) => [tag.key, tag.value]),
      ),
      report.tags.length,
    ),
  ];
  return sections.join('\n\n');
}

function section(title: string, body: string, count: number): string {
  return `${title} (${count})\n${count === 0 ? 'none' : body}`;
}

function consoleAccess(profile: LoginProfile): string {
  if (!profile.exists) return 'disabled (no console password)';
  const reset = profile.passwordResetRequired ? 'password reset pending' : 'no reset pending';
  return `enabled since ${formatDate(profile.createDate)}, ${reset}`;
}

async function groupsOf(iam: IAMClient, userName: string): Promise<UserReport['groups']> {
  const groups: UserReport['groups'] = [];
  for await (const page of paginateListGroupsForUser({ client: iam }, { UserName: userName })) {
    for (const group of page.Groups ?? []) {
      const policies: string[] = [];
      const pages = paginateListAttachedGroupPolicies({ client: iam }, { GroupName: group.GroupName });
      for await (const policyPage of pages) {
        policies.push(...(policyPage.AttachedPolicies ?? []).map((policy) => policy.PolicyName ?? ''));
      }
      groups.push({ name: group.GroupName ?? '', arn: group.Arn, policies });
    }
  }
  return groups;
}

async function attachedPoliciesOf(iam: IAMClient, userName: string): Promise<UserReport['attachedPolicies']> {
  const policies: UserReport['attachedPolicies'] = [];
  for await (const page of paginateListAttachedUserPolicies({ client: iam }, { UserName: userName })) {
    for (const policy of page.AttachedPolicies ?? []) {
      policies.push({ name: policy.PolicyName ?? '', arn: policy.PolicyArn });
    }
  }
  return policies;
}

/** GetLoginProfile; NoSuchEntity means the user has no console password. */
async function loginProfileOf(iam: IAMClient, userName: string): Promise<LoginProfile> {
  try {
    const { LoginProfile: profile } = await iam.send(new GetLoginProfileCommand({ UserName: userName }));
    return {
      exists: true,
      createDate: profile?.CreateDate,
      passwordResetRequired: profile?.PasswordResetRequired,
    };
  } catch (error) {
    if (awsErrorName(error) === 'NoSuchEntityException') return { exists: false };
    throw error;
  }
}

export type ExportOptions = { pathPrefix?: string; csv?: boolean };

/** The IAM console's credentials CSV columns, without `Password`: passwords never leave the workflow. */
const CSV_HEADER = ['User name', 'Console sign-in URL'] as const;

/**
 * `users export`: every user under the path prefix (default `/onboarded/`) that has a console
 * password, with the account's sign-in URL (by alias when there is one, else by account id).
 */
export async function exportUsers(
  clients: Pick<Clients, 'iam' | 'sts'>,
  options: ExportOptions,
  out: Output,
): Promise<number> {
  const { iam } = clients;
  const url = signInUrl(await accountAliasOrId(clients));
  const userNames: string[] = [];
  const pages = paginateListUsers({ client: iam }, { PathPrefix: options.pathPrefix ?? ONBOARDED_PATH });
  for await (const page of pages) userNames.push(...(page.Users ?? []).map((user) => user.UserName ?? ''));
  const profiles = await mapConcurrently(userNames, (userName) => loginProfileOf(iam, userName));
  const rows = userNames
    .filter((_, index) => profiles[index]?.exists)
    .map((userName) => ({ userName, consoleSignInUrl: url }));
  if (options.csv) {
    out.print(
      [CSV_HEADER, ...rows.map((row) => [row.userName, row.consoleSignInUrl])].map(csvLine).join('\n'),
    );
  } else if (out.json) {
    printJson(out, rows);
  } else {
    out.print(
      table(
        ['USER NAME', 'CONSOLE SIGN-IN URL'],
        rows.map((row) => [row.userName, row.consoleSignInUrl]),
      ),
    );
  }
  return 0;
}

async function accountAliasOrId(clients: Pick<Clients, 'iam' | 'sts'>): Promise<string> {
  const { AccountAliases: aliases = [] } = await clients.iam.send(new ListAccountAliasesCommand({}));
  const [alias] = aliases;
  if (alias) return alias;
  const { Account: account } = await clients.sts.send(new GetCallerIdentityCommand({}));
  if (!account) throw new CliError('STS GetCallerIdentity returned no account id.');
  return account;
}
