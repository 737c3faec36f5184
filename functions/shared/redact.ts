/**
 * An email address as logs, error causes and workflow results show it: the first character of the
 * local part and the domain (`a***@example.com`), enough for ops to tell the recipients and domains
 * apart without the address itself being personal data in CloudWatch or the execution history.
 */
export function redactAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 0) return '***';
  return `${address.slice(0, Math.min(1, at))}***${address.slice(at)}`;
}

const ADDRESS = /[\w.!#$%&'*+/=?^`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;

/** Free text (an SES error message, a failure's cause) with every email address in it redacted. */
export function redactAddresses(text: string): string {
  return text.replace(ADDRESS, redactAddress);
}

/**
 * The error itself, or a copy with `scrub` applied to its message and stack when that changes them
 * (the SDK's metadata kept), so that wrapping and logging the error can never leak what it removes.
 */
export function scrubError(error: unknown, scrub: (text: string) => string): unknown {
  if (!(error instanceof Error)) return error;
  const message = scrub(error.message);
  const stack = error.stack === undefined ? undefined : scrub(error.stack);
  if (message === error.message && stack === error.stack) return error;
  const { $metadata, $fault, $retryable, code } = error as Error & Record<string, unknown>;
  const copy = Object.assign(new Error(message), { $metadata, $fault, $retryable, code });
  copy.name = error.name;
  copy.stack = stack;
  return copy;
}
