import { QueryError } from './errors.js';
import type { SqlRow, SqlRunner } from './runner.js';
import type { RenderedSql } from './sql/params.js';

/** Stage "run": every statement on the runner, results in statement order. */
export async function runStatements(
  statements: readonly RenderedSql[],
  runner: SqlRunner,
): Promise<SqlRow[][]> {
  try {
    return await Promise.all(
      statements.map((statement) => runner(statement.sql, statement.params)),
    );
  } catch (error) {
    throw new QueryError('execution_failed', undefined, undefined, { cause: error });
  }
}

/** A numeric column: DuckDB hands back number or bigint; NULL reads as 0. */
export function numberOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value === null || value === undefined) return 0;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : 0;
}
