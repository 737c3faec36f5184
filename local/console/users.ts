import { type IAMClient, paginateListUsers } from '@aws-sdk/client-iam';
import { consoleAccess, lastSignIn, ONBOARDED_PATH, type UserReport, userReport } from '../../cli/userReport';
import { executionArn, executionName } from '../../functions/shared/executionName';
import { TAG_KEYS } from '../../functions/shared/tags';
import type { ExecutionIndex } from './executionIndex';
import { type ExecutionRef, executionsOf, type Lifecycle, lifecycleOf, personOf } from './userLifecycle';

/** A row of the users page (never a password: IAM cannot return one). */
export type UserView = {
  userName: string;
  arn: string;
  createDate?: string;
  /** The person, from the HR event of the newest execution that touched the user. */
  person?: string;
  lifecycle: Lifecycle;
  tags: Record<string, string>;
  groups: string[];
  policies: { name: string; arn: string }[];
  permissionsBoundaryArn?: string;
  loginProfile: 'reset pending' | 'active' | 'none';
  /** The onboarding that created the user, from its eventId tag. */
  executionArn?: string;
};

/** The user page: everything `users show` prints, its state, and the executions that touched it. */
export type UserPage = {
  report: UserReport;
  /** `users show`'s "Console access" and "Console last sign-in" lines. */
  consoleAccess: string;
  lastSignIn: string;
  person?: string;
  lifecycle: Lifecycle;
  executions: ExecutionRef[];
};

/** The users under /onboarded/ (IAM through the shared `users show` model) and their executions. */
export class Users {
  constructor(
    private readonly iam: IAMClient,
    private readonly executions: ExecutionIndex,
    private readonly stateMachineArn: string,
  ) {}

  async list(): Promise<UserView[]> {
    const userNames: string[] = [];
    for await (const page of paginateListUsers({ client: this.iam }, { PathPrefix: ONBOARDED_PATH })) {
      userNames.push(...(page.Users ?? []).map((user) => String(user.UserName)));
    }
    const [reports, executions] = await Promise.all([
      Promise.all(userNames.map((userName) => userReport(this.iam, userName))),
      this.executions.all(),
    ]);
    return reports.map((report) => this.row(report, executions));
  }

  async show(userName: string): Promise<UserPage> {
    const [report, all] = await Promise.all([userReport(this.iam, userName), this.executions.all()]);
    const tags = tagRecord(report);
    const executions = executionsOf({ userName: report.userName, tags }, all);
    return {
      report,
      consoleAccess: consoleAccess(report.loginProfile),
      lastSignIn: lastSignIn(report),
      person: personOf(executions),
      lifecycle: lifecycleOf({ tags, executions }),
      executions,
    };
  }

  private row(report: UserReport, all: readonly ExecutionRef[]): UserView {
    const tags = tagRecord(report);
    const executions = executionsOf({ userName: report.userName, tags }, all);
    const eventId = tags[TAG_KEYS.eventId];
    const { loginProfile } = report;
    return {
      userName: report.userName,
      arn: String(report.arn),
      createDate: report.createDate?.toISOString(),
      person: personOf(executions),
      lifecycle: lifecycleOf({ tags, executions }),
      tags,
      groups: report.groups.map((group) => group.name),
      policies: report.attachedPolicies.map((policy) => ({ name: policy.name, arn: String(policy.arn) })),
      permissionsBoundaryArn: report.permissionsBoundary,
      loginProfile: !loginProfile.exists
        ? 'none'
        : loginProfile.passwordResetRequired
          ? 'reset pending'
          : 'active',
      executionArn: eventId && executionArn(this.stateMachineArn, executionName(eventId)),
    };
  }
}

function tagRecord(report: UserReport): Record<string, string> {
  return Object.fromEntries(report.tags.map((tag) => [tag.key, tag.value]));
}
