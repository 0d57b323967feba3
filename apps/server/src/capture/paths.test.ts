import { describe, expect, it } from 'vitest';
import { CAPTURE_PATHS, isEngagePath, isLegacyPath, maxBodyBytesFor } from './paths.js';

describe('capture paths', () => {
  it('lists every endpoint with and without the trailing slash', () => {
    for (const base of ['/batch', '/e', '/i/v0/e', '/capture', '/track', '/engage']) {
      expect(CAPTURE_PATHS).toContain(base);
      expect(CAPTURE_PATHS).toContain(`${base}/`);
    }
    expect(CAPTURE_PATHS).toHaveLength(12);
    expect(Object.isFrozen(CAPTURE_PATHS)).toBe(true);
  });

  it('allows 20 MiB on /batch and 2 MiB elsewhere', () => {
    expect(maxBodyBytesFor('/batch')).toBe(20 * 1024 * 1024);
    expect(maxBodyBytesFor('/batch/')).toBe(20 * 1024 * 1024);
    for (const path of ['/e/', '/i/v0/e', '/capture/', '/track', '/engage/']) {
      expect(maxBodyBytesFor(path)).toBe(2 * 1024 * 1024);
    }
  });

  it('recognises /engage with or without the slash, and nothing that merely starts with it', () => {
    expect(isEngagePath('/engage')).toBe(true);
    expect(isEngagePath('/engage/')).toBe(true);
    expect(isEngagePath('/engaged')).toBe(false);
    expect(isEngagePath('/e/')).toBe(false);
  });

  it('treats /e, /capture, /engage and /track as legacy, not /batch or /i/v0/e', () => {
    for (const path of ['/e', '/e/', '/capture', '/capture/', '/engage/', '/track']) {
      expect(isLegacyPath(path)).toBe(true);
    }
    for (const path of ['/batch/', '/i/v0/e/', '/engaged', '/events']) {
      expect(isLegacyPath(path)).toBe(false);
    }
  });
});
