import {
  BIGINT,
  BOOLEAN,
  type DuckDBConnection,
  type DuckDBPreparedStatement,
  type DuckDBType,
  type DuckDBValue,
  INTEGER,
  LIST,
  listValue,
  VARCHAR,
} from '@duckdb/node-api';
import { StoreError, type StoreErrorCode } from '../errors.js';

// Small helpers every DuckDB file uses: parameter lists, value conversion, error mapping.

/** A bound query: SQL with `$n` parameters and the values with their DuckDB types. */
export interface Bound {
  readonly values: DuckDBValue[];
  readonly types: DuckDBType[];
}

/** Collects parameters with explicit types, so `$n` never falls back to a guessed type. */
export function params(): Bound & {
  add(value: DuckDBValue, type: DuckDBType): string;
} {
  const values: DuckDBValue[] = [];
  const types: DuckDBType[] = [];
  return {
    values,
    types,
    add(value, type) {
      values.push(value);
      types.push(type);
      return `$${values.length}`;
    },
  };
}

/** List parameters for `unnest($n)`, typed even when empty. */
export const stringList = (items: readonly string[]): [DuckDBValue, DuckDBType] => [
  listValue(items),
  LIST(VARCHAR),
];
export const intList = (items: readonly number[]): [DuckDBValue, DuckDBType] => [
  listValue(items),
  LIST(INTEGER),
];
export const bigintList = (items: readonly number[]): [DuckDBValue, DuckDBType] => [
  listValue(items.map((item) => BigInt(item))),
  LIST(BIGINT),
];
export const boolList = (items: readonly boolean[]): [DuckDBValue, DuckDBType] => [
  listValue(items),
  LIST(BOOLEAN),
];

/** DuckDB returns BIGINT (counts, epoch_ms) as bigint; every value here fits a double. */
export function toNumber(value: unknown): number {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return value;
  throw new StoreError('io', 'unexpected column type');
}

export function isoFromMs(ms: unknown): string {
  return new Date(toNumber(ms)).toISOString();
}

export function parseJsonObject(text: unknown): Record<string, unknown> {
  if (typeof text !== 'string') return {};
  const value: unknown = JSON.parse(text);
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

// With parameters, `connection.run` costs three trips through the event loop (split the
// statements, prepare, run); under ingestion load each trip waits behind the requests being
// decoded, so the writer prepares directly (two trips), or once per connection for statements it
// runs on every commit (one trip: `cachedStatement`).

export async function rows(
  connection: DuckDBConnection,
  sql: string,
  bound?: Bound,
): Promise<unknown[][]> {
  if (bound === undefined) return (await connection.runAndReadAll(sql)).getRowsJS();
  const prepared = await connection.prepare(sql);
  try {
    prepared.bind(bound.values, bound.types);
    return (await prepared.runAndReadAll()).getRowsJS();
  } finally {
    prepared.destroySync();
  }
}

export async function exec(
  connection: DuckDBConnection,
  sql: string,
  bound?: Bound,
): Promise<number> {
  if (bound === undefined) return (await connection.run(sql)).rowsChanged;
  const prepared = await connection.prepare(sql);
  try {
    prepared.bind(bound.values, bound.types);
    return (await prepared.run()).rowsChanged;
  } finally {
    prepared.destroySync();
  }
}

const statements = new WeakMap<DuckDBConnection, Map<string, Promise<DuckDBPreparedStatement>>>();

/**
 * `sql` prepared once per connection and kept until the connection closes. Runs must not
 * overlap on one statement; the writer connection runs one thing at a time.
 */
export function cachedStatement(
  connection: DuckDBConnection,
  sql: string,
): Promise<DuckDBPreparedStatement> {
  let byText = statements.get(connection);
  if (byText === undefined) {
    byText = new Map();
    statements.set(connection, byText);
  }
  let prepared = byText.get(sql);
  if (prepared === undefined) {
    prepared = connection.prepare(sql);
    byText.set(sql, prepared);
    prepared.catch(() => byText.delete(sql));
  }
  return prepared;
}

/** DuckDB's text for an ART constraint violation (the text quotes the key: never surface it). */
export function isDuplicateKeyError(error: unknown): boolean {
  return (
    error instanceof Error &&
    /Duplicate key .* violates (primary key|unique) constraint/s.test(error.message)
  );
}

/** DuckDB's text when another process holds the file (reference/storage-engines.md §5). */
export function isLockError(error: unknown): boolean {
  return error instanceof Error && /Could not set lock on file/.test(error.message);
}

/** Wraps anything thrown by DuckDB into a StoreError; StoreErrors pass through unchanged. */
export function toStoreError(
  error: unknown,
  code: StoreErrorCode = 'io',
  detail?: string,
): StoreError {
  if (error instanceof StoreError) return error;
  if (isLockError(error)) return new StoreError('locked', undefined, { cause: error });
  if (isDuplicateKeyError(error)) return new StoreError('conflict', detail, { cause: error });
  if (error instanceof Error && /^(Conversion|Invalid Input) Error/.test(error.message))
    return new StoreError('invalid_input', detail, { cause: error });
  return new StoreError(code, detail, { cause: error });
}

/**
 * Runs `task` inside BEGIN/COMMIT on `connection`; any failure rolls back and rethrows as is.
 * COMMIT returns after DuckDB has written and fsynced its WAL, so a resolved call is durable.
 */
export async function inTransaction<T>(
  connection: DuckDBConnection,
  task: () => Promise<T>,
): Promise<T> {
  await connection.run('BEGIN TRANSACTION');
  try {
    const result = await task();
    await connection.run('COMMIT');
    return result;
  } catch (error) {
    try {
      await connection.run('ROLLBACK');
    } catch {
      // The transaction may already be gone (a failed COMMIT ends it); the original error wins.
    }
    throw error;
  }
}
