import {
  GetLoginProfileCommand,
  GetUserCommand,
  type IAMClient,
  paginateListAttachedGroupPolicies,
  paginateListAttachedUserPolicies,
  paginateListGroupsForUser,
} from '@aws-sdk/client-iam';
import { awsErrorName } from './errors';
import { formatDate } from './format';

/** functions/shared/iam.ts's ONBOARDED_PATH (not imported: that module builds the Lambdas' clients). */
export const ONBOARDED_PATH = '/onboarded/';

export type LoginProfile = { exists: boolean; createDate?: Date; passwordResetRequired?: boolean };

/** One IAM user as the IAM console's user page shows it: `users show` and the ops console's user page. */
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

/**
 * GetUser, the user's groups with their managed policies, the policies attached to the user and the
 * login profile. A missing user is IAM's NoSuchEntity, thrown as is.
 */
export async function userReport(iam: IAMClient, userName: string): Promise<UserReport> {
  const { User: user } = await iam.send(new GetUserCommand({ UserName: userName }));
  const name = user?.UserName ?? userName;
  const [groups, attachedPolicies, loginProfile] = await Promise.all([
    groupsOf(iam, name),
    attachedPoliciesOf(iam, name),
    loginProfileOf(iam, name),
  ]);
  return {
    userName: name,
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
}

/** The login profile in words: `enabled since 2026-11-28 00:33:40Z, password reset pending`. */
export function consoleAccess(profile: LoginProfile): string {
  if (!profile.exists) return 'disabled (no console password)';
  const reset = profile.passwordResetRequired ? 'password reset pending' : 'no reset pending';
  return `enabled since ${formatDate(profile.createDate)}, ${reset}`;
}

/** The last console sign-in in words. */
export function lastSignIn(report: Pick<UserReport, 'passwordLastUsed'>): string {
  return report.passwordLastUsed ? formatDate(report.passwordLastUsed) : 'never';
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
export async function loginProfileOf(iam: IAMClient, userName: string): Promise<LoginProfile> {
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
