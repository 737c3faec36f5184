import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { loadConfig } from './shared/config';
import { logger } from './shared/logger';
import { executionLogging, handlerOptions } from './shared/middleware';
import {
  listTemporaryPasswords,
  type Revocation,
  revokeTemporaryPassword,
} from './shared/temporaryPasswords';

export type SweepOutput = {
  swept: { userName: string; revocation: Revocation }[];
  /** Temporary passwords younger than the maximum age: their run may still deliver them. */
  kept: number;
};

const HOUR_MS = 3_600_000;

/**
 * Runs on a schedule (serverless.yml): revokes every temporary password older than
 * TEMPORARY_PASSWORD_MAX_AGE_HOURS, as of the event's scheduled time, whose run never delivered it
 * (a delivered one is deleted by NotifyUser). Each is revoked on its own; when any fails, the
 * invocation fails after the others are done, and the next sweep retries what is left.
 */
async function core(event: Pick<ScheduledEvent, 'time'>): Promise<SweepOutput> {
  const config = loadConfig(process.env, ['SECRET_PREFIX', 'TEMPORARY_PASSWORD_MAX_AGE_HOURS']);
  const scheduled = Date.parse(event.time);
  const now = Number.isNaN(scheduled) ? Date.now() : scheduled;
  const cutoff = now - Number(config.TEMPORARY_PASSWORD_MAX_AGE_HOURS) * HOUR_MS;
  const secrets = await listTemporaryPasswords(config.SECRET_PREFIX);
  const stale = secrets.filter((secret) => secret.changedAt.getTime() <= cutoff);

  const output: SweepOutput = { swept: [], kept: secrets.length - stale.length };
  const failures: Error[] = [];
  for (const secret of stale) {
    try {
      const revocation = await revokeTemporaryPassword(secret);
      output.swept.push({ userName: secret.userName, revocation });
      logger.warn('Stale temporary password revoked', { userName: secret.userName, revocation });
    } catch (error) {
      failures.push(error as Error);
      logger.error('Stale temporary password not revoked', { userName: secret.userName, error });
    }
  }
  logger.info('Temporary passwords swept', { swept: output.swept.length, kept: output.kept });
  if (failures[0]) throw failures[0];
  return output;
}

export const handler = middy(core, handlerOptions).use(executionLogging());
