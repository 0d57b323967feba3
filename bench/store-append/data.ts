// Data for the store-append benchmarks: a fast SQL preload and in-memory event batches.
import { randomBytes } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { IdentityChange, IngestEvent } from '@tally/store';

export const PRELOAD_START = '2026-01-01';
const SET_EVERY = Number(process.env.BENCH_SET_EVERY ?? 200);
/** Live events start after the preloaded history, as they do on a running server. */
let clockMs = Date.parse('2026-04-01T00:00:00Z');

/** A UUIDv7 (what posthog-node, posthog-js and Tally's SDK send) for `ms`. */
export function uuidv7(ms: number): string {
  const t = ms.toString(16).padStart(12, '0');
  const r = randomBytes(10).toString('hex');
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${r.slice(0, 3)}-${((Number.parseInt(r.slice(3, 4), 16) & 3) | 8).toString(16)}${r.slice(4, 7)}-${r.slice(7, 19)}`;
}

/**
 * `rows` events of history in `events` and `users` persons with one distinct id each, with
 * INSERT ... SELECT FROM range(): UUIDv7-shaped ids in time order, ~300-byte JSON.
 */
export async function preload(
  connection: DuckDBConnection,
  rows: number,
  users: number,
  withPersons: boolean,
) {
  const uuid = `(substr(h,1,8)||'-'||substr(h,9,4)||'-7'||substr(r,1,3)||'-8'||substr(r,4,3)||'-'||substr(r,7,12))::UUID`;
  await connection.run(`INSERT INTO events
    SELECT ${uuid}, 1, 'ev_' || (i % 20), 'user-' || (i % ${users}), ts, ts + INTERVAL 1 SECOND,
      '{"ticket_id":"' || r || '","priority":"high","$lib":"tally-node","app_version":"2.1.0","environment":"production","deployment":"hosted","n":' || i || '}',
      'tenant-' || (i % 40), NULL, NULL, NULL, NULL, NULL, true,
      'tally-node', '2.1.0', 'production', 'hosted', NULL, NULL, NULL
    FROM (SELECT i, ts, lpad(to_hex(epoch_ms(ts)), 12, '0') AS h, md5(i::VARCHAR) AS r
          FROM (SELECT i, TIMESTAMP '${PRELOAD_START}' + to_milliseconds(i * 5) AS ts FROM range(${rows}) t(i)))`);
  if (!withPersons) return;
  await connection.run(`INSERT INTO persons
    SELECT uuid(), 1, '{"plan":"pro","first_lib":"tally-node"}', false, TIMESTAMP '${PRELOAD_START}' FROM range(${users}) t(i)`);
  await connection.run(`INSERT INTO person_distinct_ids
    SELECT 1, 'user-' || (row_number() OVER () - 1), id FROM persons`);
}

const PROPERTIES = {
  ticket_type: 'incident',
  created_via: 'email',
  priority: 'high',
  board_id: 'b7a9c7e2-3f1d-4a57-9a0e-4f0b6f1f2d11',
  has_category: true,
  is_assigned: true,
  used_template: false,
  app_version: '2.1.0',
  deployment: 'hosted',
  environment: 'production',
  schema_version: 1,
  $lib: 'tally-node',
  $lib_version: '0.1.0',
};

/**
 * A server-shaped batch: events of `users` known users, each with the `person_seen` the server
 * sends for a person-processing event, carrying a `$set_once` that is already applied; one event
 * in `setEvery` (BENCH_SET_EVERY, default 200: an identify or a profile edit) carries a `$set`
 * that changes the person.
 */
export function makeBatch(
  size: number,
  users: number,
  setEvery = SET_EVERY,
): { events: IngestEvent[]; changes: IdentityChange[] } {
  const events: IngestEvent[] = [];
  const changes: IdentityChange[] = [];
  for (let i = 0; i < size; i++) {
    clockMs += 1;
    const distinctId = `user-${(clockMs * 7919) % users}`;
    events.push({
      projectId: 1,
      uuid: uuidv7(clockMs),
      event: 'ticket_created',
      distinctId,
      timestampMs: clockMs,
      receivedAtMs: clockMs + 20,
      properties: { ...PROPERTIES, ticket_id: uuidv7(clockMs) },
      groups: [`tenant-${clockMs % 40}`],
      sessionId: null,
      processPerson: true,
    });
    changes.push({
      kind: 'person_seen',
      projectId: 1,
      distinctId,
      atMs: clockMs,
      setOnce: { first_lib: 'tally-node' },
      ...(clockMs % setEvery === 0 ? { set: { last_ticket_ms: clockMs } } : {}),
    });
  }
  return { events, changes };
}
