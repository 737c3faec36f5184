import { DetachUserPolicyCommand, RemoveUserFromGroupCommand } from '@aws-sdk/client-iam';
import middy from '@middy/core';
import type { AttachPoliciesOutput } from './attachPolicies';
import type { EnsureGroupsOutput } from './ensureGroups';
import { loadAccessProfiles } from './shared/accessProfiles';
import { loadConfig } from './shared/config';
import { EmployeeUserNotFoundError } from './shared/errors';
import { ONBOARDED_PATH, userGrants } from './shared/iam';
import { iam } from './shared/iamClient';
import { callIam } from './shared/iamErrors';
import { logger } from './shared/logger';
import { executionLogging, handlerOptions } from './shared/middleware';

export type RemoveOldAccessInput = {
  userName: string;
  /** What EnsureGroups and AttachPolicies just granted for the new record: what stays. */
  groups: EnsureGroupsOutput;
  policies: AttachPoliciesOutput;
  executionArn: string;
};
export type RemoveOldAccessOutput = {
  removedFromGroups: string[];
  detachedPolicies: string[];
  kept: string[];
};

/**
 * The mover's last change: takes away what an earlier profile granted and the new one does not.
 * Only what this project grants is ever removed: membership of /onboarded/ groups and managed
 * policies on the access profiles' allow-list. Any other group or policy (given by hand) is kept and
 * listed in `kept`. Runs after the new access is in place, so the user is never left with neither.
 */
async function core({ userName, groups, policies }: RemoveOldAccessInput): Promise<RemoveOldAccessOutput> {
  const { ACCOUNT_ID } = loadConfig(process.env, ['ACCOUNT_ID']);
  const { allowedPolicies } = loadAccessProfiles(ACCOUNT_ID);
  const grants = await userGrants(userName);
  if (!grants) throw new EmployeeUserNotFoundError(`User ${userName} no longer exists`);
  const keepGroups = new Set([...groups.groups, ...groups.copiedGroups]);
  const keepPolicies = new Set([...policies.policies, ...groups.copiedPolicies]);

  const removedFromGroups: string[] = [];
  const kept: string[] = [];
  for (const group of grants.groups) {
    if (keepGroups.has(group.name)) continue;
    if (group.path !== ONBOARDED_PATH) {
      kept.push(group.arn);
      continue;
    }
    const command = new RemoveUserFromGroupCommand({ GroupName: group.name, UserName: userName });
    await callIam('RemoveUserFromGroup', () => iam.send(command));
    removedFromGroups.push(group.name);
  }
  const detachedPolicies: string[] = [];
  for (const policyArn of grants.policies) {
    if (keepPolicies.has(policyArn)) continue;
    if (!allowedPolicies.has(policyArn)) {
      kept.push(policyArn);
      continue;
    }
    const command = new DetachUserPolicyCommand({ UserName: userName, PolicyArn: policyArn });
    await callIam('DetachUserPolicy', () => iam.send(command), policyArn);
    detachedPolicies.push(policyArn);
  }
  logger.info('Old access removed', { userName, removedFromGroups, detachedPolicies, kept });
  return { removedFromGroups, detachedPolicies, kept };
}

export const handler = middy(core, handlerOptions).use(executionLogging());
