import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { StoreError } from '../errors.js';
import type { Store } from '../types.js';
import { createMutex, createReaderPool } from './connections.js';
import { createDuckDbEventStore } from './event-store.js';
import { createDuckDbMetadataStore } from './metadata-store.js';
import { applyMigrations } from './migrations.js';
import { type DuckDbStoreOptions, parseStoreOptions } from './options.js';
import { claimPath, isInMemoryPath } from './path-guard.js';
import { isLockError } from './sql.js';

/**
 * Opens (or creates) the DuckDB file and brings its schema up to date.
 *
 * One `DuckDBInstance` per store and per file: a second process on the file, or a second store
 * on it in this process, gets StoreError `locked` and the file is left untouched. Connections:
 * one writes events, one writes metadata, a small pool reads (MVCC, storage-engines.md §5).
 *
 * @example
 * const store = await createDuckDbStore({ path: join(dataDir, 'tally.duckdb') });
 * await store.events.append(events, changes); // resolves once the commit is in the fsynced WAL
 * await store.close();
 */
export async function createDuckDbStore(options: DuckDbStoreOptions): Promise<Store> {
  const parsed = parseStoreOptions(options);
  const release = claimPath(parsed.path);
  let instance: DuckDBInstance | undefined;
  const connections: DuckDBConnection[] = [];
  try {
    if (!isInMemoryPath(parsed.path)) mkdirSync(dirname(parsed.path), { recursive: true });
    instance = await DuckDBInstance.create(parsed.path, { ...parsed.duckdbConfig });
    const eventWriter = await instance.connect();
    connections.push(eventWriter);
    const metadataWriter = await instance.connect();
    connections.push(metadataWriter);
    await applyMigrations(eventWriter, parsed.now());
    return assemble(instance, eventWriter, metadataWriter, parsed, release);
  } catch (error) {
    for (const connection of connections) connection.closeSync();
    instance?.closeSync();
    release();
    if (error instanceof StoreError) throw error;
    if (isLockError(error)) throw new StoreError('locked', undefined, { cause: error });
    throw new StoreError('io', 'open', { cause: error });
  }
}

function assemble(
  instance: DuckDBInstance,
  eventWriter: DuckDBConnection,
  metadataWriter: DuckDBConnection,
  options: ReturnType<typeof parseStoreOptions>,
  release: () => void,
): Store {
  let closing: Promise<void> | undefined;
  const assertOpen = (): void => {
    if (closing !== undefined) throw new StoreError('closed');
  };
  const readers = createReaderPool(instance, options.maxReadConnections);
  const eventLock = createMutex();
  const metadataLock = createMutex();
  const events = createDuckDbEventStore({
    writer: eventWriter,
    writeLock: eventLock,
    readers,
    newPersonId: options.randomUUID,
    maxCachedPersons: options.maxCachedPersons,
    assertOpen,
  });
  const metadata = createDuckDbMetadataStore({
    writer: metadataWriter,
    writeLock: metadataLock,
    readers,
    now: options.now,
    scryptCost: options.scryptCost,
    assertOpen,
  });

  async function shutdown(): Promise<void> {
    try {
      await Promise.all([eventLock.idle(), metadataLock.idle(), readers.close()]);
      // Folds the WAL into the file, so the next start replays nothing.
      await eventWriter.run('CHECKPOINT');
    } catch (error) {
      throw new StoreError('io', 'close', { cause: error });
    } finally {
      eventWriter.closeSync();
      metadataWriter.closeSync();
      instance.closeSync();
      release();
    }
  }

  return {
    events,
    metadata,
    close() {
      closing ??= shutdown();
      return closing;
    },
  };
}
