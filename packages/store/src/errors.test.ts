import { describe, expect, it } from 'vitest';
import { isStoreError, STORE_ERRORS, StoreError } from './errors.js';

describe('StoreError', () => {
  it('carries its code, the HTTP status from the table and the detail in the message', () => {
    const error = new StoreError('overloaded');
    expect(error.status).toBe(503);
    expect(error.message).toBe(STORE_ERRORS.overloaded.message);
    expect(new StoreError('migration_failed', 'version 2').message).toMatch(/: version 2$/);
    expect(isStoreError(error, 'overloaded')).toBe(true);
    expect(isStoreError(error, 'locked')).toBe(false);
    expect(isStoreError(new Error('x'))).toBe(false);
  });

  it('maps every code to a 4xx or 5xx status', () => {
    for (const info of Object.values(STORE_ERRORS)) expect(info.status).toBeGreaterThanOrEqual(400);
  });
});
