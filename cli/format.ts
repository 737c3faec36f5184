/** Pure text formatting for the CLI: colours, tables, dates, durations and CSV. */

const COLOURS = { red: 31, green: 32, yellow: 33, blue: 34, cyan: 36, grey: 90, bold: 1 } as const;
export type Colour = keyof typeof COLOURS;

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escape sequences is the point.
const ANSI = /\u001b\[[0-9;]*m/g;

/** `text` in `colour` when `enabled` (stdout is a terminal and NO_COLOR is unset), else as is. */
export function paint(text: string, colour: Colour, enabled: boolean): string {
  return enabled ? `\u001b[${COLOURS[colour]}m${text}\u001b[0m` : text;
}

const STATUS_COLOURS: Record<string, Colour> = {
  SUCCEEDED: 'green',
  RUNNING: 'blue',
  FAILED: 'red',
  CAUGHT: 'red',
  TIMED_OUT: 'red',
  ABORTED: 'yellow',
  PENDING_REDRIVE: 'cyan',
};

/** An execution or step status, coloured by outcome. */
export function paintStatus(status: string, enabled: boolean): string {
  const colour = STATUS_COLOURS[status];
  return colour ? paint(status, colour, enabled) : status;
}

function visibleLength(text: string): number {
  return text.replace(ANSI, '').length;
}

/** Columns padded to their widest cell; the last column is not padded (long ARNs stay copyable). */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(visibleLength(header), ...rows.map((row) => visibleLength(row[column] ?? ''))),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === cells.length - 1 ? cell : cell + ' '.repeat((widths[column] ?? 0) - visibleLength(cell)),
      )
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** `label  value` lines with the labels aligned, skipping undefined values. */
export function details(entries: readonly (readonly [string, string | undefined])[]): string {
  const shown = entries.filter((entry): entry is readonly [string, string] => entry[1] !== undefined);
  const width = Math.max(...shown.map(([label]) => label.length));
  return shown.map(([label, value]) => `${`${label}:`.padEnd(width + 2)}${value}`).join('\n');
}

/** `2026-11-28 09:00:41Z`: UTC to the second, the same for every reader of a shared terminal log. */
export function formatDate(date: Date | undefined): string {
  if (date === undefined) return '-';
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** `850ms`, `4.2s`, `3m 05s`, `2h 03m`, `3d 04h`. */
export function formatDuration(milliseconds: number | undefined): string {
  if (milliseconds === undefined) return '-';
  if (milliseconds < 1000) return `${Math.round(milliseconds)}ms`;
  if (milliseconds < 60_000) return `${(milliseconds / 1000).toFixed(1)}s`;
  const seconds = Math.floor(milliseconds / 1000);
  const two = (value: number) => String(value).padStart(2, '0');
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${two(seconds % 60)}s`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ${two(Math.floor(seconds / 60) % 60)}m`;
  return `${Math.floor(seconds / 86_400)}d ${two(Math.floor(seconds / 3600) % 24)}h`;
}

/** One RFC 4180 CSV line: a field with a comma, quote or line break is quoted, quotes doubled. */
export function csvLine(fields: readonly string[]): string {
  return fields.map((field) => (/[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field)).join(',');
}
