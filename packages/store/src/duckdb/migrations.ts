import type { DuckDBConnection } from '@duckdb/node-api';
import { BIGINT, INTEGER, VARCHAR } from '@duckdb/node-api';
import { StoreError } from '../errors.js';
import { inTransaction, params, rows, toNumber } from './sql.js';

/**
 * One schema version: SQL statements run in order inside one transaction, then recorded in
 * `schema_migrations`. Never edit a released migration; append a new one.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
}

/**
 * Timestamps are `TIMESTAMP` holding UTC, never `TIMESTAMPTZ`: casts and `date_trunc` on a
 * TIMESTAMPTZ follow the session TimeZone, which defaults to the machine's zone on an
 * on-premise box. Queries convert to a project's zone explicitly.
 */
export const MIGRATIONS: readonly Migration[] = Object.freeze([
  {
    version: 1,
    name: 'initial schema',
    statements: [
      `CREATE SEQUENCE project_id_seq START 1`,
      `CREATE TABLE projects (
        id INTEGER PRIMARY KEY DEFAULT nextval('project_id_seq'),
        name VARCHAR NOT NULL,
        token VARCHAR NOT NULL UNIQUE,
        is_strict BOOLEAN NOT NULL DEFAULT false,
        timezone VARCHAR NOT NULL DEFAULT 'UTC',
        created_at TIMESTAMP NOT NULL
      )`,
      // Only the SHA-256 of a personal key is stored; an empty project_ids with all_projects
      // grants every project, present and future.
      `CREATE TABLE api_keys (
        key_sha256 VARCHAR PRIMARY KEY,
        label VARCHAR NOT NULL,
        all_projects BOOLEAN NOT NULL,
        project_ids INTEGER[] NOT NULL,
        created_at TIMESTAMP NOT NULL
      )`,
      // password_hash is `scrypt$N$r$p$<salt b64url>$<hash b64url>` (node:crypto scrypt).
      `CREATE TABLE users (
        email VARCHAR PRIMARY KEY,
        password_hash VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL
      )`,
      `CREATE TABLE group_type_mapping (
        project_id INTEGER NOT NULL,
        group_type VARCHAR NOT NULL,
        group_type_index INTEGER NOT NULL CHECK (group_type_index BETWEEN 0 AND 4),
        PRIMARY KEY (project_id, group_type_index),
        UNIQUE (project_id, group_type)
      )`,
      `CREATE TABLE ingest_counters (
        project_id INTEGER NOT NULL,
        kind VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        count BIGINT NOT NULL,
        PRIMARY KEY (project_id, kind, name)
      )`,
      // The primary key is the dedup check: a plain append fails on a stored (project, uuid),
      // and the writer then retries the batch without the stored keys (see append.ts for why
      // not INSERT OR IGNORE). No person_id: persons resolve at read time through
      // person_distinct_ids, so a merge never rewrites events.
      `CREATE TABLE events (
        uuid UUID NOT NULL,
        project_id INTEGER NOT NULL,
        event VARCHAR NOT NULL,
        distinct_id VARCHAR NOT NULL,
        timestamp TIMESTAMP NOT NULL,
        received_at TIMESTAMP NOT NULL,
        properties JSON NOT NULL,
        group_0 VARCHAR,
        group_1 VARCHAR,
        group_2 VARCHAR,
        group_3 VARCHAR,
        group_4 VARCHAR,
        session_id VARCHAR,
        process_person BOOLEAN NOT NULL,
        lib VARCHAR,
        app_version VARCHAR,
        environment VARCHAR,
        deployment VARCHAR,
        browser VARCHAR,
        os VARCHAR,
        pathname VARCHAR,
        PRIMARY KEY (project_id, uuid)
      )`,
      `CREATE TABLE persons (
        project_id INTEGER NOT NULL,
        id UUID NOT NULL,
        properties JSON NOT NULL,
        is_identified BOOLEAN NOT NULL,
        created_at TIMESTAMP NOT NULL,
        PRIMARY KEY (project_id, id)
      )`,
      `CREATE TABLE person_distinct_ids (
        project_id INTEGER NOT NULL,
        distinct_id VARCHAR NOT NULL,
        person_id UUID NOT NULL,
        PRIMARY KEY (project_id, distinct_id)
      )`,
      `CREATE TABLE groups (
        project_id INTEGER NOT NULL,
        group_type_index INTEGER NOT NULL,
        group_key VARCHAR NOT NULL,
        properties JSON NOT NULL,
        created_at TIMESTAMP NOT NULL,
        PRIMARY KEY (project_id, group_type_index, group_key)
      )`,
    ],
  },
  {
    version: 2,
    name: 'persons keyed by id; person_distinct_ids indexed by distinct_id',
    // The identity path looks persons up with `id IN (...)` and distinct ids with
    // `distinct_id IN (...)`. DuckDB serves those from an ART index only when the index is on
    // that one column; a composite key is scanned (14 ms against 2 ms for 100 ids at 1M rows).
    // Person ids are random UUIDs, unique across projects.
    statements: [
      `CREATE TABLE persons_v1 AS SELECT * FROM persons`,
      `DROP TABLE persons`,
      `CREATE TABLE persons (
        id UUID PRIMARY KEY,
        project_id INTEGER NOT NULL,
        properties JSON NOT NULL,
        is_identified BOOLEAN NOT NULL,
        created_at TIMESTAMP NOT NULL
      )`,
      `INSERT INTO persons SELECT id, project_id, properties, is_identified, created_at FROM persons_v1`,
      `DROP TABLE persons_v1`,
      `CREATE INDEX person_distinct_ids_distinct_id ON person_distinct_ids (distinct_id)`,
    ],
  },
  {
    version: 3,
    name: 'cohorts and static cohort members',
    // `filters` is PostHog's cohort JSON as the query engine validated it; membership of dynamic
    // cohorts is computed when a query runs, so only static lists are stored. The member list
    // has no key: DuckDB refuses to delete and re-insert one key in a transaction, which is
    // how a list is replaced; the store deduplicates.
    statements: [
      `CREATE SEQUENCE cohort_id_seq START 1`,
      `CREATE TABLE cohorts (
        id INTEGER PRIMARY KEY DEFAULT nextval('cohort_id_seq'),
        project_id INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        description VARCHAR NOT NULL,
        is_static BOOLEAN NOT NULL,
        filters JSON,
        created_at TIMESTAMP NOT NULL,
        updated_at TIMESTAMP NOT NULL
      )`,
      `CREATE TABLE cohort_static_members (
        cohort_id INTEGER NOT NULL,
        kind VARCHAR NOT NULL CHECK (kind IN ('person_id', 'distinct_id')),
        value VARCHAR NOT NULL
      )`,
    ],
  },
  {
    version: 4,
    name: 'feature flags',
    // PostHog's flag: `filters` is its definition (release conditions, variants, payloads,
    // aggregation) as @tally/flags validated it. A deleted flag is kept (`deleted`), as PostHog
    // does, so its key is free again and old exposures still name it; `version` counts edits.
    // A key is unique among a project's flags that are not deleted: enforced by the store.
    statements: [
      `CREATE SEQUENCE feature_flag_id_seq START 1`,
      `CREATE TABLE feature_flags (
        id INTEGER PRIMARY KEY DEFAULT nextval('feature_flag_id_seq'),
        project_id INTEGER NOT NULL,
        key VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        active BOOLEAN NOT NULL,
        deleted BOOLEAN NOT NULL,
        ensure_experience_continuity BOOLEAN NOT NULL,
        filters JSON NOT NULL,
        version INTEGER NOT NULL,
        created_at TIMESTAMP NOT NULL,
        updated_at TIMESTAMP NOT NULL
      )`,
    ],
  },
  {
    version: 5,
    name: 'experiments',
    // An experiment binds a feature flag (by id, so renaming the flag keeps it) to metrics.
    // `parameters` and `metrics` are the definition as @tally/query validated it; a NULL
    // start_date is a draft, a NULL end_date a running (or draft) experiment.
    statements: [
      `CREATE SEQUENCE experiment_id_seq START 1`,
      `CREATE TABLE experiments (
        id INTEGER PRIMARY KEY DEFAULT nextval('experiment_id_seq'),
        project_id INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        description VARCHAR NOT NULL,
        feature_flag_id INTEGER NOT NULL,
        parameters JSON NOT NULL,
        metrics JSON NOT NULL,
        start_date TIMESTAMP,
        end_date TIMESTAMP,
        archived BOOLEAN NOT NULL,
        created_at TIMESTAMP NOT NULL,
        updated_at TIMESTAMP NOT NULL
      )`,
    ],
  },
  {
    version: 6,
    name: 'project test-account filters',
    // PostHog's `test_account_filters`: a JSON list of property filters as @tally/query
    // validated them. DuckDB cannot add a column with a NOT NULL constraint, so the store
    // reads a NULL as the empty list. DuckDB cannot replay an ALTER TABLE from the WAL ("no
    // default database set" on open after a crash): applyMigrations checkpoints after it.
    statements: [`ALTER TABLE projects ADD COLUMN test_account_filters JSON DEFAULT '[]'`],
  },
]);

const CREATE_LEDGER = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name VARCHAR NOT NULL,
  applied_at TIMESTAMP NOT NULL
)`;

/**
 * Brings the schema up to the newest migration: each pending one in its own transaction, in
 * version order. Idempotent: applied versions are skipped. A file written by a newer Tally
 * (a version this code does not know) is refused rather than half understood.
 */
export async function applyMigrations(
  connection: DuckDBConnection,
  nowMs: number,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<{ applied: number[] }> {
  checkOrder(migrations);
  try {
    await connection.run(CREATE_LEDGER);
  } catch (error) {
    throw new StoreError('migration_failed', 'schema_migrations', { cause: error });
  }
  const done = new Set(
    (await rows(connection, 'SELECT version FROM schema_migrations')).map((row) =>
      toNumber(row[0]),
    ),
  );
  const known = new Set(migrations.map((migration) => migration.version));
  for (const version of done)
    if (!known.has(version))
      throw new StoreError(
        'migration_failed',
        `the file has schema version ${version}, newer than this Tally`,
      );
  const applied: number[] = [];
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    try {
      await inTransaction(connection, async () => {
        for (const statement of migration.statements) await connection.run(statement);
        const p = params();
        await connection.run(
          `INSERT INTO schema_migrations VALUES (${p.add(migration.version, INTEGER)}, ${p.add(migration.name, VARCHAR)}, epoch_ms(${p.add(BigInt(nowMs), BIGINT)}))`,
          p.values,
          p.types,
        );
      });
    } catch (error) {
      throw new StoreError('migration_failed', `version ${migration.version}`, { cause: error });
    }
    applied.push(migration.version);
  }
  // The schema goes into the file now, not the WAL: a crash before the next checkpoint would
  // otherwise leave a WAL DuckDB cannot replay (ALTER TABLE, migration 6).
  if (applied.length > 0) {
    try {
      await connection.run('CHECKPOINT');
    } catch (error) {
      throw new StoreError('migration_failed', 'checkpoint', { cause: error });
    }
  }
  return { applied };
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((migration, i) => {
    if (migration.version !== i + 1)
      throw new StoreError(
        'migration_failed',
        `migrations must be numbered 1, 2, 3...; found ${migration.version} at ${i + 1}`,
      );
  });
}
