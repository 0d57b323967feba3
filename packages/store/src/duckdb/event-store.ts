import type { DuckDBConnection } from '@duckdb/node-api';
import type {
  AppendResult,
  EncodedEvents,
  EventStore,
  Group,
  IdentityChange,
  IngestEvent,
} from '../types.js';
import { appendBatch } from './append.js';
import type { Mutex, ReaderPool } from './connections.js';
import { countEvents, listEvents } from './event-reads.js';
import { encodeEvents } from './event-rows.js';
import { groupKey } from './group-plan.js';
import { idKey } from './identity-plan.js';
import { createPersonCache } from './person-cache.js';
import {
  getGroup,
  getPerson,
  getPersonProperties,
  listGroups,
  listPersons,
} from './person-reads.js';
import { createReadThroughCache } from './read-through-cache.js';
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
  // Groups by key (a group whose type has no name yet is not kept: the name comes later), and
  // distinct ids known to have no person. A person found is not kept here: a merge changes the
  // person of ids its change does not name; the identity cache holds persons coherently.
  const groups = createReadThroughCache<Group | undefined>(
    deps.maxCachedPersons,
    (group) => group?.groupType !== '',
    (group) =>
      group === undefined ? undefined : { ...group, properties: { ...group.properties } },
  );
  const noPerson = createReadThroughCache<PersonProperties | undefined>(
    deps.maxCachedPersons,
    (person) => person === undefined,
  );

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
          groups.forget(groupKeysOf(changes));
          noPerson.forget(distinctKeysOf(changes));
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
      return noPerson.read(idKey(projectId, distinctId), () =>
        read((connection) => getPersonProperties(connection, projectId, distinctId)),
      );
    },
    listPersons: (projectId, options) =>
      read((connection) => listPersons(connection, projectId, options)),
    getGroup: (projectId, groupTypeIndex, key) =>
      groups.read(groupKey(projectId, groupTypeIndex, key), () =>
        read((connection) => getGroup(connection, projectId, groupTypeIndex, key)),
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

type PersonProperties = Awaited<ReturnType<EventStore['getPersonProperties']>>;

/** The groups `changes` set. */
function groupKeysOf(changes: readonly IdentityChange[]): string[] {
  return changes.flatMap((c) =>
    c.kind === 'group_set' ? [groupKey(c.projectId, c.groupTypeIndex, c.groupKey)] : [],
  );
}

/** The distinct ids `changes` may give a person: every id a person change names. */
function distinctKeysOf(changes: readonly IdentityChange[]): string[] {
  return changes.flatMap((c) =>
    c.kind === 'person_seen'
      ? [idKey(c.projectId, c.distinctId)]
      : c.kind === 'merge'
        ? [idKey(c.projectId, c.distinctId), idKey(c.projectId, c.otherId)]
        : [],
  );
}
