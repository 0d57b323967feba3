import type { DuckDBConnection } from '@duckdb/node-api';
import type { AppendResult, EncodedEvents, EventStore, IngestEvent } from '../types.js';
import { appendBatch } from './append.js';
import type { Mutex, ReaderPool } from './connections.js';
import { countEvents, listEvents } from './event-reads.js';
import { encodeEvents } from './event-rows.js';
import { createGroupCache } from './group-cache.js';
import { createPersonCache } from './person-cache.js';
import {
  getGroup,
  getPerson,
  getPersonProperties,
  listGroups,
  listPersons,
} from './person-reads.js';
import { toStoreError } from './sql.js';

export interface EventStoreDeps {
  /** The one connection that writes events, persons and groups. */
  readonly writer: DuckDBConnection;
  /** Serialises appends: one transaction at a time on `writer`, and dedup sees every commit. */
  readonly writeLock: Mutex;
  readonly readers: ReaderPool;
  readonly newPersonId: () => string;
  /** Most persons kept in memory for identity resolution. */
  readonly maxCachedPersons: number;
  readonly assertOpen: () => void;
}

const EMPTY: Required<AppendResult> = Object.freeze({
  inserted: 0,
  duplicates: 0,
  duplicateIndexes: [],
  refusedMerges: 0,
  refusedMergeIndexes: [],
});

export function createDuckDbEventStore(deps: EventStoreDeps): EventStore {
  const { writer, writeLock, readers, assertOpen } = deps;
  const cache = createPersonCache(deps.maxCachedPersons);
  const groups = createGroupCache(deps.maxCachedPersons);

  async function read<T>(task: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    assertOpen();
    try {
      return await readers.use(task);
    } catch (error) {
      throw toStoreError(error, 'io', 'read');
    }
  }

  return {
    encode: encodeEvents,
    async append(events, changes) {
      assertOpen();
      const encoded = isEncoded(events) ? events : encodeEvents(events);
      if (encoded.keys.length === 0 && changes.length === 0) return EMPTY;
      return writeLock.run(async () => {
        try {
          return await appendBatch(writer, encoded, changes, deps.newPersonId, cache);
        } finally {
          groups.forget(changes);
        }
      });
    },
    listEvents: (query) => read((connection) => listEvents(connection, query)),
    countEvents: (projectId) => read((connection) => countEvents(connection, projectId)),
    getPerson: (projectId, distinctId) =>
      read((connection) => getPerson(connection, projectId, distinctId)),
    async getPersonProperties(projectId, distinctId) {
      // The cache holds what the last commits wrote (this process is the only writer).
      const cached = cache.peek(projectId, distinctId);
      if (cached !== undefined) return { id: cached.id, properties: { ...cached.properties } };
      return read((connection) => getPersonProperties(connection, projectId, distinctId));
    },
    listPersons: (projectId, options) =>
      read((connection) => listPersons(connection, projectId, options)),
    getGroup: (projectId, groupTypeIndex, groupKey) =>
      groups.read(projectId, groupTypeIndex, groupKey, () =>
        read((connection) => getGroup(connection, projectId, groupTypeIndex, groupKey)),
      ),
    listGroups: (projectId, groupTypeIndex, options) =>
      read((connection) => listGroups(connection, projectId, groupTypeIndex, options)),
    readSql: (sql, params) =>
      read(async (connection) =>
        (await connection.runAndReadAll(sql, [...params])).getRowObjectsJS(),
      ),
  };
}

function isEncoded(events: readonly IngestEvent[] | EncodedEvents): events is EncodedEvents {
  return !Array.isArray(events);
}
