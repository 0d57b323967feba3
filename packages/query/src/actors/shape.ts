import { numberOf } from '../run.js';
import type { SqlRow } from '../runner.js';
import type { ActorColumn } from './page.js';
import type { ActorsPlan } from './plan.js';

// Stage 5 of actors: one page of rows (sql/duckdb/actors.ts) -> PostHog's ActorsQuery response:
// `results` as one row per actor with the selected `columns`, `hasMore` when a further page
// exists. The actor object is PostHog's person (id, distinct_ids, properties) or group.

export interface PersonActor {
  readonly type: 'person';
  readonly id: string;
  readonly distinct_ids: string[];
  readonly properties: Record<string, unknown>;
  readonly created_at: string | null;
  readonly is_identified: boolean;
  /** Trends count an event without a person profile by its distinct id: such an actor. */
  readonly is_personless?: true;
}

export interface GroupActor {
  readonly type: 'group';
  readonly id: string;
  readonly group_key: string;
  readonly group_type_index: number;
  readonly properties: Record<string, unknown>;
  readonly created_at: string | null;
}

export type ActorObject = PersonActor | GroupActor;

export interface ActorsResult {
  readonly columns: ActorColumn[];
  readonly results: unknown[][];
  readonly hasMore: boolean;
  readonly limit: number;
  readonly offset: number;
}

export function shapeActors(plan: ActorsPlan, rows: readonly SqlRow[]): ActorsResult {
  const { page } = plan;
  const shown = rows.slice(0, page.limit);
  const results = shown.map((row) => {
    const actor = actorOf(plan, row);
    return page.columns.map((column) => cell(column, actor, row));
  });
  return {
    columns: [...page.columns],
    results,
    hasMore: rows.length > page.limit,
    limit: page.limit,
    offset: page.offset,
  };
}

function cell(column: ActorColumn, actor: ActorObject, row: SqlRow): unknown {
  switch (column) {
    case 'actor':
    case 'person':
    case 'group':
      return actor;
    case 'id':
      return actor.id;
    case 'distinct_ids':
      return actor.type === 'person' ? actor.distinct_ids : [];
    case 'event_count':
      return numberOf(row.event_count);
    case 'created_at':
      return actor.created_at;
    case 'appearances':
      return Array.isArray(row.appearances) ? row.appearances.map(numberOf) : [0];
    case 'matched_recordings':
      return [];
  }
}

function actorOf(plan: ActorsPlan, row: SqlRow): ActorObject {
  const id = String(row.actor_id);
  const properties = parseProperties(row.properties);
  const createdAt =
    row.created_ms === null || row.created_ms === undefined
      ? null
      : new Date(numberOf(row.created_ms)).toISOString();
  const { actor } = plan.target;
  if (actor.kind === 'group')
    return {
      type: 'group',
      id,
      group_key: id,
      group_type_index: actor.index,
      properties,
      created_at: createdAt,
    };
  const hasPerson = row.properties !== null && row.properties !== undefined;
  if (!hasPerson && typeof row.did === 'string')
    return {
      type: 'person',
      id,
      distinct_ids: [row.did],
      properties: {},
      created_at: null,
      is_identified: false,
      is_personless: true,
    };
  const ids = Array.isArray(row.distinct_ids) ? row.distinct_ids.map(String) : [];
  return {
    type: 'person',
    id,
    distinct_ids: ids,
    properties,
    created_at: createdAt,
    is_identified: row.is_identified === true,
  };
}

function parseProperties(value: unknown): Record<string, unknown> {
  if (typeof value !== 'string') return {};
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
