import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { StoreError } from '../errors.js';

/**
 * Runs tasks one at a time, in call order. A DuckDB connection holds one transaction, so every
 * writer (events, metadata) goes through its own lock; concurrent `append` calls would otherwise
 * interleave statements inside one another's transaction.
 */
export interface Mutex {
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Resolves once every task queued so far has settled. */
  idle(): Promise<void>;
}

export function createMutex(): Mutex {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run(task) {
      const result = tail.then(task, task);
      tail = result.catch(() => undefined);
      return result;
    },
    async idle() {
      await tail;
    },
  };
}

/**
 * Read connections on the store's single `DuckDBInstance` (reference/storage-engines.md §5: many
 * connections on one instance read under MVCC while the writer appends). Connections are made
 * on demand up to `max` and reused; callers beyond that wait in line.
 */
export interface ReaderPool {
  use<T>(task: (connection: DuckDBConnection) => Promise<T>): Promise<T>;
  /** Waits for running reads, then disconnects every connection. */
  close(): Promise<void>;
}

export function createReaderPool(instance: DuckDBInstance, max: number): ReaderPool {
  const idle: DuckDBConnection[] = [];
  const waiters: Array<(connection: DuckDBConnection) => void> = [];
  const all: DuckDBConnection[] = [];
  let created = 0;
  let active = 0;
  let closed = false;
  let drained: (() => void) | undefined;

  async function acquire(): Promise<DuckDBConnection> {
    const ready = idle.pop();
    if (ready !== undefined) return ready;
    if (created < max) {
      created += 1;
      try {
        const connection = await instance.connect();
        all.push(connection);
        return connection;
      } catch (error) {
        created -= 1;
        throw error;
      }
    }
    return new Promise((resolve) => waiters.push(resolve));
  }

  function release(connection: DuckDBConnection): void {
    const next = waiters.shift();
    if (next !== undefined) next(connection);
    else idle.push(connection);
  }

  return {
    async use(task) {
      if (closed) throw new StoreError('closed');
      active += 1;
      try {
        const connection = await acquire();
        try {
          return await task(connection);
        } finally {
          release(connection);
        }
      } finally {
        active -= 1;
        if (active === 0) drained?.();
      }
    },
    async close() {
      closed = true;
      if (active > 0) await new Promise<void>((resolve) => (drained = resolve));
      for (const connection of all) connection.closeSync();
      all.length = 0;
      idle.length = 0;
    },
  };
}
