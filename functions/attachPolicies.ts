import { GetUserCommand, PutUserPermissionsBoundaryCommand } from '@aws-sdk/client-iam';
import middy from '@middy/core';
import { loadAccessProfiles, profileFor } from './shared/accessProfiles';
import { loadConfig } from './shared/config';
import type { Employee } from './shared/hrEvent';
import { attachUserPolicy } from './shared/iam';
import { iam } from './shared/iamClient';
import { callIam } from './shared/iamErrors';
import { logger } from './shared/logger';
import { executionLogging, handlerOptions } from './shared/middleware';

export type AttachPoliciesInput = { userName: string; employee: Employee; executionArn: string };
export type AttachPoliciesOutput = { policies: string[]; permissionsBoundary: string };

/**
 * Attaches the profile's direct user policies and makes sure the user's permissions boundary is the
 * profile's (CreateUser sets it, but an adopted user may lack it or have another one).
 */
async function core({ userName, employee }: AttachPoliciesInput): Promise<AttachPoliciesOutput> {
  const { ACCOUNT_ID } = loadConfig(process.env, ['ACCOUNT_ID']);
  const profile = profileFor(loadAccessProfiles(ACCOUNT_ID), employee);
  for (const policyArn of profile.userPolicies) await attachUserPolicy(userName, policyArn);

  const boundary = profile.permissionsBoundary;
  const { User } = await callIam('GetUser', () => iam.send(new GetUserCommand({ UserName: userName })));
  const current = User?.PermissionsBoundary?.PermissionsBoundaryArn;
  if (current !== boundary) {
    const command = new PutUserPermissionsBoundaryCommand({
      UserName: userName,
      PermissionsBoundary: boundary,
    });
    await callIam('PutUserPermissionsBoundary', () => iam.send(command), boundary);
    logger.info('Permissions boundary set', { userName, boundary, previous: current });
  }
  return { policies: [...profile.userPolicies], permissionsBoundary: boundary };
}

export const handler = middy(core, handlerOptions).use(executionLogging());
