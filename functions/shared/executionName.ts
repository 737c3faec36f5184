import { createHash } from 'node:crypto';

const MAX_NAME_LENGTH = 80;
const HASH_LENGTH = 32; // hex digits: 128 bits of SHA-256
const PREFIX_LENGTH = MAX_NAME_LENGTH - HASH_LENGTH - 1;

/**
 * The Step Functions execution name for an HR eventId, so that a resend is the same execution.
 * A readable prefix (the eventId with every character outside `[0-9A-Za-z_-]` replaced by `-`, cut
 * to 47 characters) then `-` and 128 bits of SHA-256 of the raw eventId: distinct eventIds never
 * share a name even when their prefixes are equal. Always matches `^[0-9A-Za-z_-]{1,80}$`.
 */
export function executionName(eventId: string): string {
  const prefix = eventId.replace(/[^0-9A-Za-z_-]/g, '-').slice(0, PREFIX_LENGTH);
  const hash = createHash('sha256').update(eventId, 'utf8').digest('hex').slice(0, HASH_LENGTH);
  return prefix === '' ? hash : `${prefix}-${hash}`;
}

/** The ARN of the execution called `name` of a state machine. */
export function executionArn(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}
