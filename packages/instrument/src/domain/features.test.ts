import { psaCatalog } from '@tally/catalog';
import { createTestAnalytics } from '@tally/sdk/testing';
import { describe, expect, it } from 'vitest';
import type { InstrumentError } from '../errors.js';
import { createTrackers } from './trackers.js';

describe('features.used', () => {
  it('sends the feature with its taxonomy category; an unknown feature is reported, not thrown', () => {
    const analytics = createTestAnalytics({ catalog: psaCatalog });
    const errors: InstrumentError[] = [];
    const track = createTrackers(analytics, { onError: (e) => errors.push(e) });
    const actor = { userId: 'u-1', tenantId: 'tenant-1' };
    track.features.used('time_entry_timer', actor, { isFirstUse: true, surface: 'msp_app' });
    track.features.used('credit_management', actor, { isFirstUse: false });
    analytics.expectEvent('feature_used', {
      feature: 'time_entry_timer',
      feature_category: 'time_tracking',
      is_first_use: true,
      surface: 'msp_app',
    });
    const second = analytics.expectEvent('feature_used', {
      feature: 'credit_management',
      feature_category: 'billing',
    });
    expect(second.properties).not.toHaveProperty('surface');
    expect(() =>
      track.features.used('teleport' as never, actor, { isFirstUse: true }),
    ).not.toThrow();
    expect(analytics.events).toHaveLength(2);
    expect(errors).toHaveLength(1);
    expect(track.counters()).toEqual({ emitted: 2, failed: 1 });
  });
});
