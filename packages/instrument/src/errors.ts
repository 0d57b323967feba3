/** Every failure the instrumentation reports. All are thrown at construction or decoration. */
export type InstrumentErrorCode = 'invalid_option' | 'invalid_operation_name';

const MESSAGES: Record<InstrumentErrorCode, string> = {
  invalid_option: 'invalid option',
  invalid_operation_name: 'operation name must be snake_case words joined by dots',
};

export class InstrumentError extends Error {
  override readonly name = 'InstrumentError';
  constructor(
    readonly code: InstrumentErrorCode,
    /** What the error is about: an option key and why, or an operation name. */
    readonly detail?: string,
  ) {
    super(detail === undefined ? MESSAGES[code] : `${MESSAGES[code]}: ${detail}`);
  }
}
