import { AttachGroupPolicyCommand, CreateGroupCommand } from '@aws-sdk/client-iam';
import middy from '@middy/core';
import { type GroupGrant, loadAccessProfiles, profileFor } from './shared/accessProfiles';
import { loadConfig } from './shared/config';
import { TemplateUserNotFoundError } from './shared/errors';
import type { Employee } from './shared/hrEvent';
import { addUserToGroup, attachUserPolicy, ONBOARDED_PATH, userGrants } from './shared/iam';
import { iam } from './shared/iamClient';
import { callIam, iamError, iamErrorCode } from './shared/iamErrors';
import { logger } from './shared/logger';
import { executionLogging, handlerOptions } from './shared/middleware';

export type EnsureGroupsInput = { userName: string; employee: Employee; executionArn: string };
export type EnsureGroupsOutput = {
  groups: string[];
  copiedGroups: string[];
  copiedPolicies: string[];
  skipped: string[];
};

/**
 * Puts the user in the profile's groups, creating each under /onboarded/ with its policies. With a
 * `copyFrom` template user, also copies the template's /onboarded/ groups and its policies that the
 * access profiles allow; the rest (listed in `skipped`, by ARN) is never granted.
 */
async function core({ userName, employee }: EnsureGroupsInput): Promise<EnsureGroupsOutput> {
  const { ACCOUNT_ID } = loadConfig(process.env, ['ACCOUNT_ID']);
  const profiles = loadAccessProfiles(ACCOUNT_ID);
  const profile = profileFor(profiles, employee);
  for (const group of profile.groups) {
    await ensureGroup(group);
    await addUserToGroup(userName, group.name);
  }
  const groups = profile.groups.map((group) => group.name);
  if (!profile.copyFrom) return { groups, copiedGroups: [], copiedPolicies: [], skipped: [] };

  const template = await userGrants(profile.copyFrom);
  if (!template) throw new TemplateUserNotFoundError(`Template user ${profile.copyFrom} does not exist`);
  const onboarded = template.groups.filter((group) => group.path === ONBOARDED_PATH);
  const copiedGroups = onboarded.map((group) => group.name).filter((name) => !groups.includes(name));
  const copiedPolicies = template.policies.filter((arn) => profiles.allowedPolicies.has(arn));
  const skipped = [
    ...template.groups.filter((group) => group.path !== ONBOARDED_PATH).map((group) => group.arn),
    ...template.policies.filter((arn) => !profiles.allowedPolicies.has(arn)),
  ];
  for (const name of copiedGroups) await addUserToGroup(userName, name);
  for (const arn of copiedPolicies) await attachUserPolicy(userName, arn);
  if (skipped.length > 0) logger.warn('Template grants outside the access profiles skipped', { skipped });
  return { groups, copiedGroups, copiedPolicies, skipped };
}

/** Creates the group under /onboarded/ unless it exists, and attaches its policies (idempotent in IAM). */
async function ensureGroup({ name, policies }: GroupGrant): Promise<void> {
  try {
    await iam.send(new CreateGroupCommand({ GroupName: name, Path: ONBOARDED_PATH }));
  } catch (error) {
    if (iamErrorCode(error) !== 'EntityAlreadyExists') throw iamError('CreateGroup', error);
  }
  for (const policyArn of policies) {
    const command = new AttachGroupPolicyCommand({ GroupName: name, PolicyArn: policyArn });
    await callIam('AttachGroupPolicy', () => iam.send(command), policyArn);
  }
}

export const handler = middy(core, handlerOptions).use(executionLogging());
