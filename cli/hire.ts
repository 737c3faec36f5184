import { readFile } from 'node:fs/promises';
import { CliError } from './errors';
import { sendHrEvent } from './hrEventSender';
import { type Output, printJson } from './output';

export const DEFAULT_HIRES_URL = 'http://127.0.0.1:3000/hires';

export type HireOptions = { file: string; url: string; secret?: string };

/**
 * `hire`: signs the file's exact bytes (Onboarding-Signature, now) and POSTs them to the webhook, as
 * the HR system does (https, or http to loopback only; redirects are not followed). Prints the
 * status and the answer; exit code 1 unless the webhook answers 2xx.
 */
export async function postHire(options: HireOptions, out: Output): Promise<number> {
  if (!options.secret) {
    throw new CliError('No signing secret: set ONBOARDING_WEBHOOK_SECRET (or pass --secret).');
  }
  const body = await readFile(options.file).catch((error: NodeJS.ErrnoException) => {
    throw new CliError(`Cannot read ${options.file}: ${error.code ?? error.message}`);
  });
  const answer = await sendHrEvent({ url: options.url, body, secret: options.secret });
  if (out.json) {
    printJson(out, { status: answer.status, body: answer.json ?? answer.text });
  } else {
    out.print(`HTTP ${answer.status} ${answer.statusText}`);
    out.print(answer.json === undefined ? answer.text : JSON.stringify(answer.json, null, 2));
  }
  return answer.ok ? 0 : 1;
}
