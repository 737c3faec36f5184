import type { JsonObject } from '../aws/jsonProtocol';
import { notNull, violation } from '../aws/jsonValidation';
import { sfnErrors } from './errors';

/** One API action: the parsed request body in, the response body out. */
export type Action = (params: Params) => JsonObject | Promise<JsonObject>;

/** Typed, validated access to request members, failing the way AWS does. */
export class Params {
  constructor(private readonly body: JsonObject) {}

  string(name: string): string | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw sfnErrors.serialization(`'${name}' must be a string.`);
    return value;
  }

  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined) {
      throw notNull(name);
    }
    return value;
  }

  boolean(name: string): boolean | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') throw sfnErrors.serialization(`'${name}' must be a boolean.`);
    return value;
  }

  /** `maxResults` as AWS reads it: 0 or absent means the default page size of 100; at most 1000. */
  pageSize(): number {
    const value = this.body.maxResults;
    if (value === undefined || value === null) return 100;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw sfnErrors.serialization("'maxResults' must be an integer.");
    }
    if (value < 0 || value > 1000) {
      const bound = value < 0 ? 'greater than or equal to 0' : 'less than or equal to 1000';
      throw violation('maxResults', String(value), `Member must have value ${bound}`);
    }
    return value === 0 ? 100 : value;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const value = this.string(name);
    if (value === undefined || (allowed as readonly string[]).includes(value)) return value as T | undefined;
    throw violation(name, value, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  }
}

/** AWS JSON protocols send timestamps as epoch seconds with a fraction. */
export function epochSeconds(milliseconds: number): number {
  return milliseconds / 1000;
}

/**
 * One page of `items` (already in their final order). The opaque token names the last item handed
 * out, so a page stays correct when items are added in front between calls.
 */
export function paginate<T>(
  items: readonly T[],
  params: Params,
  keyOf: (item: T) => string,
): { items: T[]; nextToken?: string } {
  const size = params.pageSize();
  const token = params.string('nextToken');
  let start = 0;
  if (token !== undefined) {
    const after = Buffer.from(token, 'base64url').toString('utf8');
    const index = items.findIndex((item) => keyOf(item) === after);
    if (index < 0) throw sfnErrors.invalidToken(token);
    start = index + 1;
  }
  const page = items.slice(start, start + size);
  const last = page.at(-1);
  const more = start + size < items.length && last !== undefined;
  return more
    ? { items: page, nextToken: Buffer.from(keyOf(last), 'utf8').toString('base64url') }
    : { items: page };
}
