import { PGlite } from '@electric-sql/pglite';
import { MIGRATIONS } from './migrations.js';

/** The query surface the routes use: a PGlite instance or one of its transactions. */
export interface Queryable {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

/**
 * Opens the PSA's database: in memory without `dir` (tests), or persisted in `dir` (the demo),
 * and applies any migration not yet recorded.
 *
 * @example
 * const db = await openPsaDatabase(); // in memory
 */
export async function openPsaDatabase(dir?: string): Promise<PGlite> {
  const db = dir === undefined ? new PGlite() : new PGlite(dir);
  await migrate(db);
  return db;
}

/** Applies pending migrations, each in its own transaction. Safe to call on every start. */
export async function migrate(db: PGlite): Promise<number[]> {
  await db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL)',
  );
  const done = await db.query<{ version: number }>('SELECT version FROM schema_migrations');
  const applied = new Set(done.rows.map((r) => r.version));
  const ran: number[] = [];
  for (const m of MIGRATIONS) {
    if (applied.has(m.version)) continue;
    await db.transaction(async (tx) => {
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        m.version,
        m.name,
      ]);
    });
    ran.push(m.version);
  }
  return ran;
}
