import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { StoreError } from '../errors.js';

// DuckDB's file lock is per process: a second DuckDBInstance on the same file in the same
// process opens fine and the two would write one file independently (storage-engines.md §5).
// This registry refuses that, the way the OS lock refuses a second process.

const claimed = new Set<string>();

/** True for DuckDB's in-memory database names, which share nothing and need no guard. */
export function isInMemoryPath(path: string): boolean {
  return path === ':memory:' || path.startsWith(':memory:');
}

/** The canonical file name (symlinks and `..` resolved) a store on `path` would open. */
export function canonicalPath(path: string): string {
  const absolute = resolve(path);
  if (existsSync(absolute)) return realpathSync(absolute);
  const parent = dirname(absolute);
  return existsSync(parent) ? join(realpathSync(parent), basename(absolute)) : absolute;
}

/** Claims `path` for this process; the returned function gives it back (idempotent). */
export function claimPath(path: string): () => void {
  if (isInMemoryPath(path)) return () => undefined;
  const key = canonicalPath(path);
  if (claimed.has(key)) throw new StoreError('locked', 'already open in this process');
  claimed.add(key);
  let held = true;
  return () => {
    if (held) claimed.delete(key);
    held = false;
  };
}
