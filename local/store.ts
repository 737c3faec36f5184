import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;

type JournalLine = { c: string; k: string; v?: unknown; d?: 1 };

/** A map whose every change is appended to the store's journal before `set`/`delete` return. */
export class Collection<T> {
  constructor(
    private readonly name: string,
    private readonly entries: Map<string, unknown>,
    private readonly append: (line: JournalLine) => void,
  ) {}

  get(key: string): T | undefined {
    return this.entries.get(key) as T | undefined;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  values(): T[] {
    return [...this.entries.values()] as T[];
  }

  get size(): number {
    return this.entries.size;
  }

  /** Stores `value` (a JSON-serialisable object) durably. Call it again after changing the object. */
  set(key: string, value: T): void {
    this.append({ c: this.name, k: key, v: value });
    this.entries.set(key, value);
  }

  delete(key: string): boolean {
    if (!this.entries.has(key)) return false;
    this.entries.delete(key);
    this.append({ c: this.name, k: key, d: 1 });
    return true;
  }
}

/**
 * Durable state for one emulator: an in-memory map per collection, backed by an append-only JSON
 * lines journal in the data folder. Every change is written synchronously before it is
 * acknowledged, so a crash loses nothing; opening the store replays the journal and rewrites it
 * compacted (write to a temporary file, then rename: atomic on POSIX).
 */
export class JournalStore {
  private readonly collections = new Map<string, Map<string, unknown>>();
  private readonly file: string | undefined;

  private constructor(file: string | undefined) {
    this.file = file;
  }

  /**
   * Opens `<dir>/<name>.jsonl`, or a memory-only store when `dir` is undefined. The folder is the
   * owner's only (0700) and the journal 0600: it holds pending temporary passwords. A folder or
   * journal made before, with wider modes, is narrowed.
   */
  static open(dir: string | undefined, name: string): JournalStore {
    if (dir === undefined) return new JournalStore(undefined);
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
    chmodSync(dir, PRIVATE_DIR);
    const store = new JournalStore(join(dir, `${name}.jsonl`));
    store.replayAndCompact();
    return store;
  }

  collection<T>(name: string): Collection<T> {
    let entries = this.collections.get(name);
    if (!entries) {
      entries = new Map();
      this.collections.set(name, entries);
    }
    return new Collection<T>(name, entries, (line) => this.append(line));
  }

  private append(line: JournalLine): void {
    if (!this.file) return;
    // A deletion rewrites the journal, so deleted data (a temporary password) leaves the disk too.
    if (line.d) this.compact(this.file);
    else appendFileSync(this.file, `${JSON.stringify(line)}\n`, { mode: PRIVATE_FILE });
  }

  private replayAndCompact(): void {
    const file = this.file;
    if (!file || !existsSync(file)) return;
    const lines = readFileSync(file, 'utf8').split('\n');
    for (const [index, text] of lines.entries()) {
      if (text.trim() === '') continue;
      let line: JournalLine;
      try {
        line = JSON.parse(text) as JournalLine;
      } catch (error) {
        // Only the last line can be torn (a crash mid-append); anything else is corruption.
        if (index >= lines.length - 2) break;
        throw new Error(`${file}:${index + 1} is not valid JSON; fix or delete the data folder`, {
          cause: error,
        });
      }
      const entries = this.collections.get(line.c) ?? new Map<string, unknown>();
      this.collections.set(line.c, entries);
      if (line.d) entries.delete(line.k);
      else entries.set(line.k, line.v);
    }
    this.compact(file);
  }

  private compact(file: string): void {
    const compacted = [...this.collections.entries()].flatMap(([c, entries]) =>
      [...entries.entries()].map(([k, v]) => `${JSON.stringify({ c, k, v })}\n`),
    );
    writeFileSync(`${file}.tmp`, compacted.join(''), { mode: PRIVATE_FILE });
    // A leftover .tmp from a crash keeps its mode through writeFileSync: narrow it before the rename.
    chmodSync(`${file}.tmp`, PRIVATE_FILE);
    renameSync(`${file}.tmp`, file);
  }
}
