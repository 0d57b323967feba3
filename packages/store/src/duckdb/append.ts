import { type DuckDBConnection, VARCHAR } from '@duckdb/node-api';
import { StoreError } from '../errors.js';
import type { AppendResult, EncodedEvents, IdentityChange } from '../types.js';
import { dedupeKeys, eventKey, insertEvents, splitKey } from './event-rows.js';
import { applyIdentityChanges } from './identity-sql.js';
import type { PersonCache } from './person-cache.js';
import {
  inTransaction,
  intList,
  isDuplicateKeyError,
  params,
  rows,
  stringList,
  toNumber,
  toStoreError,
} from './sql.js';

/**
 * One append: events, then identity changes, in one transaction on the writer connection.
 *
 * Dedup (bench/store-append/dedup.ts): `events` has PRIMARY KEY (project_id, uuid) and rows go
 * straight in (one INSERT of the batch's JSON, event-rows.ts), which checks the key. Measured
 * with the Appender: With 1M rows stored, per 100/1,000/5,000-
 * row commit: 1.9/5.9/22.4 ms, against 2.5/4.7/18.7 ms for a raw append with no dedup. Staging
 * plus INSERT SELECT was 4.2/7.7/25.7; staging plus INSERT OR IGNORE 5.3/11.2/31.0 and growing
 * with the table (100 random-uuid rows: 3.8 ms at 100k rows, 7.0 at 1M, 17.9 at 4M, where the
 * plain keyed insert stayed at 1.0-1.9); a separate event_uuids key table 5.4/9.4/28.3; an
 * anti-join on the batch's uuid range 3.8/8.4/22.6 but 28.8 ms at 100 rows with random (v4)
 * uuids, which old clients send; a full anti-join 31.7/39.9/55.2, growing with the table. The
 * index stays cheap as it grows: DuckDB loads the ART lazily and UUIDv7 keys touch only its
 * newest part.
 *
 * So a batch without retries pays only the index insert. A batch holding an already stored
 * (project, uuid) fails on the key; it is rolled back and done again without the stored keys,
 * which one lookup finds (rare: a client retrying a batch whose 200 it missed).
 */
const NOTHING_TO_REMEMBER = Object.freeze({
  refusedMergeIndexes: [] as number[],
  remember: () => undefined,
});

export async function appendBatch(
  connection: DuckDBConnection,
  events: EncodedEvents,
  changes: readonly IdentityChange[],
  newPersonId: () => string,
  cache: PersonCache,
): Promise<Required<AppendResult>> {
  const { unique, repeated } = dedupeKeys(events.keys);
  // Events of known users change no person: then the INSERT alone is the transaction (one trip
  // through the event loop instead of three: BEGIN, INSERT, COMMIT), as durable and as atomic.
  const isEventsOnly = changes.every((change) => cache.isNoOp(change));
  let stored: ReadonlySet<string> | undefined;
  for (;;) {
    const known = stored;
    const fresh =
      known === undefined
        ? unique
        : unique.filter((index) => !known.has(events.keys[index] as string));
    let isEventAppend = false;
    try {
      const insert = async () => {
        isEventAppend = true;
        await insertEvents(
          connection,
          fresh.map((index) => events.rows[index] as string),
        );
        isEventAppend = false;
      };
      const { refusedMergeIndexes, remember } = isEventsOnly
        ? await insert().then(() => NOTHING_TO_REMEMBER)
        : await inTransaction(connection, async () => {
            await insert();
            return applyIdentityChanges(connection, changes, newPersonId, cache);
          });
      remember();
      const duplicateIndexes = [
        ...repeated,
        ...unique.filter((index) => known?.has(events.keys[index] as string)),
      ].sort((a, b) => a - b);
      return {
        inserted: fresh.length,
        duplicates: duplicateIndexes.length,
        duplicateIndexes,
        refusedMerges: refusedMergeIndexes.length,
        refusedMergeIndexes,
      };
    } catch (error) {
      if (known === undefined && isEventAppend && isDuplicateKeyError(error)) {
        stored = await findStored(
          connection,
          unique.map((index) => events.keys[index] as string),
        );
        continue;
      }
      throw toStoreError(error, 'io', 'append');
    }
  }
}

/**
 * The candidates' keys already in `events`. The uuid range lets DuckDB skip row groups by their
 * min/max (UUIDv7 sorts by time, so a batch of fresh ids spans a narrow range).
 */
async function findStored(
  connection: DuckDBConnection,
  keys: readonly string[],
): Promise<ReadonlySet<string>> {
  if (keys.length === 0) return new Set();
  const candidates = keys.map(splitKey);
  const uuids = candidates.map((c) => c.uuid);
  let low = uuids[0] as string;
  let high = low;
  for (const uuid of uuids) {
    if (uuid < low) low = uuid;
    if (uuid > high) high = uuid;
  }
  const p = params();
  const found = await rows(
    connection,
    `SELECT e.project_id, e.uuid::VARCHAR FROM events e
     JOIN (SELECT unnest(${p.add(...intList(candidates.map((c) => c.projectId)))}) AS project_id,
                  unnest(${p.add(...stringList(uuids))})::UUID AS uuid) k
       ON e.project_id = k.project_id AND e.uuid = k.uuid
     WHERE e.uuid BETWEEN ${p.add(low, VARCHAR)}::UUID AND ${p.add(high, VARCHAR)}::UUID`,
    p,
  ).catch((error: unknown) => {
    throw new StoreError('io', 'append', { cause: error });
  });
  return new Set(found.map(([projectId, uuid]) => eventKey(toNumber(projectId), String(uuid))));
}
