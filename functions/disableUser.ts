import {
  DeleteLoginProfileCommand,
  paginateListAccessKeys,
  TagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { DescribeExecutionCommand, ExecutionDoesNotExist, StopExecutionCommand } from '@aws-sdk/client-sfn';
import middy from '@middy/core';
import { loadConfig } from './shared/config';
import { getTaggedUser, unmanagedReason } from './shared/employeeUser';
import { EmployeeUserNotFoundError, UserNotManagedError } from './shared/errors';
import { executionArn, executionName } from './shared/executionName';
import { iam } from './shared/iamClient';
import { callIam, iamError, iamErrorCode } from './shared/iamErrors';
import { logger } from './shared/logger';
import { executionLogging, handlerOptions } from './shared/middleware';
import { sfn } from './shared/sfnClient';
import { iamTagValue, TAG_KEYS, tagValue } from './shared/tags';

export type DisableUserInput = {
  userName: string;
  eventId: string;
  occurredAt: string;
  employee: { id: string };
  executionArn: string;
};
export type DisableUserOutput = {
  userName: string;
  disabledAt: string;
  /** When DeleteUser runs: after the retention, or at once for a user whose onboarding never finished. */
  deleteAt: string;
  deleteNow: boolean;
  loginProfileDeleted: boolean;
  deactivatedAccessKeys: string[];
  /** The onboarding this termination stopped (it was still running), if any. */
  stoppedOnboarding: string | null;
};

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The leaver's first change, at effectiveAt: the user can no longer sign in or call AWS (login
 * profile deleted, every access key inactive) and is tagged with the termination that disabled it,
 * which DeleteUser checks after the retention (a rehire clears it). A user whose onboarding never
 * finished (never tagged notified) is deleted at once instead: its onboarding, if still running, is
 * stopped, and what it made is removed.
 */
async function core({
  userName,
  eventId,
  occurredAt,
  employee,
}: DisableUserInput): Promise<DisableUserOutput> {
  const config = loadConfig(process.env, ['STATE_MACHINE_ARN', 'LEAVER_RETENTION_DAYS']);
  const user = await getTaggedUser(userName);
  if (!user) throw new EmployeeUserNotFoundError(`User ${userName} no longer exists`);
  const refusal = unmanagedReason(user, employee.id);
  if (refusal)
    throw new UserNotManagedError(`User ${userName} is not disabled by event ${eventId}: ${refusal}.`);

  const onboarded = tagValue(user.tags, TAG_KEYS.notified) !== undefined;
  const hireEventId = tagValue(user.tags, TAG_KEYS.eventId);
  const stoppedOnboarding =
    onboarded || hireEventId === undefined
      ? null
      : await stopIfRunning(executionArn(config.STATE_MACHINE_ARN, executionName(hireEventId)), eventId);

  const UserName = userName;
  let loginProfileDeleted = true;
  try {
    await iam.send(new DeleteLoginProfileCommand({ UserName }));
  } catch (error) {
    if (iamErrorCode(error) !== 'NoSuchEntity') throw iamError('DeleteLoginProfile', error);
    loginProfileDeleted = false;
  }
  const deactivatedAccessKeys: string[] = [];
  try {
    for await (const page of paginateListAccessKeys({ client: iam }, { UserName }))
      for (const { AccessKeyId, Status } of page.AccessKeyMetadata ?? [])
        if (AccessKeyId && Status !== 'Inactive') deactivatedAccessKeys.push(AccessKeyId);
  } catch (error) {
    throw iamError('ListAccessKeys', error);
  }
  for (const AccessKeyId of deactivatedAccessKeys) {
    const command = new UpdateAccessKeyCommand({ UserName, AccessKeyId, Status: 'Inactive' });
    await callIam('UpdateAccessKey', () => iam.send(command));
  }

  const now = new Date();
  const disabledAt =
    tagValue(user.tags, TAG_KEYS.disabledBy) === iamTagValue(eventId)
      ? (tagValue(user.tags, TAG_KEYS.disabledAt) ?? now.toISOString())
      : now.toISOString();
  const Tags = [
    { Key: TAG_KEYS.disabledBy, Value: iamTagValue(eventId) },
    { Key: TAG_KEYS.disabledAt, Value: disabledAt },
    { Key: TAG_KEYS.lastEventAt, Value: iamTagValue(occurredAt) },
    { Key: TAG_KEYS.lastEventId, Value: iamTagValue(eventId) },
  ];
  await callIam('TagUser', () => iam.send(new TagUserCommand({ UserName, Tags })));

  const retentionDays = Number(config.LEAVER_RETENTION_DAYS);
  const deleteNow = !onboarded || retentionDays === 0;
  const deleteAt = deleteNow
    ? disabledAt
    : new Date(Date.parse(disabledAt) + retentionDays * DAY_MS).toISOString();
  logger.info('User disabled', {
    userName,
    deleteAt,
    deactivatedAccessKeys,
    loginProfileDeleted,
    stoppedOnboarding,
  });
  return {
    userName,
    disabledAt,
    deleteAt,
    deleteNow,
    loginProfileDeleted,
    deactivatedAccessKeys,
    stoppedOnboarding,
  };
}

/** Stops the onboarding execution if it is still running; its ARN when it was stopped. */
async function stopIfRunning(arn: string, eventId: string): Promise<string | null> {
  try {
    const { status } = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    if (status !== 'RUNNING') return null;
  } catch (error) {
    if (error instanceof ExecutionDoesNotExist) return null;
    throw error;
  }
  await sfn.send(
    new StopExecutionCommand({
      executionArn: arn,
      error: 'EmployeeTerminated',
      cause: `employee.terminated event ${eventId} arrived before the onboarding finished`,
    }),
  );
  logger.warn('Unfinished onboarding stopped by the termination', { onboarding: arn });
  return arn;
}

export const handler = middy(core, handlerOptions).use(executionLogging());
