// How the query engine reaches the data without importing the store: the store (or a test)
// hands runQuery a function that runs one SQL statement.

/** Strings bind as VARCHAR and numbers as DOUBLE (or INTEGER); the SQL casts where it matters. */
export type SqlParam = string | number | boolean | null;

/** One result row by column name; numbers may come back as number or bigint. */
export type SqlRow = Readonly<Record<string, unknown>>;

/**
 * Runs one read-only statement with positional `$1..$n` parameters on the event store.
 *
 * @example
 * const runner: SqlRunner = async (sql, params) =>
 *   (await connection.runAndReadAll(sql, [...params])).getRowObjectsJS();
 */
export type SqlRunner = (sql: string, params: readonly SqlParam[]) => Promise<SqlRow[]>;

/** The SQL dialects the planner renders; ClickHouse follows. */
export type SqlDialect = 'duckdb';
