/**
 * The `Cause` Step Functions records for a Lambda function that threw is the function's error as
 * JSON: `{"errorType":"IamServiceError","errorMessage":"...","trace":["..."]}`. States.* errors
 * (States.Timeout, States.TaskFailed...) and Fail states carry a plain sentence instead.
 */

/** The sentence a Task's Cause says: a Lambda error's `errorMessage`, else the cause as it is. */
export function readableCause(cause: string): string;
export function readableCause(cause: string | undefined): string | undefined;
export function readableCause(cause: string | undefined): string | undefined {
  if (cause === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(cause);
    if (typeof parsed === 'object' && parsed !== null && 'errorMessage' in parsed) {
      if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
    }
  } catch {
    // Not JSON: a plain sentence already.
  }
  return cause;
}
