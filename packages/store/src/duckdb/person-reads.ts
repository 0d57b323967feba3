import { BIGINT, type DuckDBConnection, INTEGER, VARCHAR } from '@duckdb/node-api';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { Group, Person } from '../types.js';
import { checkLimit } from './event-reads.js';
import { isoFromMs, params, parseJsonObject, rows } from './sql.js';

// Persons and groups, read through the reader pool. Lists are newest first by created_at with
// the id (persons) or key (groups) as tie-breaker, and cursors like the events list.

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Page<T> {
  results: T[];
  nextCursor: string | undefined;
}

const PERSON_COLUMNS = `p.id::VARCHAR, p.properties, p.is_identified, epoch_ms(p.created_at),
  coalesce(list(d.distinct_id ORDER BY d.distinct_id) FILTER (WHERE d.distinct_id IS NOT NULL), [])`;

export async function getPerson(
  connection: DuckDBConnection,
  projectId: number,
  distinctId: string,
): Promise<Person | undefined> {
  const p = params();
  const found = await rows(
    connection,
    `SELECT ${PERSON_COLUMNS}
     FROM person_distinct_ids k
     JOIN persons p ON p.project_id = k.project_id AND p.id = k.person_id
     LEFT JOIN person_distinct_ids d ON d.project_id = p.project_id AND d.person_id = p.id
     WHERE k.project_id = ${p.add(projectId, INTEGER)} AND k.distinct_id = ${p.add(distinctId, VARCHAR)}
     GROUP BY p.id, p.properties, p.is_identified, p.created_at`,
    p,
  );
  const row = found[0];
  return row === undefined ? undefined : toPerson(row);
}

/** A person's id and properties by one of its distinct ids (no list of the others). */
export async function getPersonProperties(
  connection: DuckDBConnection,
  projectId: number,
  distinctId: string,
): Promise<{ id: string; properties: Record<string, unknown> } | undefined> {
  const p = params();
  const found = await rows(
    connection,
    `SELECT p.id::VARCHAR, p.properties
     FROM person_distinct_ids k JOIN persons p ON p.project_id = k.project_id AND p.id = k.person_id
     WHERE k.project_id = ${p.add(projectId, INTEGER)} AND k.distinct_id = ${p.add(distinctId, VARCHAR)}`,
    p,
  );
  const row = found[0];
  return row === undefined
    ? undefined
    : { id: String(row[0]), properties: parseJsonObject(row[1]) };
}

export async function listPersons(
  connection: DuckDBConnection,
  projectId: number,
  options: { limit: number; cursor?: string },
): Promise<Page<Person>> {
  checkLimit(options.limit);
  const p = params();
  const where = [`project_id = ${p.add(projectId, INTEGER)}`];
  if (options.cursor !== undefined) {
    const at = decodeCursor(options.cursor, UUID_PATTERN);
    const ts = `epoch_ms(${p.add(BigInt(at.ms), BIGINT)})`;
    where.push(
      `(created_at < ${ts} OR (created_at = ${ts} AND id < ${p.add(at.key, VARCHAR)}::UUID))`,
    );
  }
  const found = await rows(
    connection,
    `SELECT ${PERSON_COLUMNS}
     FROM (SELECT * FROM persons WHERE ${where.join(' AND ')}
           ORDER BY created_at DESC, id DESC LIMIT ${p.add(options.limit + 1, INTEGER)}) p
     LEFT JOIN person_distinct_ids d ON d.project_id = p.project_id AND d.person_id = p.id
     GROUP BY p.id, p.properties, p.is_identified, p.created_at
     ORDER BY p.created_at DESC, p.id DESC`,
    p,
  );
  return page(found.map(toPerson), options.limit, (person) => ({
    ms: Date.parse(person.createdAt),
    key: person.id,
  }));
}

const GROUP_SELECT = `SELECT g.group_type_index, coalesce(m.group_type, ''), g.group_key, g.properties,
    epoch_ms(g.created_at)
  FROM groups g
  LEFT JOIN group_type_mapping m
    ON m.project_id = g.project_id AND m.group_type_index = g.group_type_index`;

export async function getGroup(
  connection: DuckDBConnection,
  projectId: number,
  groupTypeIndex: number,
  groupKey: string,
): Promise<Group | undefined> {
  const p = params();
  const found = await rows(
    connection,
    `${GROUP_SELECT}
     WHERE g.project_id = ${p.add(projectId, INTEGER)}
       AND g.group_type_index = ${p.add(groupTypeIndex, INTEGER)}
       AND g.group_key = ${p.add(groupKey, VARCHAR)}`,
    p,
  );
  const row = found[0];
  return row === undefined ? undefined : toGroup(row);
}

export async function listGroups(
  connection: DuckDBConnection,
  projectId: number,
  groupTypeIndex: number,
  options: { limit: number; cursor?: string },
): Promise<Page<Group>> {
  checkLimit(options.limit);
  const p = params();
  const where = [
    `g.project_id = ${p.add(projectId, INTEGER)}`,
    `g.group_type_index = ${p.add(groupTypeIndex, INTEGER)}`,
  ];
  if (options.cursor !== undefined) {
    const at = decodeCursor(options.cursor);
    const ts = `epoch_ms(${p.add(BigInt(at.ms), BIGINT)})`;
    where.push(
      `(g.created_at < ${ts} OR (g.created_at = ${ts} AND g.group_key < ${p.add(at.key, VARCHAR)}))`,
    );
  }
  const found = await rows(
    connection,
    `${GROUP_SELECT}
     WHERE ${where.join(' AND ')}
     ORDER BY g.created_at DESC, g.group_key DESC
     LIMIT ${p.add(options.limit + 1, INTEGER)}`,
    p,
  );
  return page(found.map(toGroup), options.limit, (group) => ({
    ms: Date.parse(group.createdAt),
    key: group.groupKey,
  }));
}

function page<T>(
  items: T[],
  limit: number,
  position: (item: T) => { ms: number; key: string },
): Page<T> {
  const results = items.slice(0, limit);
  const last = results.at(-1);
  return {
    results,
    nextCursor:
      items.length > limit && last !== undefined ? encodeCursor(position(last)) : undefined,
  };
}

function toPerson(row: unknown[]): Person {
  return {
    id: String(row[0]),
    properties: parseJsonObject(row[1]),
    isIdentified: row[2] === true,
    createdAt: isoFromMs(row[3]),
    distinctIds: Array.isArray(row[4]) ? row[4].map(String) : [],
  };
}

function toGroup(row: unknown[]): Group {
  return {
    groupTypeIndex: Number(row[0]),
    groupType: String(row[1]),
    groupKey: String(row[2]),
    properties: parseJsonObject(row[3]),
    createdAt: isoFromMs(row[4]),
  };
}
