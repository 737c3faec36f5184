import type { ErrorObject } from 'ajv';
import { HR_EVENT_TYPES, type HrEvent, type HrEventType } from './hrEvent';
import { validateHrEvent } from './hrEventSchema';

/** One reason an HR event is invalid: `field` is a JSON Pointer ("/" for the whole body). */
export type FieldError = { field: string; message: string };

/** The validated event, or every reason the body is not one. */
export type ParsedEvent = { event: HrEvent } | { errors: FieldError[] };

const RESERVED_KEYS = new Set(['__proto__', 'constructor']);

/** The raw bytes of a request body as API Gateway delivers it (base64 for binary content types). */
export function rawBody(body: string | undefined, isBase64Encoded: boolean): Buffer {
  return Buffer.from(body ?? '', isBase64Encoded ? 'base64' : 'utf8');
}

/**
 * Parses a body strictly and validates it against contracts/hr-event.schema.json: UTF-8 JSON, no key
 * repeated in one object, no `__proto__` or `constructor` key, an event of one of `types`, then
 * every schema error at once.
 */
export function parseHrEvent(body: Buffer, types: readonly HrEventType[] = HR_EVENT_TYPES): ParsedEvent {
  const text = utf8(body);
  if (text === undefined) return fieldError('/', 'must be UTF-8 text');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fieldError('/', 'must be valid JSON');
  }
  const keyProblem = ambiguousKey(text);
  if (keyProblem !== undefined) return fieldError('/', keyProblem);
  const type = typeof value === 'object' && value !== null && 'type' in value ? value.type : undefined;
  if (HR_EVENT_TYPES.some((known) => known === type && !types.includes(known)))
    return fieldError('/type', `must be one of: ${types.join(', ')}`);
  if (!validateHrEvent(value)) return { errors: fieldErrors(validateHrEvent.errors ?? []) };
  return { event: value };
}

/** JSON with every object's keys sorted, so equal events have byte-equal execution inputs. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

function utf8(body: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return undefined;
  }
}

/**
 * Why the keys are ambiguous, if they are: a key repeated in one object (JSON.parse would silently
 * keep the last) or one that could reach a prototype. `json` must be valid JSON: then every `{`, `}`,
 * `[`, `]` outside a string is structure, and a string followed by `:` is a key.
 */
function ambiguousKey(json: string): string | undefined {
  const objects: Array<Set<string> | undefined> = [];
  for (const [token, colon] of json.matchAll(/[{}[\]]|"(?:[^"\\]|\\.)*"\s*(:)?/g)) {
    if (token === '{') objects.push(new Set());
    else if (token === '[') objects.push(undefined);
    else if (token === '}' || token === ']') objects.pop();
    else if (colon !== undefined) {
      const key: string = JSON.parse(token.slice(0, token.lastIndexOf('"') + 1));
      const keys = objects.at(-1);
      if (RESERVED_KEYS.has(key)) return `must not use the key ${JSON.stringify(key)}`;
      if (keys?.has(key)) return `must not repeat the key ${JSON.stringify(key)}`;
      keys?.add(key);
    }
  }
  return undefined;
}

/** A property name as one JSON Pointer reference token (RFC 6901): `~` as `~0`, `/` as `~1`. */
function pointerToken(name: string): string {
  return name.replaceAll('~', '~0').replaceAll('/', '~1');
}

/**
 * One error per problem, as JSON Pointers; the alternatives of an `anyOf` become one error, and an
 * unknown or missing `type` one error on `/type` (the schema then checks nothing else).
 */
function fieldErrors(errors: readonly ErrorObject[]): FieldError[] {
  const alternatives = errors.filter((e) => /\/anyOf\/\d+\//.test(e.schemaPath));
  const typeMissing = errors.some((e) => e.keyword === 'required' && e.params.missingProperty === 'type');
  const described = errors
    .filter((e) => !alternatives.includes(e) && !(typeMissing && e.keyword === 'discriminator'))
    .map((e): FieldError => {
      switch (e.keyword) {
        case 'discriminator':
          return { field: '/type', message: `must be one of: ${HR_EVENT_TYPES.join(', ')}` };
        case 'required':
          return {
            field: `${e.instancePath}/${pointerToken(e.params.missingProperty)}`,
            message: 'is required',
          };
        case 'additionalProperties':
          return {
            field: `${e.instancePath}/${pointerToken(e.params.additionalProperty)}`,
            message: 'is not allowed',
          };
        case 'anyOf': {
          const options = alternatives
            .filter((a) => a.schemaPath.startsWith(`${e.schemaPath}/`))
            .map((a) => a.params.missingProperty ?? a.message);
          return { field: e.instancePath || '/', message: `needs one of: ${options.join(', ')}` };
        }
        default:
          return { field: e.instancePath || '/', message: e.message ?? 'is invalid' };
      }
    });
  // The fields every type has are checked for the body and again for its type's shape: once each.
  const seen = new Set<string>();
  return described.filter(({ field, message }) => {
    const key = JSON.stringify([field, message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function fieldError(field: string, message: string): ParsedEvent {
  return { errors: [{ field, message }] };
}
