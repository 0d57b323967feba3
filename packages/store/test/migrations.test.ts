import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { applyMigrations } from '../src/duckdb/migrations.js';
import { createDuckDbStore, HOT_COLUMNS, MIGRATIONS, StoreError } from '../src/index.js';
import { FAST_SCRYPT, makeEvent, T0, useTempDirs } from './helpers.js';

async function withConnection<T>(
  path: string,
  task: (c: Awaited<ReturnType<DuckDBInstance['connect']>>) => Promise<T>,
) {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  try {
    return await task(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('migrations', () => {
  const tempDir = useTempDirs();

  it('applies every migration once and is a no-op on the next open', async () => {
    await withConnection(':memory:', async (connection) => {
      expect(await applyMigrations(connection, T0)).toEqual({
        applied: MIGRATIONS.map((m) => m.version),
      });
      expect(await applyMigrations(connection, T0)).toEqual({ applied: [] });
      const ledger = await connection.runAndReadAll(
        'SELECT version, name FROM schema_migrations ORDER BY version',
      );
      expect(ledger.getRowsJS()).toEqual(MIGRATIONS.map((m) => [m.version, m.name]));
    });
  });

  it('rolls a failing migration back whole and reports migration_failed with its version', async () => {
    await withConnection(':memory:', async (connection) => {
      const broken = [
        ...MIGRATIONS,
        {
          version: MIGRATIONS.length + 1,
          name: 'broken',
          statements: ['CREATE TABLE half (x INTEGER)', 'SELEC nonsense'],
        },
      ];
      const error = await applyMigrations(connection, T0, broken).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect(error).toMatchObject({ code: 'migration_failed', detail: `version ${broken.length}` });
      const tables = await connection.runAndReadAll(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'half'",
      );
      expect(tables.getRowsJS()).toEqual([[0n]]);
    });
  });

  it('refuses a file whose schema is newer than this code', async () => {
    await withConnection(':memory:', async (connection) => {
      await applyMigrations(connection, T0);
      await connection.run(
        `INSERT INTO schema_migrations VALUES (999, 'future', now()::TIMESTAMP)`,
      );
      await expect(applyMigrations(connection, T0)).rejects.toMatchObject({
        code: 'migration_failed',
      });
    });
  });

  it('upgrades a version-1 file to persons keyed by id, keeping every person', async () => {
    await withConnection(':memory:', async (connection) => {
      await applyMigrations(connection, T0, MIGRATIONS.slice(0, 1));
      await connection.run(`INSERT INTO persons VALUES
        (1, '00000000-0000-4000-8000-000000000001', '{"a":1}', true, TIMESTAMP '2026-01-01')`);
      expect(await applyMigrations(connection, T0, MIGRATIONS.slice(0, 2))).toEqual({
        applied: [2],
      });
      const persons = await connection.runAndReadAll(
        'SELECT id::VARCHAR, project_id, properties, is_identified FROM persons',
      );
      expect(persons.getRowsJS()).toEqual([
        ['00000000-0000-4000-8000-000000000001', 1, '{"a":1}', true],
      ]);
      const keys = await connection.runAndReadAll(
        "SELECT constraint_column_names FROM duckdb_constraints() WHERE table_name = 'persons' AND constraint_type = 'PRIMARY KEY'",
      );
      expect(keys.getRowsJS()).toEqual([[['id']]]);
    });
  });

  it('gives events a column per hot property, filled from the properties at append', async () => {
    const path = join(tempDir(), 'tally.duckdb');
    const store = await createDuckDbStore({ path, scryptCost: FAST_SCRYPT });
    await store.events.append(
      [
        makeEvent({
          properties: {
            $lib: 'posthog-js',
            $browser: 'Firefox',
            environment: 'production',
            app_version: 7,
            $pathname: '',
          },
        }),
      ],
      [],
    );
    await store.close();
    await withConnection(path, async (connection) => {
      const columns = HOT_COLUMNS.map((h) => h.column).join(', ');
      const row = (
        await connection.runAndReadAll(`SELECT ${columns}, group_0, process_person FROM events`)
      ).getRowObjectsJS()[0];
      expect(row).toEqual({
        lib: 'posthog-js',
        app_version: null,
        environment: 'production',
        deployment: null,
        browser: 'Firefox',
        os: null,
        pathname: null,
        group_0: 'tenant-1',
        process_person: true,
      });
    });
  });
});
