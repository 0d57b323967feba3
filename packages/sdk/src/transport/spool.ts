import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SdkCounters } from '../counters.js';
import { SdkError } from '../errors.js';
import { countEvents, type SerializedBatch } from './batch.js';
import type { Report } from './report.js';

// Disk spool: one JSON file per batch (the events array), so a collector outage or a host restart
// loses nothing until maxSpoolBytes is reached. Names sort by time:
// `<ms:15>-<seq:9>-<hex:8>-n<events>.json`. The event count lives in the name so stats are known
// at startup without parsing every file.
// A folder belongs to one process at a time (like the DuckDB file on the server).

const FILE_PATTERN = /^\d{15}-\d{9,}-[0-9a-f]{8}-n(\d+)\.json$/;
const TMP_SUFFIX = '.tmp';

export interface SpoolStats {
  readonly batches: number;
  readonly events: number;
  readonly bytes: number;
}

export interface SpoolFile {
  readonly name: string;
  readonly bytes: number;
  readonly events: number;
}

export interface TakenFile {
  readonly file: SpoolFile;
  /** Parsed, checked to be an array of objects; not otherwise trusted. */
  readonly events: readonly object[];
}

export interface Spool {
  stats(): SpoolStats;
  /** Persists a batch, then drops the oldest files while over maxSpoolBytes. Never rejects. */
  write(batch: SerializedBatch): Promise<void>;
  /** Same as write, synchronously, for process exit. Never throws. */
  writeSync(batch: SerializedBatch): void;
  /**
   * Checks out the oldest file: it leaves the index (so eviction cannot delete it while it is in
   * flight, at the cost of the bound overshooting by that one file meanwhile). Corrupt files are
   * deleted and reported on the way. Undefined when the spool is empty.
   */
  take(): Promise<TakenFile | undefined>;
  /** Deletes a delivered file. */
  complete(file: SpoolFile): Promise<void>;
  /** Returns a file to the index, rewritten to `remaining` if part of it was delivered. */
  putBack(file: SpoolFile, remaining?: readonly SerializedBatch[]): Promise<void>;
}

export interface SpoolOptions {
  readonly dir: string;
  readonly maxSpoolBytes: number;
  readonly now: () => number;
  readonly counters: SdkCounters;
  readonly report: Report;
}

export function createSpool(options: SpoolOptions): Spool {
  const { dir, maxSpoolBytes, now, counters, report } = options;
  const index: SpoolFile[] = loadIndex(dir, report);
  let seq = 0;
  // Async mutations run one at a time so the index and the byte bound stay consistent.
  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(op: () => Promise<T>): Promise<T> => {
    const run = tail.then(op, op);
    tail = run.catch(() => undefined);
    return run;
  };

  const ioError = (detail: string, cause: unknown) =>
    report(new SdkError('spool_io', detail, { cause }));

  const newName = (events: number, prefix?: string): string => {
    const head = prefix ?? `${String(now()).padStart(15, '0')}-${String(seq++).padStart(9, '0')}`;
    return `${head}-${randomBytes(4).toString('hex')}-n${events}.json`;
  };

  const insert = (file: SpoolFile): void => {
    index.push(file);
    index.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  };

  /** Space check before writing: a batch larger than the whole spool would evict everything. */
  const fits = (bytes: number, events: number): boolean => {
    if (bytes <= maxSpoolBytes) return true;
    counters.droppedSpoolFull += events;
    report(new SdkError('spool_full', 'batch larger than maxSpoolBytes'));
    return false;
  };

  /** Oldest first, never the file just written; unlink failures still free the index entry. */
  const evictOverflow = (keep: SpoolFile, remove: (name: string) => void): void => {
    let total = index.reduce((sum, file) => sum + file.bytes, 0);
    let files = 0;
    let events = 0;
    for (let i = 0; total > maxSpoolBytes && i < index.length; ) {
      const oldest = index[i];
      if (oldest === undefined || oldest === keep) {
        i += 1;
        continue;
      }
      index.splice(i, 1);
      total -= oldest.bytes;
      files += 1;
      events += oldest.events;
      remove(oldest.name);
    }
    if (files === 0) return;
    counters.droppedSpoolFull += events;
    report(new SdkError('spool_full', `${events} events in ${files} files`));
  };

  const removeAsync = async (name: string): Promise<void> => {
    try {
      await unlink(join(dir, name));
    } catch (cause) {
      if (!isNotFound(cause)) ioError('could not delete a spool file', cause);
    }
  };

  const writeAtomic = async (name: string, content: string): Promise<void> => {
    const path = join(dir, name);
    await mkdir(dir, { recursive: true });
    // flush: fsync before rename, so a crash leaves either the whole file or none of it.
    await writeFile(path + TMP_SUFFIX, content, { flush: true });
    await rename(path + TMP_SUFFIX, path);
  };

  return {
    stats() {
      let events = 0;
      let bytes = 0;
      for (const file of index) {
        events += file.events;
        bytes += file.bytes;
      }
      return { batches: index.length, events, bytes };
    },

    write(batch) {
      return exclusive(async () => {
        const content = toFileContent(batch);
        const file = {
          name: newName(batch.events.length),
          bytes: Buffer.byteLength(content),
          events: batch.events.length,
        };
        if (!fits(file.bytes, file.events)) return;
        try {
          await writeAtomic(file.name, content);
        } catch (cause) {
          counters.droppedUndelivered += file.events;
          // Best effort: a temp file left behind is removed at the next start.
          await unlink(join(dir, file.name + TMP_SUFFIX)).catch(() => undefined);
          ioError('could not write a spool file', cause);
          return;
        }
        counters.spooled += file.events;
        insert(file);
        const removals: Promise<void>[] = [];
        evictOverflow(file, (name) => removals.push(removeAsync(name)));
        await Promise.all(removals);
      });
    },

    writeSync(batch) {
      const content = toFileContent(batch);
      const file = {
        name: newName(batch.events.length),
        bytes: Buffer.byteLength(content),
        events: batch.events.length,
      };
      if (!fits(file.bytes, file.events)) return;
      const path = join(dir, file.name);
      try {
        mkdirSync(dir, { recursive: true });
        writeFileSync(path + TMP_SUFFIX, content, { flush: true });
        renameSync(path + TMP_SUFFIX, path);
      } catch (cause) {
        counters.droppedUndelivered += file.events;
        ioError('could not write a spool file', cause);
        return;
      }
      counters.spooled += file.events;
      insert(file);
      evictOverflow(file, (name) => {
        try {
          unlinkSync(join(dir, name));
        } catch {
          // Best effort at exit: the entry is gone from the index; a restart re-counts the file.
        }
      });
    },

    take() {
      return exclusive(async () => {
        for (let file = index.shift(); file !== undefined; file = index.shift()) {
          let text: string;
          try {
            text = await readFile(join(dir, file.name), 'utf8');
          } catch (cause) {
            // Gone (deleted by hand): nothing to deliver. Unreadable: reported, never retried.
            if (!isNotFound(cause)) ioError('could not read a spool file', cause);
            continue;
          }
          const events = parseEvents(text);
          if (events === undefined) {
            await removeAsync(file.name);
            ioError('corrupt spool file removed', undefined);
            continue;
          }
          return { file, events };
        }
        return undefined;
      });
    },

    complete(file) {
      return exclusive(() => removeAsync(file.name));
    },

    putBack(file, remaining) {
      return exclusive(async () => {
        if (remaining === undefined) return insert(file);
        const events = countEvents(remaining);
        if (events === 0) return removeAsync(file.name);
        // Same time-and-sequence prefix: the rewritten file keeps its place in the drain order.
        const prefix = file.name.split('-').slice(0, 2).join('-');
        const content = toFileContent({ events: remaining.flatMap((batch) => batch.events) });
        const rewritten = {
          name: newName(events, prefix),
          bytes: Buffer.byteLength(content),
          events,
        };
        try {
          await writeAtomic(rewritten.name, content);
        } catch (cause) {
          // Keep the original: its delivered part goes again, a duplicate deduped by uuid.
          ioError('could not rewrite a spool file', cause);
          return insert(file);
        }
        insert(rewritten);
        await removeAsync(file.name);
      });
    },
  };
}

function toFileContent(batch: SerializedBatch): string {
  return `[${batch.events.map((event) => event.json).join(',')}]`;
}

function parseEvents(text: string): readonly object[] | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed)) return undefined;
    const isEvents = parsed.every((e) => typeof e === 'object' && e !== null && !Array.isArray(e));
    return isEvents ? (parsed as object[]) : undefined;
  } catch {
    return undefined;
  }
}

/** Synchronous so spoolStats() is right from the start; bounded by maxSpoolBytes of files. */
function loadIndex(dir: string, report: Report): SpoolFile[] {
  const files: SpoolFile[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (cause) {
    if (!isNotFound(cause)) report(new SdkError('spool_io', 'could not list the spool', { cause }));
    return files;
  }
  for (const name of names) {
    try {
      // A temp file is a write a crash interrupted: never renamed, never counted as spooled.
      if (name.endsWith(TMP_SUFFIX)) unlinkSync(join(dir, name));
      const match = FILE_PATTERN.exec(name);
      if (match === null) continue;
      files.push({ name, bytes: statSync(join(dir, name)).size, events: Number(match[1]) });
    } catch (cause) {
      if (!isNotFound(cause))
        report(new SdkError('spool_io', 'could not read the spool', { cause }));
    }
  }
  return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}
