import { readFile } from 'node:fs/promises';
import { signatureHeader } from '../functions/shared/signature';
import { CliError } from './errors';
import { type Output, printJson } from './output';

export const DEFAULT_HIRES_URL = 'http://127.0.0.1:3000/hires';

export type HireOptions = { file: string; url: string; secret?: string };

/**
 * `hire`: signs the file's exact bytes (Onboarding-Signature, now) and POSTs them to the webhook, as
 * the HR system does. Prints the status and the answer; exit code 1 unless the webhook answers 2xx.
 */
export async function postHire(options: HireOptions, out: Output): Promise<number> {
  if (!options.secret) {
    throw new CliError('No signing secret: set ONBOARDING_WEBHOOK_SECRET (or pass --secret).');
  }
  const body = await readFile(options.file).catch((error: NodeJS.ErrnoException) => {
    throw new CliError(`Cannot read ${options.file}: ${error.code ?? error.message}`);
  });
  const signature = signatureHeader(body, options.secret, Math.floor(Date.now() / 1000));
  const response = await fetch(options.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'onboarding-signature': signature },
    body,
  }).catch((error: Error) => {
    const reason = error.cause instanceof Error ? error.cause.message : error.message;
    throw new CliError(`Cannot reach ${options.url}: ${reason}`);
  });
  const text = await response.text();
  const answer = parseJson(text);
  if (out.json) {
    printJson(out, { status: response.status, body: answer ?? text });
  } else {
    out.print(`HTTP ${response.status} ${response.statusText}`);
    out.print(answer === undefined ? text : JSON.stringify(answer, null, 2));
  }
  return response.ok ? 0 : 1;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
