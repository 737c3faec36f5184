import { AwsError } from '../aws/types';
import { invalidParameter, MESSAGES, validation } from './errors';

/**
 * DynamoDB's typed attribute values as the JSON protocol carries them (`{"S": "x"}`, `{"N": "1"}`,
 * `{"B": "<base64>"}`...), read and checked as DynamoDB does: exactly one type per value, numbers
 * of at most 38 significant digits within 1E-130..9.99E+125 (stored normalized, as DynamoDB
 * returns them), sets non-empty and without duplicates.
 */

export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { M: Item }
  | { L: AttributeValue[] }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] };

export type Item = Record<string, AttributeValue>;

export const TYPES = ['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS'] as const;
export type AttributeType = (typeof TYPES)[number];

export function typeOf(value: AttributeValue): AttributeType {
  return Object.keys(value)[0] as AttributeType;
}

/** The payload of a value of a known type. */
export function payload<T extends AttributeType>(
  value: AttributeValue,
  type: T,
): Extract<AttributeValue, Record<T, unknown>>[T] | undefined {
  return typeOf(value) === type ? (value as unknown as Record<T, never>)[type] : undefined;
}

// ---- Numbers: m × 10^e, exact (BigInt mantissa), normalized so m has no trailing zero.

export type Decimal = { m: bigint; e: number };

const NUMBER = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

export function parseDecimal(text: string): Decimal {
  const match = NUMBER.exec(text);
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match ?? [];
  if (!match || whole.length + fraction.length === 0) {
    throw validation(text === '' ? MESSAGES.notANumber : `${MESSAGES.notANumber}: ${text}`);
  }
  const m = BigInt(`${sign === '-' ? '-' : ''}${whole}${fraction}` || '0');
  return checkedDecimal(normalize({ m, e: Number(exponent) - fraction.length }));
}

function normalize({ m, e }: Decimal): Decimal {
  if (m === 0n) return { m: 0n, e: 0 };
  let mantissa = m;
  let exponent = e;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent += 1;
  }
  return { m: mantissa, e: exponent };
}

function checkedDecimal(value: Decimal): Decimal {
  if (value.m === 0n) return value;
  const digits = (value.m < 0n ? -value.m : value.m).toString().length;
  if (digits > 38) throw validation(MESSAGES.tooManyDigits);
  const magnitude = digits - 1 + value.e;
  if (magnitude > 125) throw validation(MESSAGES.overflow);
  if (magnitude < -130) throw validation(MESSAGES.underflow);
  return value;
}

export function formatDecimal({ m, e }: Decimal): string {
  if (m === 0n) return '0';
  const negative = m < 0n;
  const digits = (negative ? -m : m).toString();
  const sign = negative ? '-' : '';
  if (e >= 0) return `${sign}${digits}${'0'.repeat(e)}`;
  const point = digits.length + e;
  if (point > 0) return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
  return `${sign}0.${'0'.repeat(-point)}${digits}`;
}

export function compareDecimals(a: Decimal, b: Decimal): number {
  const e = Math.min(a.e, b.e);
  const left = a.m * 10n ** BigInt(a.e - e);
  const right = b.m * 10n ** BigInt(b.e - e);
  return left < right ? -1 : left > right ? 1 : 0;
}

export function addDecimals(a: Decimal, b: Decimal, negateB = false): Decimal {
  const e = Math.min(a.e, b.e);
  const left = a.m * 10n ** BigInt(a.e - e);
  const right = b.m * 10n ** BigInt(b.e - e);
  return checkedDecimal(normalize({ m: negateB ? left - right : left + right, e }));
}

export const canonicalNumber = (text: string): string => formatDecimal(parseDecimal(text));

// ---- Reading values off the wire.

/** The name DynamoDB's deserializer gives a JSON value of the wrong kind. */
function jsonKind(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? 'NUMBER_VALUE' : 'DECIMAL_VALUE';
  if (typeof value === 'boolean') return value ? 'TRUE_VALUE' : 'FALSE_VALUE';
  return 'STRING_VALUE';
}

function serialization(value: unknown, target: string): AwsError {
  if (Array.isArray(value)) {
    return new AwsError(
      400,
      'SerializationException',
      `Unrecognized collection type class java.lang.${target}`,
    );
  }
  if (typeof value === 'object' && value !== null) {
    return new AwsError(400, 'SerializationException', 'Unexpected field type');
  }
  return new AwsError(400, 'SerializationException', `${jsonKind(value)} cannot be converted to ${target}`);
}

function text(value: unknown): string {
  if (typeof value !== 'string') throw serialization(value, 'String');
  return value;
}

function base64(value: unknown): string {
  const encoded = text(value);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 === 1) {
    throw new AwsError(
      400,
      'SerializationException',
      'Base64 encoded length is expected a multiple of 4 bytes',
    );
  }
  return Buffer.from(encoded, 'base64').toString('base64');
}

function list(value: unknown, target: string): unknown[] {
  if (!Array.isArray(value)) throw serialization(value, target);
  return value;
}

function record(value: unknown, target: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw serialization(value, target);
  return value as Record<string, unknown>;
}

/** DynamoDB words each set type's duplicates differently. */
function noDuplicates(type: 'SS' | 'NS' | 'BS', values: string[]): void {
  if (new Set(values).size === values.length) return;
  if (type === 'NS') throw validation('Input collection contains duplicates');
  const shown = `[${values.join(', ')}]`;
  throw invalidParameter(
    `Input collection ${shown}${type === 'BS' ? 'of type BS ' : ' '}contains duplicates.`,
  );
}

/** Reads one AttributeValue, checked and normalized; throws DynamoDB's error for a bad one. */
export function readValue(raw: unknown): AttributeValue {
  const value = record(raw, 'AttributeValue');
  const present = Object.entries(value).filter(([, v]) => v !== null && v !== undefined);
  if (present.length === 0) throw validation(MESSAGES.emptyValue);
  if (present.length > 1) throw validation(MESSAGES.manyTypes);
  const [[type, content]] = present as [[string, unknown]];
  switch (type) {
    case 'S':
      return { S: text(content) };
    case 'N':
      return { N: canonicalNumber(text(content)) };
    case 'B':
      return { B: base64(content) };
    case 'BOOL':
      if (typeof content !== 'boolean') throw serialization(content, 'Boolean');
      return { BOOL: content };
    case 'NULL':
      if (content !== true) {
        if (content === false)
          throw invalidParameter('Null attribute value types must have the value of true');
        throw serialization(content, 'Boolean');
      }
      return { NULL: true };
    case 'M':
      return { M: readItem(record(content, 'Map')) };
    case 'L':
      return { L: list(content, 'List').map(readValue) };
    case 'SS': {
      const values = list(content, 'List').map(text);
      if (values.length === 0) throw invalidParameter('An string set  may not be empty');
      noDuplicates('SS', values);
      return { SS: values };
    }
    case 'NS': {
      const raw = list(content, 'List').map(text);
      if (raw.length === 0) throw invalidParameter('An number set  may not be empty');
      const values = raw.map(canonicalNumber);
      noDuplicates('NS', values);
      return { NS: values };
    }
    case 'BS': {
      const values = list(content, 'List').map(base64);
      if (values.length === 0) throw invalidParameter('Binary sets should not be empty');
      noDuplicates('BS', values);
      return { BS: values };
    }
    default:
      throw new AwsError(400, 'SerializationException', `Unrecognized field "${type}"`);
  }
}

export function readItem(raw: Record<string, unknown>): Item {
  const item: Item = {};
  for (const [name, value] of Object.entries(raw)) item[name] = readValue(value);
  return item;
}

// ---- Comparing.

function compareBytes(a: Buffer, b: Buffer): number {
  return Buffer.compare(a, b);
}

/** DynamoDB's ordering of scalar values of one type (S by UTF-8 bytes, N numerically, B by bytes). */
export function compareScalars(a: AttributeValue, b: AttributeValue): number | undefined {
  const type = typeOf(a);
  if (type !== typeOf(b)) return undefined;
  if (type === 'S')
    return compareBytes(Buffer.from((a as { S: string }).S), Buffer.from((b as { S: string }).S));
  if (type === 'N')
    return compareDecimals(parseDecimal((a as { N: string }).N), parseDecimal((b as { N: string }).N));
  if (type === 'B') {
    return compareBytes(
      Buffer.from((a as { B: string }).B, 'base64'),
      Buffer.from((b as { B: string }).B, 'base64'),
    );
  }
  return undefined;
}

export function equalValues(a: AttributeValue, b: AttributeValue): boolean {
  const type = typeOf(a);
  if (type !== typeOf(b)) return false;
  const left = (a as Record<string, unknown>)[type];
  const right = (b as Record<string, unknown>)[type];
  switch (type) {
    case 'SS':
    case 'NS':
    case 'BS': {
      const l = left as string[];
      const r = new Set(right as string[]);
      return l.length === r.size && l.every((v) => r.has(v));
    }
    case 'L': {
      const l = left as AttributeValue[];
      const r = right as AttributeValue[];
      return l.length === r.length && l.every((v, i) => equalValues(v, r[i] as AttributeValue));
    }
    case 'M': {
      const l = left as Item;
      const r = right as Item;
      const keys = Object.keys(l);
      return (
        keys.length === Object.keys(r).length &&
        keys.every((k) => r[k] !== undefined && equalValues(l[k] as AttributeValue, r[k]))
      );
    }
    default:
      return left === right;
  }
}

// ---- Sizes (Developer Guide, "Item sizes and formats").

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

function numberSize(text: string): number {
  const digits = text.replace(/^-/, '').replace(/\./, '').replace(/^0+/, '').length;
  return Math.ceil(Math.max(digits, 1) / 2) + 1;
}

export function valueSize(value: AttributeValue): number {
  const type = typeOf(value);
  const content = (value as Record<string, unknown>)[type];
  switch (type) {
    case 'S':
      return utf8(content as string);
    case 'N':
      return numberSize(content as string);
    case 'B':
      return Buffer.from(content as string, 'base64').length;
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
      return (content as string[]).reduce((sum, s) => sum + utf8(s), 0);
    case 'NS':
      return (content as string[]).reduce((sum, n) => sum + numberSize(n), 0);
    case 'BS':
      return (content as string[]).reduce((sum, b) => sum + Buffer.from(b, 'base64').length, 0);
    case 'L':
      return 3 + (content as AttributeValue[]).reduce((sum, v) => sum + 1 + valueSize(v), 0);
    case 'M':
      return 3 + Object.entries(content as Item).reduce((sum, [k, v]) => sum + 1 + utf8(k) + valueSize(v), 0);
  }
}

export function itemSize(item: Item): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + valueSize(value), 0);
}

/** 400 KB, names included. */
export const MAX_ITEM_BYTES = 400 * 1024;
