import { randomInt } from 'node:crypto';
import type { JsonObject } from '../aws/jsonProtocol';
import type { Collection } from '../store';
import { notFound } from './errors';
import type { StoredSecret } from './model';

/** What every action of one Secrets Manager emulator shares: its secrets and where they live. */
export type SecretsState = { secrets: Collection<StoredSecret>; accountId: string; region: string };

/** One API action: the parsed request body in, the response body out. */
export type SecretsAction = (state: SecretsState, input: JsonObject) => JsonObject;

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export const nowSeconds = (): number => Date.now() / 1000;

export const startOfDaySeconds = (seconds: number): number => Math.floor(seconds / 86_400) * 86_400;

/** Finds a secret by name, full ARN, or partial ARN (the ARN without its random suffix). */
export function find(context: SecretsState, secretId: string): StoredSecret | undefined {
  if (!secretId.startsWith('arn:')) return context.secrets.get(secretId);
  return context.secrets.values().find((s) => s.arn === secretId || s.arn.slice(0, -7) === secretId);
}

export function resolve(context: SecretsState, secretId: string): StoredSecret {
  const secret = find(context, secretId);
  if (!secret) throw notFound();
  return secret;
}

export function nameFromSecretId(secretId: string): string {
  if (!secretId.startsWith('arn:')) return secretId;
  const name = secretId.split(':secret:')[1] ?? secretId;
  return /-[A-Za-z0-9]{6}$/.test(name) ? name.slice(0, -7) : name;
}

export function purgeExpired(context: SecretsState): void {
  const now = nowSeconds();
  for (const secret of context.secrets.values()) {
    if (secret.deletionDate !== undefined && secret.deletionDate <= now) context.secrets.delete(secret.name);
  }
}

export function randomSuffix(): string {
  return Array.from({ length: 6 }, () => ALNUM.charAt(randomInt(ALNUM.length))).join('');
}
