import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor.js';
import { StoreError } from './errors.js';

describe('page cursors', () => {
  it('round-trips a position as an opaque base64url string', () => {
    const cursor = encodeCursor({ ms: 1_772_442_000_123, key: 'a-b' });
    expect(cursor).toMatch(/^[\w-]+$/);
    expect(decodeCursor(cursor)).toEqual({ ms: 1_772_442_000_123, key: 'a-b' });
  });

  it.each([
    ['not base64 json', '!!!'],
    ['wrong shape', Buffer.from('{"a":1}').toString('base64url')],
    ['non-integer time', Buffer.from('[1.5,"k"]').toString('base64url')],
    ['key failing the pattern', encodeCursor({ ms: 1, key: 'not-a-uuid' })],
  ])('rejects a cursor with %s as invalid_cursor', (_, cursor) => {
    expect(() => decodeCursor(cursor, /^[0-9a-f-]{36}$/)).toThrow(StoreError);
  });
});
