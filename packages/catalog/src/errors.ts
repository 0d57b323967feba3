/** Every way a catalog definition can be wrong. Raised at module load, never at capture time. */
export type CatalogErrorCode =
  | 'invalid_name'
  | 'reserved_name'
  | 'duplicate_name'
  | 'invalid_event'
  | 'invalid_property'
  | 'unknown_event';

const MESSAGES: Record<CatalogErrorCode, string> = {
  invalid_name: 'catalog names must be snake_case (a-z, 0-9, _, at most 64 characters)',
  reserved_name: 'this property name belongs to the envelope the SDK adds to every event',
  duplicate_name: 'the catalog already defines this name; a vendor cannot redefine it',
  invalid_event: 'events need a positive integer version, a description and firesWhen',
  unknown_event: 'the catalog has no event with this name',
  invalid_property: 'the property definition is not valid',
};

export class CatalogError extends Error {
  override readonly name = 'CatalogError';
  constructor(
    readonly code: CatalogErrorCode,
    /** The event or property the error is about (a developer's identifier, never user data). */
    readonly subject: string,
  ) {
    super(`${MESSAGES[code]}: ${subject}`);
  }
}
