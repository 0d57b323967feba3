// The query benchmark's data set: N events over 90 days, ~N/100 persons (one distinct id each),
// ~N/2000 tenants (group_0), generated in DuckDB with hash-based pseudo-random values so 10M rows
// take seconds, not minutes. Events are stored in time order, as the ingest path appends them
// (so DuckDB's per-row-group min/max skip what a date range excludes). Cached in
// .bench-cache/query-<N>-v2.duckdb (outside git; v1 files were in random order) and reused.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { createDuckDbStore } from '@tally/store';

export const DAYS = 90;
/** The data ends here (exclusive); the benchmark's "now". */
export const END_MS = Date.parse('2026-01-01T00:00:00Z');
export const START_MS = END_MS - DAYS * 86_400_000;
export const PROJECT_ID = 1;

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface CachedDataset {
  readonly path: string;
  readonly generated: boolean;
  readonly generateMs: number;
}

/** Event names with their share in percent (they sum to 100). */
const EVENT_MIX: ReadonlyArray<readonly [string, number]> = [
  ['ticket_created', 20],
  ['ticket_assigned', 15],
  ['ticket_resolved', 10],
  ['feature_used', 25],
  ['$pageview', 20],
  ['invoice_created', 5],
  ['user_logged_in', 5],
];

function eventCase(column: string): string {
  let upTo = 0;
  const branches = EVENT_MIX.map(([name, share]) => {
    upTo += share;
    return `WHEN ${column} < ${upTo} THEN '${name}'`;
  });
  return `CASE ${branches.join(' ')} END`;
}

export async function ensureDataset(events: number): Promise<CachedDataset> {
  const path = join(REPO_ROOT, '.bench-cache', `query-${events}-v2.duckdb`);
  if (existsSync(path)) return { path, generated: false, generateMs: 0 };
  mkdirSync(dirname(path), { recursive: true });
  // Build under a temporary name so an interrupted run never leaves a half-filled cache file.
  const partial = `${path}.partial`;
  rmSync(partial, { force: true });
  rmSync(`${partial}.wal`, { force: true });
  const started = performance.now();
  // The store creates the schema (and the project's `tenant` group type, index 0).
  const store = await createDuckDbStore({ path: partial });
  try {
    const project = await store.metadata.createProject({
      name: 'bench',
      token: 'phc_benchquery01',
    });
    if (project.id !== PROJECT_ID) throw new Error(`expected project ${PROJECT_ID}`);
  } finally {
    await store.close();
  }
  const instance = await DuckDBInstance.create(partial);
  const connection = await instance.connect();
  try {
    for (const sql of generationSql(events)) await connection.run(sql);
    await connection.run('CHECKPOINT');
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  renameSync(partial, path);
  return { path, generated: true, generateMs: performance.now() - started };
}

function generationSql(events: number): string[] {
  const persons = Math.max(1, Math.floor(events / 100));
  const tenants = Math.max(1, Math.floor(events / 2000));
  const start = `TIMESTAMP '${new Date(START_MS).toISOString().slice(0, 19).replace('T', ' ')}'`;
  // Per person: a tenant, a start day and an exponential lifetime (mean 25 days), so retention
  // curves decay as in real products.
  const people = `SELECT u,
    (hash(u, 11) % ${tenants})::BIGINT AS t,
    (hash(u, 12) % ${DAYS})::BIGINT AS start_day,
    1 + floor(-25 * ln(((hash(u, 13) % 1000000)::DOUBLE + 1) / 1000001))::BIGINT AS life
  FROM range(${persons}) r(u)`;
  return [
    `CREATE TEMP TABLE bench_people AS ${people}`,
    `INSERT INTO persons
     SELECT md5('person-' || u)::UUID, ${PROJECT_ID},
            json_object('email', 'user' || u || '@example.com', 'plan', CASE WHEN u % 3 = 0 THEN 'pro' ELSE 'basic' END),
            true, ${start} + to_days(start_day::INTEGER)
     FROM bench_people`,
    `INSERT INTO person_distinct_ids
     SELECT ${PROJECT_ID}, 'user-' || u, md5('person-' || u)::UUID FROM bench_people`,
    `INSERT INTO groups
     SELECT ${PROJECT_ID}, 0, 'tenant-' || t, json_object('name', 'Tenant ' || t), ${start}
     FROM (SELECT DISTINCT t FROM bench_people)`,
    `INSERT INTO events (uuid, project_id, event, distinct_id, timestamp, received_at, properties,
                         group_0, process_person, lib, browser)
     SELECT md5(i::VARCHAR)::UUID, ${PROJECT_ID}, ev, 'user-' || u, ts, ts,
            json_object('priority', priority, 'ticket_id', 'T-' || (i % 50000),
                        '$browser', browser, '$lib', 'tally-node')::JSON,
            'tenant-' || t, true, 'tally-node', browser
     FROM (
       SELECT e.i, p.u, p.t,
              ${eventCase('(hash(e.i, 3) % 100)')} AS ev,
              ['low', 'normal', 'high', 'urgent'][1 + (hash(e.i, 5) % 4)::INTEGER] AS priority,
              ['Chrome', 'Firefox', 'Safari', 'Edge', 'Opera'][1 + (hash(p.u, 6) % 5)::INTEGER] AS browser,
              ${start} + to_milliseconds(
                (p.start_day + floor((hash(e.i, 2) % 1000000)::DOUBLE / 1000000
                   * least(p.life, ${DAYS} - p.start_day))::BIGINT) * 86400000
                + (hash(e.i, 4) % 86400000)::BIGINT) AS ts
       FROM (SELECT i, (hash(i, 1) % ${persons})::BIGINT AS u FROM range(${events}) r(i)) e
       JOIN bench_people p USING (u)
     )
     ORDER BY ts`,
    'DROP TABLE bench_people',
  ];
}
