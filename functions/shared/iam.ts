import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  ListAccountAliasesCommand,
  paginateListAttachedUserPolicies,
  paginateListGroupsForUser,
} from '@aws-sdk/client-iam';
import { iam } from './iamClient';
import { callIam, iamError, iamErrorCode } from './iamErrors';
import { signInUrl } from './links';

/** The IAM path of every user and group the onboarding creates (and of template groups it may copy). */
export const ONBOARDED_PATH = '/onboarded/';

/**
 * The account's console sign-in URL, by its alias when it has one (ListAccountAliases), else by its
 * id: the URL the welcome email gives and HR reads back.
 */
export async function accountSignInUrl(accountId: string): Promise<string> {
  const { AccountAliases } = await callIam('ListAccountAliases', () =>
    iam.send(new ListAccountAliasesCommand({})),
  );
  return signInUrl(AccountAliases?.[0] ?? accountId);
}

/** Attaches a managed policy to a user (a no-op when attached already). */
export async function attachUserPolicy(userName: string, policyArn: string): Promise<void> {
  const command = new AttachUserPolicyCommand({ UserName: userName, PolicyArn: policyArn });
  await callIam('AttachUserPolicy', () => iam.send(command), policyArn);
}

/** Adds a user to a group (a no-op when a member already). */
export async function addUserToGroup(userName: string, groupName: string): Promise<void> {
  const command = new AddUserToGroupCommand({ GroupName: groupName, UserName: userName });
  await callIam('AddUserToGroup', () => iam.send(command));
}

export type UserGrants = {
  groups: { name: string; path: string; arn: string }[];
  /** ARNs of the managed policies attached to the user directly. */
  policies: string[];
};

/** A user's groups and directly attached managed policies, or undefined when the user does not exist. */
export async function userGrants(userName: string): Promise<UserGrants | undefined> {
  const grants: UserGrants = { groups: [], policies: [] };
  let action = 'ListGroupsForUser';
  try {
    for await (const page of paginateListGroupsForUser({ client: iam }, { UserName: userName })) {
      for (const { GroupName, Path, Arn } of page.Groups ?? []) {
        if (GroupName && Arn) grants.groups.push({ name: GroupName, path: Path ?? '', arn: Arn });
      }
    }
    action = 'ListAttachedUserPolicies';
    for await (const page of paginateListAttachedUserPolicies({ client: iam }, { UserName: userName })) {
      for (const { PolicyArn } of page.AttachedPolicies ?? []) if (PolicyArn) grants.policies.push(PolicyArn);
    }
  } catch (error) {
    if (iamErrorCode(error) === 'NoSuchEntity') return undefined;
    throw iamError(action, error);
  }
  return grants;
}
