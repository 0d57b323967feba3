/**
 * The kinds of personal or secret data the scrub recognises. `url` marks a URL whose host, query
 * or fragment was removed (it may identify a tenant or carry search text); every other kind has a
 * marker that replaces it inside strings and a placeholder that replaces it as a path segment.
 */
export type PiiKind = 'email' | 'phone' | 'ip' | 'card' | 'iban' | 'national_id' | 'token' | 'url';

export const PII_KINDS: readonly PiiKind[] = Object.freeze([
  'email',
  'phone',
  'ip',
  'card',
  'iban',
  'national_id',
  'token',
  'url',
]);

/** The text that replaces a match inside a string, e.g. `[email]`. */
export function markerOf(kind: PiiKind): string {
  return `[${kind}]`;
}

/** The path segment that replaces a match inside a URL path, e.g. `:email`. */
export function placeholderOf(kind: PiiKind): string {
  return `:${kind}`;
}
