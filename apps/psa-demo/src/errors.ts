// One error class for the PSA demo, with one table code -> message -> HTTP status. Messages never
// contain user input; a validation error names the field instead.

export const PSA_ERRORS = {
  validation_failed: { status: 400, message: 'A field is missing or invalid' },
  bad_state: { status: 400, message: 'The OAuth state is unknown, expired or already used' },
  unauthenticated: { status: 401, message: 'A valid session token is required' },
  session_expired: { status: 401, message: 'The session has expired' },
  invalid_credentials: { status: 401, message: 'Email or password is wrong' },
  unknown_account: { status: 401, message: 'No account is linked to this identity' },
  inactive_account: { status: 401, message: 'The account is deactivated' },
  consent_denied: { status: 401, message: 'The user denied consent at the provider' },
  forbidden: { status: 403, message: 'Your role does not allow this action' },
  not_found: { status: 404, message: 'Not found' },
  email_taken: { status: 409, message: 'An account with this email already exists' },
  invalid_transition: { status: 409, message: 'The record cannot move to that status' },
  timesheet_locked: { status: 409, message: 'The time sheet is submitted or approved' },
  nothing_to_bill: { status: 409, message: 'No approved billable time in this period' },
  invoice_closed: { status: 409, message: 'The invoice is already paid or void' },
  accounting_rejected: {
    status: 422,
    message: 'The accounting system refused the invoice; correct the named field and sync again',
  },
  accounting_unavailable: {
    status: 502,
    message: 'The accounting system failed; the invoice is unchanged here, sync again later',
  },
  accounting_timeout: {
    status: 504,
    message:
      'The accounting system did not answer in time; the invoice is unchanged here, sync again later',
  },
} as const;

export type PsaErrorCode = keyof typeof PSA_ERRORS;

export class PsaError extends Error {
  override readonly name = 'PsaError';
  readonly status: (typeof PSA_ERRORS)[PsaErrorCode]['status'];

  constructor(
    readonly code: PsaErrorCode,
    /** The request field at fault, for validation errors. */
    readonly field?: string,
  ) {
    super(PSA_ERRORS[code].message);
    this.status = PSA_ERRORS[code].status;
  }

  toJSON(): { error: PsaErrorCode; message: string; field?: string } {
    return this.field === undefined
      ? { error: this.code, message: this.message }
      : { error: this.code, message: this.message, field: this.field };
  }
}

export function fieldError(field: string): PsaError {
  return new PsaError('validation_failed', field);
}
