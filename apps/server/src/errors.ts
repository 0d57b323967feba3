/**
 * Every error the server answers with (capture decoding errors have their own table in
 * capture/errors.ts). Messages are plain, name the problem and the field, and never contain
 * user input.
 */
export type ServerErrorCode =
  | 'unauthorized'
  | 'write_token_not_allowed'
  | 'forbidden_project'
  | 'not_found'
  | 'invalid_query'
  | 'invalid_body'
  | 'conflict'
  | 'not_started'
  | 'already_started'
  | 'method_not_allowed'
  | 'rate_limited'
  | 'overloaded'
  | 'unknown_token'
  | 'internal';

const TABLE: Record<
  ServerErrorCode,
  { status: 400 | 401 | 403 | 404 | 405 | 409 | 429 | 500 | 503; message: string }
> = {
  unauthorized: {
    status: 401,
    message: 'a personal API key is required: Authorization: Bearer <key>',
  },
  write_token_not_allowed: {
    status: 401,
    message: 'this is a project write token; reading needs a personal API key',
  },
  forbidden_project: { status: 403, message: 'this key cannot read this project' },
  not_found: { status: 404, message: 'not found' },
  invalid_query: { status: 400, message: 'invalid query parameter' },
  invalid_body: { status: 400, message: 'invalid request body' },
  conflict: { status: 409, message: 'already in use' },
  not_started: { status: 409, message: 'the experiment has not started: PATCH start_date first' },
  already_started: {
    status: 409,
    message: 'the experiment has started: its metrics and parameters are fixed',
  },
  method_not_allowed: { status: 405, message: 'not allowed' },
  rate_limited: { status: 429, message: 'too many events for this project token; retry later' },
  overloaded: { status: 503, message: 'the writer is behind; retry later' },
  unknown_token: { status: 401, message: 'no project has this token' },
  internal: { status: 500, message: 'internal error' },
};

export class ServerError extends Error {
  override readonly name = 'ServerError';
  readonly status: (typeof TABLE)[ServerErrorCode]['status'];
  constructor(
    readonly code: ServerErrorCode,
    /** The parameter or field at fault, e.g. `limit`. */
    readonly field?: string,
    readonly retryAfterSeconds?: number,
  ) {
    const { status, message } = TABLE[code];
    super(field === undefined ? message : `${message}: ${field}`);
    this.status = status;
  }
}
