import { IAMServiceException } from '@aws-sdk/client-iam';
import type { Context } from 'aws-lambda';
import type { Employee } from '../../functions/shared/hrEvent';

/** The slice of a Lambda context that middy and Powertools read. */
export const lambdaContext = (functionName: string): Context =>
  ({ functionName, awsRequestId: 'request-1' }) as Context;

/** The execution every handler test runs in. */
export const executionArn = 'arn:aws:states:eu-west-1:123456789012:execution:onboarding:evt-1';

/** The new hire every handler test onboards (before its own overrides). */
export const newHire: Employee = {
  id: 'E1001',
  givenName: 'Ada',
  familyName: 'Lovelace',
  workEmail: 'ada.lovelace@example.com',
  department: 'Engineering',
  managerEmail: 'boss@example.com',
};

/**
 * Runs each test of the enclosing block with `vars` added to a copy of `process.env`, and puts the
 * original back after it, so a test may also change or delete variables.
 */
export function useEnv(vars: Record<string, string>): void {
  let saved: NodeJS.ProcessEnv;
  beforeEach(() => {
    saved = process.env;
    process.env = { ...saved, ...vars };
  });
  afterEach(() => {
    process.env = saved;
  });
}

/**
 * Hands every line written to stdout or stderr from now on to `onLine` instead of the terminal:
 * Powertools Logger writes JSON lines, INFO to stdout, WARN and ERROR to stderr.
 * `jest.restoreAllMocks()` stops it.
 */
function interceptOutput(onLine: (line: string) => void): void {
  const capture = (chunk: unknown) => {
    for (const line of String(chunk).split('\n')) if (line) onLine(line);
    return true;
  };
  jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  jest.spyOn(process.stderr, 'write').mockImplementation(capture);
}

/** Captures the log lines written from now on, as text (see {@link interceptOutput}). */
export function captureLogLines(): string[] {
  const lines: string[] = [];
  interceptOutput((line) => lines.push(line));
  return lines;
}

export type LogRecord = Record<string, unknown>;

/** Captures the log lines written from now on, parsed (see {@link interceptOutput}). */
export function captureLogs(): LogRecord[] {
  const records: LogRecord[] = [];
  interceptOutput((line) => records.push(JSON.parse(line) as LogRecord));
  return records;
}

/** The response metadata of an SDK client error (HTTP 400). */
export const $metadata = { httpStatusCode: 400 };

/** An IAM error the SDK does not model, such as Throttling, as the SDK builds it. */
export const unmodelledIamError = (name: string, status = 400) =>
  new IAMServiceException({
    name,
    $fault: 'client',
    message: `${name} message`,
    $metadata: { httpStatusCode: status },
  });

/** Every request a mocked SDK client received, in order, as [command name, input]. */
export const commandsSent = (mock: { calls(): Array<{ args: [{ input: object }] }> }) =>
  mock.calls().map((call) => [call.args[0].constructor.name, call.args[0].input]);
