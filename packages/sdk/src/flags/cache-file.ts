import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SdkError } from '../errors.js';
import { type LoadedDefinitions, parseDefinitions } from './definitions.js';

// The last flag definitions seen, on disk, so an on-premise install that starts without network
// evaluates at once from what it last fetched (issue 6, item 2). One JSON object:
// `{etag, fetched_at, definitions}`. Written whole to a temporary file and renamed over the
// old one, so a reader (or a crash) never sees half a file.

interface CacheFile {
  readonly etag: string | null;
  /** Epoch ms. */
  readonly fetched_at: number;
  readonly definitions: unknown;
}

/**
 * Reads the cache at start. Absent: undefined. Unreadable or corrupt: undefined and an
 * SdkError for `onError` (the caller reports it); never throws.
 */
export function readDefinitionsCache(
  path: string,
  now: () => number,
): { loaded?: LoadedDefinitions; error?: SdkError } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return {};
    return { error: new SdkError('flags_cache_io', 'cannot read', { cause }) };
  }
  try {
    const file = JSON.parse(text) as CacheFile;
    if (typeof file?.fetched_at !== 'number') throw new TypeError('no fetched_at');
    const etag = typeof file.etag === 'string' ? file.etag : undefined;
    return { loaded: parseDefinitions(file.definitions, etag, file.fetched_at, now) };
  } catch (cause) {
    return { error: new SdkError('flags_cache_io', 'corrupt; ignored', { cause }) };
  }
}

/** Replaces the cache atomically (temporary file + rename). Rejects with an SdkError. */
export async function writeDefinitionsCache(
  path: string,
  definitions: LoadedDefinitions,
): Promise<void> {
  const file: CacheFile = {
    etag: definitions.etag ?? null,
    fetched_at: definitions.fetchedAtMs,
    definitions: definitions.raw,
  };
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temp, JSON.stringify(file), { mode: 0o640 });
    await rename(temp, path);
  } catch (cause) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw new SdkError('flags_cache_io', 'cannot write', { cause });
  }
}
