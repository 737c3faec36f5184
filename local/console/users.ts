import {
  GetLoginProfileCommand,
  GetUserCommand,
  type IAMClient,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListUsersCommand,
  type User,
} from '@aws-sdk/client-iam';
import { executionArn, executionName } from '../../functions/shared/executionName';

/** What the users page shows of an onboarded IAM user (never a password: IAM cannot return one). */
export type UserView = {
  userName: string;
  arn: string;
  createDate?: string;
  tags: Record<string, string>;
  groups: string[];
  policies: { name: string; arn: string }[];
  permissionsBoundaryArn?: string;
  loginProfile: 'reset pending' | 'active' | 'none';
  /** The onboarding that created the user, from its eventId tag. */
  executionArn?: string;
};

const ONBOARDED_PATH = '/onboarded/';

/** The users under /onboarded/ with their groups, attached policies, boundary and login profile. */
export async function onboardedUsers(iam: IAMClient, stateMachineArn: string): Promise<UserView[]> {
  const users: User[] = [];
  let marker: string | undefined;
  do {
    const page = await iam.send(new ListUsersCommand({ PathPrefix: ONBOARDED_PATH, Marker: marker }));
    users.push(...(page.Users ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return Promise.all(users.map((user) => describeUser(iam, String(user.UserName), stateMachineArn)));
}

async function describeUser(iam: IAMClient, userName: string, stateMachineArn: string): Promise<UserView> {
  const [{ User: user }, { Groups = [] }, { AttachedPolicies = [] }, loginProfile] = await Promise.all([
    iam.send(new GetUserCommand({ UserName: userName })),
    iam.send(new ListGroupsForUserCommand({ UserName: userName })),
    iam.send(new ListAttachedUserPoliciesCommand({ UserName: userName })),
    iam.send(new GetLoginProfileCommand({ UserName: userName })).then(
      ({ LoginProfile }): UserView['loginProfile'] =>
        LoginProfile?.PasswordResetRequired ? 'reset pending' : 'active',
      (error: unknown): UserView['loginProfile'] => {
        if ((error as Error).name === 'NoSuchEntityException') return 'none';
        throw error;
      },
    ),
  ]);
  const tags = Object.fromEntries((user?.Tags ?? []).map((tag) => [String(tag.Key), String(tag.Value)]));
  return {
    userName,
    arn: String(user?.Arn),
    createDate: user?.CreateDate?.toISOString(),
    tags,
    groups: Groups.map((group) => String(group.GroupName)),
    policies: AttachedPolicies.map((policy) => ({
      name: String(policy.PolicyName),
      arn: String(policy.PolicyArn),
    })),
    permissionsBoundaryArn: user?.PermissionsBoundary?.PermissionsBoundaryArn,
    loginProfile,
    executionArn: tags.eventId && executionArn(stateMachineArn, executionName(tags.eventId)),
  };
}
