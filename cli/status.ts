import { CliError } from './errors';
import { getEventStatus } from './hrEventSender';
import { type Output, printJson } from './output';

/** The local webhook, as `hire` defaults to (its base: `status` adds `/events/<eventId>`). */
export const DEFAULT_WEBHOOK_URL = 'http://127.0.0.1:3000';

export type StatusOptions = { eventId: string; url: string; secret?: string };

const FIELDS = [
  ['Event', 'eventId'],
  ['Type', 'type'],
  ['Status', 'status'],
  ['Error', 'error'],
  ['User name', 'userName'],
  ['Sign-in URL', 'signInUrl'],
  ['Started', 'startedAt'],
  ['Stopped', 'stoppedAt'],
  ['Execution', 'executionArn'],
] as const;

/**
 * `status`: what the HR system reads back, GET /events/{eventId} signed like `hire` (the same secret,
 * https or http to loopback only, no redirect). `--url` is the webhook's base URL; a `hire`-style URL
 * ending in /hires or /events is taken as its base. Exit code 1 unless the webhook answers 2xx.
 */
export async function showEventStatus(options: StatusOptions, out: Output): Promise<number> {
  if (!options.secret) {
    throw new CliError('No signing secret: set ONBOARDING_WEBHOOK_SECRET (or pass --secret).');
  }
  const url = options.url.replace(/\/+$/, '').replace(/\/(hires|events)$/, '');
  const answer = await getEventStatus({ url, eventId: options.eventId, secret: options.secret });
  if (out.json) {
    printJson(out, { status: answer.status, body: answer.json ?? answer.text });
  } else if (answer.ok && typeof answer.json === 'object' && answer.json !== null) {
    const body = answer.json as Record<string, unknown>;
    const rows = FIELDS.filter(([, key]) => body[key] !== undefined);
    const width = Math.max(...rows.map(([label]) => label.length)) + 1;
    for (const [label, key] of rows) out.print(`${`${label}:`.padEnd(width)} ${String(body[key])}`);
  } else {
    out.print(`HTTP ${answer.status} ${answer.statusText}`);
    out.print(answer.json === undefined ? answer.text : JSON.stringify(answer.json, null, 2));
  }
  return answer.ok ? 0 : 1;
}
