// Value checks shared by the trackers: record columns compared between snapshots.

/** Whether a column holds a value (not null, undefined or an empty string). */
export function isSet<T>(value: T | null | undefined): value is T {
  return value !== null && value !== undefined && value !== '';
}

/**
 * Value equality for record columns: null and undefined (and an empty list) are all "unset",
 * dates compare by instant, lists by their items in any order (tags, agents), objects by keys.
 */
export function isSame(a: unknown, b: unknown): boolean {
  const x = normalize(a);
  const y = normalize(b);
  if (x === y) return true;
  if (x === undefined || y === undefined) return false;
  if (Array.isArray(x) && Array.isArray(y)) {
    if (x.length !== y.length) return false;
    const sortedX = x.map((v) => JSON.stringify(normalize(v))).sort();
    const sortedY = y.map((v) => JSON.stringify(normalize(v))).sort();
    return sortedX.every((v, i) => v === sortedY[i]);
  }
  if (typeof x === 'object' && typeof y === 'object' && x !== null && y !== null) {
    const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
    return [...keys].every((k) =>
      isSame((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]),
    );
  }
  return false;
}

function normalize(value: unknown): unknown {
  if (value === null || value === undefined || value === '') return undefined;
  if (Array.isArray(value) && value.length === 0) return undefined;
  if (value instanceof Date) return value.getTime();
  return value;
}
