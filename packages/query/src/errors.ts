/**
 * Every way a query can fail. One table: code -> message -> HTTP status the server answers with.
 * Messages never contain user input: an `invalid_query` names the field path (`series[0].math`)
 * and what was expected, never the value sent; a SQL error travels only as `cause`.
 */
export type QueryErrorCode = 'invalid_query' | 'not_implemented' | 'execution_failed';

interface QueryErrorInfo {
  readonly message: string;
  readonly status: number;
}

export const QUERY_ERRORS: Readonly<Record<QueryErrorCode, QueryErrorInfo>> = Object.freeze({
  invalid_query: { message: 'invalid query', status: 400 },
  not_implemented: { message: 'not implemented yet', status: 501 },
  execution_failed: { message: 'the query could not be run', status: 500 },
});

export class QueryError extends Error {
  override readonly name = 'QueryError';
  /** HTTP status the server should answer with. */
  readonly status: number;
  constructor(
    readonly code: QueryErrorCode,
    /** The field path the error is about (`series[0].math`), when there is one. */
    readonly path?: string,
    /** What was expected or what is missing; written by us, never echoing input. */
    readonly detail?: string,
    options?: { cause?: unknown },
  ) {
    const info = QUERY_ERRORS[code];
    const where = path === undefined ? '' : ` at ${path}`;
    super(`${info.message}${where}${detail === undefined ? '' : `: ${detail}`}`, options);
    this.status = info.status;
  }
}

export function isQueryError(error: unknown, code?: QueryErrorCode): error is QueryError {
  return error instanceof QueryError && (code === undefined || error.code === code);
}

/** `['series', 0, 'math']` -> `series[0].math`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}
