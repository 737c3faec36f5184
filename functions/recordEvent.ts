import { TagUserCommand } from '@aws-sdk/client-iam';
import middy from '@middy/core';
import type { Employee } from './shared/hrEvent';
import { iam } from './shared/iamClient';
import { callIam } from './shared/iamErrors';
import { executionLogging, handlerOptions } from './shared/middleware';
import { iamTagValue, TAG_KEYS } from './shared/tags';

export type RecordEventInput = {
  userName: string;
  eventId: string;
  occurredAt: string;
  employee: Employee;
  executionArn: string;
};
export type RecordEventOutput = { tagged: Record<string, string> };

/**
 * The mover's last step: the user's department tag follows the record, and the event is recorded
 * as the last one applied (`lifecycle:lastEventAt`, `lifecycle:lastEventId`), so an older event
 * arriving later finds itself stale and changes nothing.
 */
async function core({
  userName,
  eventId,
  occurredAt,
  employee,
}: RecordEventInput): Promise<RecordEventOutput> {
  const tagged = {
    [TAG_KEYS.department]: iamTagValue(employee.department),
    [TAG_KEYS.lastEventAt]: iamTagValue(occurredAt),
    [TAG_KEYS.lastEventId]: iamTagValue(eventId),
  };
  const Tags = Object.entries(tagged).map(([Key, Value]) => ({ Key, Value }));
  await callIam('TagUser', () => iam.send(new TagUserCommand({ UserName: userName, Tags })));
  return { tagged };
}

export const handler = middy(core, handlerOptions).use(executionLogging());
