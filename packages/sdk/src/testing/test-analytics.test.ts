import { defineEvent, extendCatalog, prop, psaCatalog } from '@tally/catalog';
import { describe, expect, it } from 'vitest';
import type { WireEvent } from '../transport/types.js';
import { createTestAnalytics } from './test-analytics.js';

const TICKET = {
  ticket_id: 't-1',
  created_via: 'portal',
  priority: 'low',
  priority_id: 'p-1',
  board_id: 'b-1',
  has_category: false,
  has_subcategory: false,
  is_assigned: false,
  has_asset: false,
  has_description: true,
  used_template: false,
} as const;

describe('createTestAnalytics', () => {
  it('keeps processed events and matches them by partial properties', () => {
    const analytics = createTestAnalytics({ catalog: psaCatalog });
    analytics.capture('ticket_created', TICKET, { userId: 'u', tenantId: 't' });
    const event = analytics.expectEvent('ticket_created', {
      created_via: 'portal',
      $groups: { tenant: 't' },
    });
    expect(event.distinct_id).toBe('u');
    expect(() => analytics.expectEvent('ticket_created', { created_via: 'email' })).toThrow(
      /expected a ticket_created event with \{"created_via":"email"\}; 1 ticket_created event/,
    );
    expect(() => analytics.expectEvent('ticket_deleted')).toThrow(/0 ticket_deleted event/);
    analytics.expectNoEvent('ticket_deleted');
    expect(() => analytics.expectNoEvent('ticket_created')).toThrow(/1 captured/);
    analytics.reset();
    expect(analytics.events).toHaveLength(0);
  });

  it('is strict: a misspelt event or property throws at the call site', () => {
    const analytics = createTestAnalytics({ catalog: psaCatalog });
    expect(() => analytics.capture('ticket_craeted' as never, TICKET as never)).toThrow(
      /not in the catalog/,
    );
    expect(() => analytics.capture('ticket_created', { ...TICKET, subject: 'x' } as never)).toThrow(
      /subject/,
    );
  });

  it('expectNoPII catches PII and given fixture values, and passes clean events', () => {
    const catalog = extendCatalog(psaCatalog, {
      events: {
        report_exported: defineEvent({
          category: 'reporting',
          version: 1,
          description: 'A report was exported.',
          firesWhen: 'After the export file is written.',
          properties: { report_id: prop.id('Id of the report') },
        }),
      },
    });
    const analytics = createTestAnalytics({ catalog });
    analytics.capture('report_exported', { report_id: 'quarterly-acme-corp' }, { userId: 'u' });
    analytics.expectNoPII();
    expect(() => analytics.expectNoPII(['acme-corp'])).toThrow(/contains 1 of the given values/);
    analytics.reset();
    // An email used as a user id is keyed-hashed by the pipeline, so nothing leaks.
    analytics.capture('report_exported', { report_id: 'r1' }, { userId: 'jane@example.com' });
    analytics.expectNoPII(['jane@example.com']);
    // The pipeline never lets PII through, so plant an event to show the check itself bites.
    (analytics.events as WireEvent[]).push({
      event: 'report_exported',
      distinct_id: 'u',
      uuid: '0193a5c8-0000-7000-8000-000000000001',
      timestamp: '2026-11-25T00:00:00.000Z',
      properties: { note: 'call +1 (555) 123-4567 or jane@example.com' },
    });
    expect(() => analytics.expectNoPII()).toThrow(/carries PII: .*email/);
  });

  it('honours the usage-stats switch, so a vendor can test its opt-out', () => {
    const analytics = createTestAnalytics({
      catalog: psaCatalog,
      usageStatsSwitch: 'ALGA_USAGE_STATS',
      env: { ALGA_USAGE_STATS: 'false' },
    });
    analytics.capture('ticket_created', TICKET, { userId: 'u' });
    expect(analytics.events).toHaveLength(0);
    expect(analytics.status().mode).toBe('off');
  });
});
