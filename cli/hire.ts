import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { CliError } from './errors';
import { sendHrEvent } from './hrEventSender';
import { type Output, printJson } from './output';

export const DEFAULT_HIRES_URL = 'http://127.0.0.1:3000/hires';

export type HireOptions = {
  file: string;
  url: string;
  secret?: string;
  /** Send the event as a rehearsal hire (see {@link asRehearsal}). */
  rehearsal?: boolean;
};

/**
 * `hire`: signs the file's exact bytes (Onboarding-Signature, now) and POSTs them to the webhook, as
 * the HR system does (https, or http to loopback only; redirects are not followed). Prints the
 * status and the answer; exit code 1 unless the webhook answers 2xx.
 */
export async function postHire(options: HireOptions, out: Output): Promise<number> {
  if (!options.secret) {
    throw new CliError('No signing secret: set ONBOARDING_WEBHOOK_SECRET (or pass --secret).');
  }
  const file = await readFile(options.file).catch((error: NodeJS.ErrnoException) => {
    throw new CliError(`Cannot read ${options.file}: ${error.code ?? error.message}`);
  });
  let body: Buffer | string = file;
  if (options.rehearsal) {
    const rehearsal = asRehearsal(file, options.file, randomBytes(4).toString('hex'));
    body = rehearsal.body;
    out.warn(`Rehearsal: sent as eventId ${rehearsal.eventId}, employee ${rehearsal.employeeId}`);
  }
  const answer = await sendHrEvent({ url: options.url, body, secret: options.secret });
  if (out.json) {
    printJson(out, { status: answer.status, body: answer.json ?? answer.text });
  } else {
    out.print(`HTTP ${answer.status} ${answer.statusText}`);
    out.print(answer.json === undefined ? answer.text : JSON.stringify(answer.json, null, 2));
  }
  return answer.ok ? 0 : 1;
}

/**
 * The event as a rehearsal hire: its eventId and employee id get the suffix `-r<tag>` and occurredAt
 * is now, so the webhook sees a hire it has never seen, of a person who has no user yet: never a
 * `duplicate`, and the rehearsal's user is its own (`ada.lovelace-e1001-r<tag>` once `ada.lovelace`
 * exists), whatever ran before. The rest of the event (department, addresses) is unchanged.
 */
export function asRehearsal(
  file: Buffer,
  name: string,
  tag: string,
  now = new Date(),
): { body: string; eventId: string; employeeId: string } {
  let event: unknown;
  try {
    event = JSON.parse(file.toString('utf8'));
  } catch {
    throw new CliError(`${name} is not JSON: --rehearsal rewrites the event, so it must parse.`);
  }
  const record = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value);
  if (
    !record(event) ||
    typeof event.eventId !== 'string' ||
    !record(event.employee) ||
    typeof event.employee.id !== 'string'
  ) {
    throw new CliError(`${name} has no eventId or employee.id: --rehearsal needs an employee.hired event.`);
  }
  const eventId = `${event.eventId}-r${tag}`;
  const employeeId = `${event.employee.id}-r${tag}`;
  const rehearsal = {
    ...event,
    eventId,
    occurredAt: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    employee: { ...event.employee, id: employeeId },
  };
  return { body: `${JSON.stringify(rehearsal, null, 2)}\n`, eventId, employeeId };
}
