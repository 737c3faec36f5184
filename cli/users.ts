import { ListAccountAliasesCommand, paginateListUsers } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { signInUrl } from '../functions/shared/links';
import type { Clients } from './awsClients';
import { mapConcurrently } from './concurrency';
import { CliError } from './errors';
import { csvLine, details, formatDate, table } from './format';
import { type Output, printJson } from './output';
import {
  consoleAccess,
  lastSignIn,
  loginProfileOf,
  ONBOARDED_PATH,
  type UserReport,
  userReport,
} from './userReport';

export type { LoginProfile, UserReport } from './userReport';
export { ONBOARDED_PATH } from './userReport';

/** `users show`: what the IAM console's user page shows, for one user. */
export async function showUser(
  clients: Pick<Clients, 'iam'>,
  options: { userName: string },
  out: Output,
): Promise<number> {
  const report = await userReport(clients.iam, options.userName);
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
      ['Console last sign-in', lastSignIn(report)],
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
