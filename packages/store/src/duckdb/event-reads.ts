import { BIGINT, type DuckDBConnection, INTEGER, VARCHAR } from '@duckdb/node-api';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { StoreError } from '../errors.js';
import type { EventPage, EventQuery, StoredEvent } from '../types.js';
import { isoFromMs, params, parseJsonObject, rows, toNumber } from './sql.js';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const MAX_PAGE_SIZE = 10_000;

/**
 * Newest first by (timestamp, uuid). The page is cut from `events` alone and only then joined
 * to `person_distinct_ids`, so the join touches `limit + 1` rows, not the project's history.
 * A personless event (`$process_person_profile: false`) has personId null even when its
 * distinct id has a person.
 */
export async function listEvents(
  connection: DuckDBConnection,
  query: EventQuery,
): Promise<EventPage> {
  checkLimit(query.limit);
  const p = params();
  const where = [`project_id = ${p.add(query.projectId, INTEGER)}`];
  if (query.event !== undefined) where.push(`event = ${p.add(query.event, VARCHAR)}`);
  if (query.distinctId !== undefined)
    where.push(`distinct_id = ${p.add(query.distinctId, VARCHAR)}`);
  if (query.afterMs !== undefined)
    where.push(`timestamp >= epoch_ms(${p.add(msParam(query.afterMs), BIGINT)})`);
  if (query.beforeMs !== undefined)
    where.push(`timestamp < epoch_ms(${p.add(msParam(query.beforeMs), BIGINT)})`);
  if (query.cursor !== undefined) {
    const at = decodeCursor(query.cursor, UUID_PATTERN);
    const ts = `epoch_ms(${p.add(BigInt(at.ms), BIGINT)})`;
    where.push(
      `(timestamp < ${ts} OR (timestamp = ${ts} AND uuid < ${p.add(at.key, VARCHAR)}::UUID))`,
    );
  }
  const found = await rows(
    connection,
    `SELECT e.uuid::VARCHAR, e.event, e.distinct_id,
            CASE WHEN e.process_person THEN d.person_id::VARCHAR END,
            e.properties, epoch_ms(e.timestamp), epoch_ms(e.received_at)
     FROM (SELECT uuid, event, distinct_id, process_person, properties, timestamp, received_at,
                  project_id
           FROM events WHERE ${where.join(' AND ')}
           ORDER BY timestamp DESC, uuid DESC
           LIMIT ${p.add(query.limit + 1, INTEGER)}) e
     LEFT JOIN person_distinct_ids d
       ON d.project_id = e.project_id AND d.distinct_id = e.distinct_id
     ORDER BY e.timestamp DESC, e.uuid DESC`,
    p,
  );
  const results: StoredEvent[] = found.slice(0, query.limit).map((row) => ({
    uuid: String(row[0]),
    event: String(row[1]),
    distinctId: String(row[2]),
    personId: row[3] === null ? null : String(row[3]),
    properties: parseJsonObject(row[4]),
    timestamp: isoFromMs(row[5]),
    receivedAt: isoFromMs(row[6]),
  }));
  const last = results.at(-1);
  const nextCursor =
    found.length > query.limit && last !== undefined
      ? encodeCursor({ ms: Date.parse(last.timestamp), key: last.uuid })
      : undefined;
  return { results, nextCursor };
}

export async function countEvents(
  connection: DuckDBConnection,
  projectId: number,
): Promise<number> {
  const p = params();
  const found = await rows(
    connection,
    `SELECT count(*) FROM events WHERE project_id = ${p.add(projectId, INTEGER)}`,
    p,
  );
  return toNumber(found[0]?.[0] ?? 0);
}

export function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE)
    throw new StoreError('invalid_input', 'limit');
}

function msParam(ms: number): bigint {
  if (!Number.isFinite(ms)) throw new StoreError('invalid_input', 'time bound');
  return BigInt(Math.trunc(ms));
}
