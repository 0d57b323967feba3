import { StoreError } from './errors.js';

/**
 * Opaque page cursors: base64url of the JSON `[sortMs, tieBreaker]` of the last row of a page
 * (events: timestamp and uuid; persons and groups: created_at and id or key). Pages are newest
 * first, so the next page holds rows strictly before that pair.
 */
export interface CursorPosition {
  readonly ms: number;
  readonly key: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.ms, position.key]), 'utf8').toString('base64url');
}

/** Throws StoreError `invalid_cursor` for anything `encodeCursor` did not produce. */
export function decodeCursor(cursor: string, keyPattern?: RegExp): CursorPosition {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new StoreError('invalid_cursor');
  }
  if (
    !Array.isArray(value) ||
    value.length !== 2 ||
    !Number.isSafeInteger(value[0]) ||
    typeof value[1] !== 'string' ||
    (keyPattern !== undefined && !keyPattern.test(value[1]))
  )
    throw new StoreError('invalid_cursor');
  return { ms: value[0] as number, key: value[1] };
}
