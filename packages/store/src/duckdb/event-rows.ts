import { type DuckDBConnection, VARCHAR } from '@duckdb/node-api';
import { StoreError } from '../errors.js';
import { type EncodedEvents, type IngestEvent, MAX_GROUP_TYPES } from '../types.js';
import { HOT_COLUMNS } from './hot-columns.js';
import { cachedStatement } from './sql.js';

/** Column order of `events` (migration 1), as the events INSERT lists them. */
export const EVENT_COLUMNS = Object.freeze([
  'uuid',
  'project_id',
  'event',
  'distinct_id',
  'timestamp',
  'received_at',
  'properties',
  'group_0',
  'group_1',
  'group_2',
  'group_3',
  'group_4',
  'session_id',
  'process_person',
  ...HOT_COLUMNS.map((hot) => hot.column),
]);

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Dedup key: (project, uuid), uuid in DuckDB's lowercase text form. */
export function eventKey(projectId: number, uuid: string): string {
  return `${projectId}/${uuid.toLowerCase()}`;
}

/**
 * Checks and encodes events (`EventStore.encode`): dedup keys and JSON rows. Throws
 * `invalid_input` for an event the table cannot hold.
 */
export function encodeEvents(events: readonly IngestEvent[]): EncodedEvents {
  const keys: string[] = [];
  const rows: string[] = [];
  for (const event of events) {
    checkEvent(event);
    keys.push(eventKey(event.projectId, event.uuid));
    rows.push(eventJson(event));
  }
  return { keys, rows };
}

/** Positions of the first occurrence of each key, and of the repeats. */
export function dedupeKeys(keys: readonly string[]): { unique: number[]; repeated: number[] } {
  const seen = new Set<string>();
  const unique: number[] = [];
  const repeated: number[] = [];
  keys.forEach((key, index) => {
    if (seen.has(key)) repeated.push(index);
    else {
      seen.add(key);
      unique.push(index);
    }
  });
  return { unique, repeated };
}

/** The project and uuid of a dedup key. */
export function splitKey(key: string): { projectId: number; uuid: string } {
  const slash = key.indexOf('/');
  return { projectId: Number(key.slice(0, slash)), uuid: key.slice(slash + 1) };
}

function checkEvent(event: IngestEvent): void {
  if (!Number.isInteger(event.projectId) || event.projectId < 1)
    throw new StoreError('invalid_input', 'projectId');
  if (!UUID_PATTERN.test(event.uuid)) throw new StoreError('invalid_input', 'uuid');
  if (!Number.isFinite(event.timestampMs)) throw new StoreError('invalid_input', 'timestampMs');
  if (!Number.isFinite(event.receivedAtMs)) throw new StoreError('invalid_input', 'receivedAtMs');
  if (event.groups.length > MAX_GROUP_TYPES) throw new StoreError('invalid_input', 'groups');
}

/**
 * How a batch of events reaches `events`: one JSON text, turned into rows by DuckDB's `from_json`
 * inside the INSERT, instead of the Appender. The Appender converts every value in JavaScript
 * (a BigInt per uuid, a timestamp object per date, a vector write per string) and inserts
 * synchronously on the event loop; the JSON text is one native `JSON.stringify` per event, and
 * parsing and inserting run on DuckDB's threads. Properties travel as JSON objects and are stored
 * as their JSON text, so they are not encoded twice. (bench/ingest: server CPU per event and
 * garbage collection fall with it.)
 *
 * Keys are short to keep the text small; the SELECT list below maps them to EVENT_COLUMNS.
 */
const JSON_FIELDS: ReadonlyArray<readonly [key: string, type: string, column: string]> = [
  ['u', 'VARCHAR', 'r.u::UUID'],
  ['p', 'INTEGER', 'r.p'],
  ['e', 'VARCHAR', 'r.e'],
  ['d', 'VARCHAR', 'r.d'],
  ['t', 'BIGINT', 'make_timestamp(r.t * 1000)'],
  ['r', 'BIGINT', 'make_timestamp(r.r * 1000)'],
  ['j', 'JSON', 'r.j'],
  ...Array.from({ length: MAX_GROUP_TYPES }, (_, i) => [`g${i}`, 'VARCHAR', `r.g${i}`] as const),
  ['s', 'VARCHAR', 'r.s'],
  ['pp', 'BOOLEAN', 'r.pp'],
  ...HOT_COLUMNS.map((_, i) => [`h${i}`, 'VARCHAR', `r.h${i}`] as const),
];

const STRUCTURE = JSON.stringify([Object.fromEntries(JSON_FIELDS.map(([k, type]) => [k, type]))]);

/**
 * Inserts the events of `$1`, a text made by `eventsJson`, into `table` (a copy of `events` in
 * bench/ingest); into `events` it fails whole on a duplicate key.
 */
export function insertEventsSql(table: string): string {
  return `INSERT INTO ${table} (${EVENT_COLUMNS.join(', ')})
  SELECT ${JSON_FIELDS.map(([, , column]) => column).join(', ')}
  FROM (SELECT unnest(from_json($1::VARCHAR, '${STRUCTURE}')) AS r)`;
}

const INSERT_EVENTS_SQL = insertEventsSql('events');

const GROUP_KEYS = Array.from({ length: MAX_GROUP_TYPES }, (_, i) => `,"g${i}":`);
const HOT_KEYS = HOT_COLUMNS.map((_, i) => `,"h${i}":`);

/**
 * One event as JSON for `insertEventsSql` (call `encodeEvents`, which checks it first), written as text: an object with these keys cost twice
 * as much to build and stringify (bench/ingest/stages.ts). Absent keys are NULL. Numbers were
 * checked finite by `checkEvent`. Throws `invalid_input` for properties JSON cannot hold (a
 * BigInt, a cycle).
 */
function eventJson(event: IngestEvent): string {
  return toJson(event, false);
}

function toJson(event: IngestEvent, isWellFormed: boolean): string {
  let properties: string;
  try {
    properties = JSON.stringify(event.properties);
  } catch (error) {
    throw new StoreError('invalid_input', 'properties', { cause: error });
  }
  let text = `{"u":"${event.uuid}","p":${event.projectId},"e":${JSON.stringify(event.event)},"d":${JSON.stringify(event.distinctId)},"t":${event.timestampMs},"r":${event.receivedAtMs},"pp":${event.processPerson === true},"j":${properties}`;
  for (let i = 0; i < MAX_GROUP_TYPES; i++) {
    const group = event.groups[i];
    if (typeof group === 'string') text += GROUP_KEYS[i] + JSON.stringify(group);
  }
  if (typeof event.sessionId === 'string') text += `,"s":${JSON.stringify(event.sessionId)}`;
  for (let i = 0; i < HOT_COLUMNS.length; i++) {
    const value = event.properties[(HOT_COLUMNS[i] as (typeof HOT_COLUMNS)[number]).property];
    if (typeof value === 'string' && value !== '') text += HOT_KEYS[i] + JSON.stringify(value);
  }
  text += '}';
  // JSON.stringify escapes a lone surrogate (\ud800) and DuckDB refuses the whole text for
  // one; the Appender stored U+FFFD for it, and so does this. Control characters are the only
  // other \u escapes it writes, so the test rarely fires on clean data (a text holding a
  // backslash then `ud800` matches too, hence one retry at most). The uuid needs no escaping:
  // `checkEvent` matched it against UUID_PATTERN.
  return !isWellFormed && text.includes('\\u') && LONE_SURROGATE_ESCAPE.test(text)
    ? toJson(wellFormedEvent(event), true)
    : text;
}

function wellFormedEvent(event: IngestEvent): IngestEvent {
  return {
    ...event,
    event: event.event.toWellFormed(),
    distinctId: event.distinctId.toWellFormed(),
    properties: wellFormed(event.properties) as Record<string, unknown>,
    groups: event.groups.map((group) => group?.toWellFormed() ?? null),
    sessionId: event.sessionId?.toWellFormed() ?? null,
  };
}

/** Inserts rows made by `encodeEvents` in one statement (within the caller's transaction). */
export async function insertEvents(
  connection: DuckDBConnection,
  rows: readonly string[],
  sql = INSERT_EVENTS_SQL,
): Promise<void> {
  if (rows.length === 0) return;
  const prepared = await cachedStatement(connection, sql);
  prepared.bind([`[${rows.join(',')}]`], [VARCHAR]);
  await prepared.run();
}

const LONE_SURROGATE_ESCAPE = /\\u[dD][89a-fA-F][0-9a-fA-F]{2}/;

function wellFormed(value: unknown): unknown {
  if (typeof value === 'string') return value.toWellFormed();
  if (Array.isArray(value)) return value.map(wellFormed);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      out[key.toWellFormed()] = wellFormed((value as Record<string, unknown>)[key]);
    }
    return out;
  }
  return value;
}
