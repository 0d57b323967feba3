import { type DuckDBConnection, type JS, VARCHAR } from '@duckdb/node-api';
import { StoreError } from '../errors.js';
import type { AppendResult, IdentityChange, IngestEvent } from '../types.js';
import { dedupeBatch, eventKey, eventRow } from './event-rows.js';
import { appendRows, applyIdentityChanges } from './identity-sql.js';
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
 * Dedup, measured (bench/store-append/dedup.ts; numbers in the package notes): the events table
 * has PRIMARY KEY (project_id, uuid) and rows go straight through the Appender, which checks
 * the key. That is within 0-30% of a raw append at 100-5,000 rows per commit and stays flat as
 * the table grows, because the ART index is loaded lazily and UUIDv7 keys touch only its newest
 * part. `INSERT OR IGNORE` was 3-18x slower per small commit and grew with the table
 * (7 ms at 1M rows, 18 ms at 4M for 100 rows); anti-joins scan the uuid column.
 *
 * So the common case (no retry) pays only the index insert. A batch holding an already stored
 * (project, uuid) fails on the key; it is rolled back and done again without the stored keys,
 * which one lookup finds (a retried batch is rare: a client that missed our 200).
 */
export async function appendBatch(
  connection: DuckDBConnection,
  events: readonly IngestEvent[],
  changes: readonly IdentityChange[],
  newPersonId: () => string,
): Promise<Required<AppendResult>> {
  const { unique, repeated } = dedupeBatch(events);
  const candidates = unique.map((item) => ({ ...item, row: eventRow(item.event) }));
  let stored: ReadonlySet<string> | undefined;
  for (;;) {
    const known = stored;
    const fresh = known === undefined ? candidates : candidates.filter((c) => !known.has(c.key));
    let isEventAppend = false;
    try {
      const { refusedMergeIndexes } = await inTransaction(connection, async () => {
        isEventAppend = true;
        await appendRows(
          connection,
          'events',
          fresh.map((c): JS[] => c.row),
        );
        isEventAppend = false;
        return applyIdentityChanges(connection, changes, newPersonId);
      });
      const duplicateIndexes = [
        ...repeated,
        ...candidates.filter((c) => known?.has(c.key)).map((c) => c.index),
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
        stored = await findStored(connection, candidates);
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
  candidates: ReadonlyArray<{ key: string; event: IngestEvent }>,
): Promise<ReadonlySet<string>> {
  if (candidates.length === 0) return new Set();
  const uuids = candidates.map((c) => c.event.uuid.toLowerCase());
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
     JOIN (SELECT unnest(${p.add(...intList(candidates.map((c) => c.event.projectId)))}) AS project_id,
                  unnest(${p.add(...stringList(uuids))})::UUID AS uuid) k
       ON e.project_id = k.project_id AND e.uuid = k.uuid
     WHERE e.uuid BETWEEN ${p.add(low, VARCHAR)}::UUID AND ${p.add(high, VARCHAR)}::UUID`,
    p,
  ).catch((error: unknown) => {
    throw new StoreError('io', 'append', { cause: error });
  });
  return new Set(found.map(([projectId, uuid]) => eventKey(toNumber(projectId), String(uuid))));
}
