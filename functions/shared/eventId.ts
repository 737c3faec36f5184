import schema from '../../contracts/hr-event.schema.json';

/** The eventId rules of contracts/hr-event.schema.json, read from the contract itself. */
const RULES = schema.definitions.eventId;
const PATTERN = new RegExp(RULES.pattern, 'u');

/**
 * Why `value` is not an eventId under the published schema's rules, worded as the POST routes' schema
 * errors are (Ajv's messages; lengths in Unicode code points), or undefined when it is one.
 */
export function eventIdProblem(value: string): string | undefined {
  const length = [...value].length;
  if (length < RULES.minLength) return `must NOT have fewer than ${RULES.minLength} characters`;
  if (length > RULES.maxLength) return `must NOT have more than ${RULES.maxLength} characters`;
  if (!PATTERN.test(value)) return `must match pattern "${RULES.pattern}"`;
  return undefined;
}
