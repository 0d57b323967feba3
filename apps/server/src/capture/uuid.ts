/**
 * The textual UUID forms the Rust `uuid` crate's `Uuid::parse_str` accepts: hyphenated
 * (`67e55044-10b1-426f-9247-bb680e5fe0c8`), simple (32 hex digits), braced (`{…}`) and URN
 * (`urn:uuid:…`). Any version or variant, any case.
 */
const HYPHENATED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SIMPLE = /^[0-9a-f]{32}$/i;

/**
 * Returns the canonical form (lowercase, hyphenated) of a UUID string, or `undefined` when the
 * string is not a UUID.
 *
 * @example
 * ```ts
 * canonicalUuid('{67E55044-10B1-426F-9247-BB680E5FE0C8}'); // '67e55044-10b1-426f-9247-bb680e5fe0c8'
 * ```
 */
export function canonicalUuid(text: string): string | undefined {
  let body = text;
  if (body.length === 38 && body.startsWith('{') && body.endsWith('}')) body = body.slice(1, -1);
  else if (body.length === 45 && body.slice(0, 9).toLowerCase() === 'urn:uuid:')
    body = body.slice(9);
  if (HYPHENATED.test(body)) return body.toLowerCase();
  if (SIMPLE.test(body)) {
    const hex = body.toLowerCase();
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  return undefined;
}
