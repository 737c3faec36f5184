import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { loadServiceConfig } from '../local/serverlessConfig';
import { awsErrorName, CliError } from './errors';
import { prettyLogLine } from './logLines';
import { type Output, printJson } from './output';

const ROOT = resolve(__dirname, '..');
/** The first line of an invocation's log; a tail without it lost its beginning to the 4 KB limit. */
const START = 'START RequestId:';

/** The stage of `npm start`: its functions are iam-onboarding-local-<function>. */
export const LOCAL_STAGE = 'local';

export type InvokeOptions = {
  /** The function's key in serverless.yml (`createUser`). */
  functionKey: string;
  /** A JSON file, or `-` for stdin. */
  event: string;
  stage: string;
  /** Where `-` reads from (default: this process's stdin). */
  stdin?: AsyncIterable<string | Buffer>;
};

/**
 * Runs one function as Lambda's Invoke does (RequestResponse, under the function's own role), with
 * LogType Tail: prints its logs on stderr (pretty, or as written with --json), then its result as
 * JSON on stdout. A function error is a failure: its errorType and errorMessage on stderr, exit 1.
 */
export async function invokeFunction(
  lambda: LambdaClient,
  options: InvokeOptions,
  out: Output,
): Promise<number> {
  const functionName = functionNameOf(options.functionKey, options.stage);
  const payload = await readEvent(options.event, options.stdin ?? process.stdin);
  const response = await lambda
    .send(new InvokeCommand({ FunctionName: functionName, Payload: payload, LogType: 'Tail' }))
    .catch((error: unknown) => {
      if (awsErrorName(error) !== 'ResourceNotFoundException') throw error;
      throw new CliError(
        `No function ${functionName} at the endpoint: is --stage ${options.stage} the stage deployed there?`,
      );
    });

  for (const line of decodeLogResult(response.LogResult)) {
    out.warn(out.json ? line : prettyLogLine(line, options.functionKey, { color: out.color }));
  }
  const result = new TextDecoder().decode(response.Payload);
  if (response.FunctionError) {
    const { errorType, errorMessage } = parsed(result) as { errorType?: unknown; errorMessage?: unknown };
    if (out.json) out.print(result);
    out.warn(`${options.functionKey} failed (${response.FunctionError}): ${errorType}: ${errorMessage}`);
    return 1;
  }
  const value = parsed(result);
  if (value === undefined) out.print(result);
  else printJson(out, value);
  return 0;
}

/** The deployed name of serverless.yml's function `key` in `stage` (`<service>-<stage>-<key>`). */
function functionNameOf(key: string, stage: string): string {
  const config = loadServiceConfig(ROOT, { stage });
  const keys = config.functions.map((fn) => fn.key);
  if (!keys.includes(key)) {
    throw new CliError(`No function '${key}' in serverless.yml. Its functions: ${keys.join(', ')}.`);
  }
  return `${config.service}-${stage}-${key}`;
}

/** The event's bytes, once checked to be JSON (Lambda refuses anything else). */
async function readEvent(file: string, stdin: AsyncIterable<string | Buffer>): Promise<Uint8Array> {
  const where = file === '-' ? 'stdin' : file;
  let text: string;
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    text = Buffer.concat(chunks).toString('utf8');
  } else {
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new CliError(`No such file: ${file}`);
      if (code === 'EISDIR') throw new CliError(`${file} is a folder, not an event file`);
      throw error;
    }
  }
  try {
    JSON.parse(text);
  } catch (error) {
    throw new CliError(`The event in ${where} is not JSON: ${(error as Error).message}`);
  }
  return Buffer.from(text, 'utf8');
}

/** The lines of Lambda's LogResult (base64 of the log's last 4 KB), with a note if its start was cut. */
export function decodeLogResult(logResult: string | undefined): string[] {
  if (!logResult) return [];
  const lines = Buffer.from(logResult, 'base64').toString('utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines.length > 0 && !lines[0]?.startsWith(START)) {
    lines[0] = '… (Lambda returns the last 4 KB of the log: its beginning is cut)';
  }
  return lines;
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
