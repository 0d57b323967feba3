import type { JS } from '@duckdb/node-api';
import { StoreError } from '../errors.js';
import { type IngestEvent, MAX_GROUP_TYPES } from '../types.js';
import { HOT_COLUMNS } from './hot-columns.js';

/** Column order of `events`, which the appender writes positionally (migration 1). */
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
 * Events to write, first occurrence of each (project, uuid) only, with the positions of the
 * repeats. Throws `invalid_input` for an event the table cannot hold; the server validates
 * first, so this guards the contract rather than user input.
 */
export function dedupeBatch(events: readonly IngestEvent[]): {
  unique: Array<{ index: number; key: string; event: IngestEvent }>;
  repeated: number[];
} {
  const seen = new Set<string>();
  const unique: Array<{ index: number; key: string; event: IngestEvent }> = [];
  const repeated: number[] = [];
  events.forEach((event, index) => {
    checkEvent(event);
    const key = eventKey(event.projectId, event.uuid);
    if (seen.has(key)) repeated.push(index);
    else {
      seen.add(key);
      unique.push({ index, key, event });
    }
  });
  return { unique, repeated };
}

function checkEvent(event: IngestEvent): void {
  if (!Number.isInteger(event.projectId) || event.projectId < 1)
    throw new StoreError('invalid_input', 'projectId');
  if (!UUID_PATTERN.test(event.uuid)) throw new StoreError('invalid_input', 'uuid');
  if (!Number.isFinite(event.timestampMs)) throw new StoreError('invalid_input', 'timestampMs');
  if (!Number.isFinite(event.receivedAtMs)) throw new StoreError('invalid_input', 'receivedAtMs');
  if (event.groups.length > MAX_GROUP_TYPES) throw new StoreError('invalid_input', 'groups');
}

/** One appender row, in EVENT_COLUMNS order. */
export function eventRow(event: IngestEvent): JS[] {
  let properties: string;
  try {
    properties = JSON.stringify(event.properties);
  } catch (error) {
    throw new StoreError('invalid_input', 'properties', { cause: error });
  }
  const row: JS[] = [
    event.uuid,
    event.projectId,
    event.event,
    event.distinctId,
    new Date(event.timestampMs),
    new Date(event.receivedAtMs),
    properties,
  ];
  for (let i = 0; i < MAX_GROUP_TYPES; i++) row.push(event.groups[i] ?? null);
  row.push(event.sessionId, event.processPerson);
  for (const hot of HOT_COLUMNS) {
    const value = event.properties[hot.property];
    row.push(typeof value === 'string' && value !== '' ? value : null);
  }
  return row;
}
