/**
 * Every way a store call can fail. One table: code -> message -> HTTP status the server answers
 * with. Messages never contain user data (no keys, ids, property values or SQL); the DuckDB error,
 * which can quote a key, travels only as `cause`, for the operator's log.
 */
export type StoreErrorCode =
  | 'locked'
  | 'overloaded'
  | 'closed'
  | 'migration_failed'
  | 'invalid_option'
  | 'invalid_input'
  | 'invalid_cursor'
  | 'conflict'
  | 'not_found'
  | 'io';

interface StoreErrorInfo {
  readonly message: string;
  readonly status: number;
}

export const STORE_ERRORS: Readonly<Record<StoreErrorCode, StoreErrorInfo>> = Object.freeze({
  locked: {
    message: 'the data file is in use by another Tally process or store',
    status: 503,
  },
  overloaded: { message: 'the writer is behind; retry later', status: 503 },
  closed: { message: 'the store is closed', status: 503 },
  migration_failed: { message: 'the database schema could not be migrated', status: 500 },
  invalid_option: { message: 'invalid store option', status: 500 },
  invalid_input: { message: 'the store was given a value it cannot hold', status: 400 },
  invalid_cursor: { message: 'the page cursor is not valid', status: 400 },
  conflict: { message: 'a record with the same unique key already exists', status: 409 },
  not_found: { message: 'no such record', status: 404 },
  io: { message: 'the store could not read or write its data', status: 500 },
});

export class StoreError extends Error {
  override readonly name = 'StoreError';
  /** HTTP status the server should answer with. */
  readonly status: number;
  constructor(
    readonly code: StoreErrorCode,
    /** What the error is about: an option key, a table, a migration version. Never user data. */
    readonly detail?: string,
    options?: { cause?: unknown },
  ) {
    const info = STORE_ERRORS[code];
    super(detail === undefined ? info.message : `${info.message}: ${detail}`, options);
    this.status = info.status;
  }
}

export function isStoreError(error: unknown, code?: StoreErrorCode): error is StoreError {
  return error instanceof StoreError && (code === undefined || error.code === code);
}
