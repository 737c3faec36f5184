import { type Colour, paint } from './format';

/**
 * The functions' log lines made readable for a person: one short line per Powertools JSON record
 * (UTC time, level, function, message, the keys that matter), and a filter by level and function.
 * In AWS the functions write JSON (CloudWatch and Logs Insights query it); this is for a terminal.
 */

/** The levels `--log-level` takes (Powertools' TRACE and CRITICAL count as DEBUG and ERROR). */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const LOG_FORMATS = ['pretty', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Powertools' levels, least to most severe. */
const INFO = 2;
const SEVERITY: Record<string, number> = { TRACE: 0, DEBUG: 1, INFO, WARN: 3, ERROR: 4, CRITICAL: 5 };
const LEVEL_COLOURS: Record<string, Colour> = {
  TRACE: 'grey',
  DEBUG: 'grey',
  WARN: 'yellow',
  ERROR: 'red',
  CRITICAL: 'red',
};

/** What Powertools adds to every line, the same on every line of a function: left out of the pretty line. */
const BOILERPLATE = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
  'sampling_rate',
  'xray_trace_id',
]);
/** Keys shown first, in this order, when a line has them. */
const FIRST_KEYS = ['step', 'error', 'eventId'];
/** A key's value is cut to this many characters (a cause can be a whole JSON document). */
const MAX_VALUE = 120;
/** The function column is padded to this width (most function names fit). */
const FUNCTION_WIDTH = 16;
/** Width of the time and level columns of a pretty line, blank on a line that is not JSON. */
const NO_TIME_OR_LEVEL = ' '.repeat('00:00:00.000 LEVEL '.length);

type PowertoolsRecord = Record<string, unknown> & { level: string; message: string };

/** The line as a Powertools record (a JSON object with a string `level` and `message`), if it is one. */
function parseRecord(line: string): PowertoolsRecord | undefined {
  if (!line.startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.level !== 'string' || typeof record.message !== 'string') return undefined;
  return record as PowertoolsRecord;
}

/** The line's level, upper case: its record's, or INFO for a line that is not a Powertools record. */
export function levelOf(line: string): string {
  const level = parseRecord(line)?.level.toUpperCase();
  return level !== undefined && Object.hasOwn(SEVERITY, level) ? level : 'INFO';
}

/** Whether a line of level `level` (as {@link levelOf} gives it) is shown at `threshold`. */
export function atLeast(level: string, threshold: LogLevel): boolean {
  return (SEVERITY[level] ?? INFO) >= (SEVERITY[threshold.toUpperCase()] ?? INFO);
}

/**
 * One line a person reads: `09:48:31.651 INFO  createUser       User created  execution=evt-1 userName=ada`.
 * A line that is not a Powertools record is kept as is, after the function's name.
 */
export function prettyLogLine(line: string, functionName: string, options: { color?: boolean } = {}): string {
  const color = options.color === true;
  const name = functionName.padEnd(FUNCTION_WIDTH);
  const record = parseRecord(line);
  if (!record) return `${NO_TIME_OR_LEVEL}${name} ${line}`;
  const level = record.level.toUpperCase();
  const levelColour = LEVEL_COLOURS[level];
  const paintedLevel = levelColour ? paint(level.padEnd(5), levelColour, color) : level.padEnd(5);
  const keys = keyValues(record);
  return `${timeOf(record.timestamp)} ${paintedLevel} ${name} ${record.message}${keys ? `  ${keys}` : ''}`;
}

/** HH:MM:SS.mmm in UTC, whatever offset the record was written with (Powertools honours TZ). */
function timeOf(timestamp: unknown): string {
  const date = typeof timestamp === 'string' ? new Date(timestamp) : undefined;
  if (!date || Number.isNaN(date.getTime())) return ' '.repeat(12);
  return date.toISOString().slice(11, 23);
}

/** The record's own keys as `key=value`: the execution's name first, then step, error, eventId, the rest. */
function keyValues(record: Record<string, unknown>): string {
  const pairs: string[] = [];
  const execution = executionName(record.executionArn);
  if (execution !== undefined) pairs.push(`execution=${renderValue(execution)}`);
  const rest = Object.keys(record).filter(
    (key) =>
      !BOILERPLATE.has(key) &&
      !FIRST_KEYS.includes(key) &&
      !(key === 'executionArn' && execution !== undefined) &&
      !(key === 'executionName' && record.executionName === execution),
  );
  for (const key of [...FIRST_KEYS.filter((key) => key in record), ...rest]) {
    if (record[key] !== undefined) pairs.push(`${key}=${renderValue(record[key])}`);
  }
  return pairs.join(' ');
}

/** `arn:aws:states:<region>:<account>:execution:<state machine>:<name>` -> `<name>`. */
function executionName(arn: unknown): string | undefined {
  if (typeof arn !== 'string') return undefined;
  const match = /^arn:aws[a-z-]*:states:[^:]*:\d*:execution:[^:]+:([^:]+)$/.exec(arn);
  return match?.[1];
}

function renderValue(value: unknown): string {
  const error = errorText(value);
  const text = typeof value === 'string' ? value : (error ?? JSON.stringify(value) ?? String(value));
  const short = text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
  // Text is bare when it cannot be misread (no space, quote or =), JSON-quoted otherwise, as in logfmt.
  const isText = typeof value === 'string' || error !== undefined;
  return isText && !/^[^\s"=]+$/.test(short) ? JSON.stringify(short) : short;
}

/** A Powertools-formatted error (`{name, location, message, stack}`) as `Name: message`. */
function errorText(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { name, message } = value as { name?: unknown; message?: unknown };
  if (typeof name !== 'string' || typeof message !== 'string') return undefined;
  return message === '' ? name : `${name}: ${message}`;
}

/** One line a function wrote, as the local stack's Lambda runtime forwards it. */
export type FunctionLine = { functionKey: string; stream: 'stdout' | 'stderr'; line: string };

export type LogSinkOptions = {
  format: LogFormat;
  /** Only lines at this level or above (a line that is not JSON counts as INFO); default: every line. */
  level?: LogLevel;
  /** Only the lines of these functions (serverless.yml keys); default: every function's. */
  functions?: readonly string[];
  /** ANSI colour on the level of pretty lines. */
  color?: boolean;
  /** Where a shown line goes (default: the process's stream the function wrote it to). */
  write?: (stream: FunctionLine['stream'], text: string) => void;
};

/** The local stack's log sink: filters the functions' lines, prints them pretty or as written (json). */
export function createLogSink(options: LogSinkOptions): (line: FunctionLine) => void {
  const write = options.write ?? ((stream, text) => process[stream].write(`${text}\n`));
  const functions = options.functions && new Set(options.functions);
  return ({ functionKey, stream, line }) => {
    if (functions && !functions.has(functionKey)) return;
    if (options.level && !atLeast(levelOf(line), options.level)) return;
    write(
      stream,
      options.format === 'pretty' ? prettyLogLine(line, functionKey, { color: options.color }) : line,
    );
  };
}
