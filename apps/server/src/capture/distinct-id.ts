/** PostHog stores at most this many characters (Unicode code points) of a distinct_id. */
export const MAX_DISTINCT_ID_CHARS = 200;

/**
 * Turns a wire `distinct_id` into the stored string (`RawEvent::extract_distinct_id` in
 * `rust/common/types/src/event.rs`): strings as they are, numbers, booleans, arrays and objects
 * as JSON (object keys sorted, as serde_json writes them), NUL replaced by U+FFFD, cut to 200
 * code points. Returns `undefined` for a missing, null, empty or whitespace-only id. Surrounding
 * whitespace is kept: it is part of the id the client uses.
 *
 * @example
 * ```ts
 * normalizeDistinctId(42); // '42'
 * normalizeDistinctId('   '); // undefined
 * ```
 */
export function normalizeDistinctId(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  let id = typeof value === 'string' ? value : stableStringify(value);
  if (id.includes('\0')) id = id.replaceAll('\0', '\uFFFD');
  if (id.trim() === '') return undefined;
  // UTF-16 length bounds the code point count, so short ids skip the split.
  if (id.length > MAX_DISTINCT_ID_CHARS) {
    const codePoints = Array.from(id);
    if (codePoints.length > MAX_DISTINCT_ID_CHARS) {
      id = codePoints.slice(0, MAX_DISTINCT_ID_CHARS).join('');
    }
  }
  return id;
}

/** JSON with object keys in sorted order, so `{b,a}` and `{a,b}` name the same person. */
function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const entries = Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableStringify(record[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
