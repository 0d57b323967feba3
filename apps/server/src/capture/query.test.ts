import { describe, expect, it } from 'vitest';
import { parseCaptureQuery } from './query.js';

describe('parseCaptureQuery', () => {
  it('reads the parameters posthog-js sends', () => {
    const query = parseCaptureQuery(
      new URLSearchParams('ip=1&_=1767225600000&ver=1.200.0&compression=gzip-js&beacon=1'),
    );
    expect(query).toEqual({
      data: undefined,
      compression: 'gzip-js',
      libVersion: '1.200.0',
      sentAtMs: 1_767_225_600_000,
      isBeacon: true,
    });
  });

  it('accepts sent_at and lib_version as aliases', () => {
    const query = parseCaptureQuery(new URLSearchParams('sent_at=1767225600000&lib_version=2'));
    expect(query.sentAtMs).toBe(1_767_225_600_000);
    expect(query.libVersion).toBe('2');
  });

  it('ignores sent_at values before 2021 (old clients sent seconds)', () => {
    expect(parseCaptureQuery(new URLSearchParams('_=1767225600')).sentAtMs).toBeUndefined();
    expect(parseCaptureQuery(new URLSearchParams('_=1609459199999')).sentAtMs).toBeUndefined();
    expect(parseCaptureQuery(new URLSearchParams('_=1609459200000')).sentAtMs).toBe(
      1_609_459_200_000,
    );
  });

  it('ignores malformed values instead of failing', () => {
    const query = parseCaptureQuery(new URLSearchParams('_=soon&beacon=true&data='));
    expect(query.sentAtMs).toBeUndefined();
    expect(query.isBeacon).toBe(false);
    expect(query.data).toBeUndefined();
  });
});
