import { describe, expect, it } from 'vitest';
import { RetentionQuery } from '../spec/insights.js';
import { normalizeRetention } from './normalize.js';

// Wednesday 2024-04-03 15:20 in Berlin (CEST, +02:00); Berlin sprang forward on 31 March.
const ctx = {
  projectId: 1,
  timezone: 'Europe/Berlin',
  nowMs: Date.parse('2024-04-03T13:20:00Z'),
  weekStartDay: 1 as const,
};
const iso = (ms: number): string => new Date(ms).toISOString();
const normalize = (input: Record<string, unknown>) =>
  normalizeRetention(RetentionQuery.parse({ kind: 'RetentionQuery', ...input }), ctx);

describe('normalizeRetention', () => {
  it('ends with the period containing now, totalIntervals periods back, across DST', () => {
    const r = normalize({ retentionFilter: { period: 'Week', totalIntervals: 3 } });
    expect(r.boundariesMs.map(iso)).toEqual([
      '2024-03-17T23:00:00.000Z',
      '2024-03-24T23:00:00.000Z',
      '2024-03-31T22:00:00.000Z',
      '2024-04-07T22:00:00.000Z',
    ]);
  });

  it('reads date_to as trends does: the whole day of a date', () => {
    const r = normalize({
      dateRange: { date_to: '2024-03-31' },
      retentionFilter: { period: 'Hour', totalIntervals: 2 },
    });
    // 31 March has 23 hours; its last is 23:00 CEST = 21:00 UTC.
    expect(r.boundariesMs.map(iso)).toEqual([
      '2024-03-31T20:00:00.000Z',
      '2024-03-31T21:00:00.000Z',
      '2024-03-31T22:00:00.000Z',
    ]);
  });

  it('defaults to 7 daily recurring periods of $pageview, returning = target', () => {
    const r = normalize({ retentionFilter: {} });
    expect(r).toMatchObject({
      period: 'day',
      totalIntervals: 7,
      retentionType: 'recurring',
      cumulative: false,
      start: { event: '$pageview' },
      returning: { event: '$pageview' },
    });
  });

  it('reads a property breakdown with the default limit; refuses several at once by path', () => {
    const r = normalize({
      retentionFilter: {},
      breakdownFilter: { breakdown: 'plan', breakdown_type: 'person' },
    });
    expect(r.breakdown).toEqual({
      property: { source: { type: 'person' }, key: 'plan' },
      limit: 25,
      hideOther: false,
    });
    expect(normalize({ retentionFilter: {} }).breakdown).toBeNull();
    expect(() =>
      normalize({
        retentionFilter: {},
        breakdownFilter: { breakdowns: [{ property: 'a' }, { property: 'b' }] },
      }),
    ).toThrow(
      expect.objectContaining({ code: 'not_implemented', path: 'breakdownFilter.breakdowns' }),
    );
  });

  it("reads PostHog's one-entry `breakdowns` as the same breakdown; refuses a cohort in it", () => {
    const r = normalize({
      retentionFilter: {},
      breakdownFilter: { breakdowns: [{ property: 'plan', type: 'group', group_type_index: 0 }] },
    });
    expect(r.breakdown?.property).toEqual({ source: { type: 'group', index: 0 }, key: 'plan' });
    expect(
      normalize({ retentionFilter: {}, breakdownFilter: { breakdowns: [{ property: 'x' }] } })
        .breakdown?.property,
    ).toEqual({ source: { type: 'event' }, key: 'x' });
    expect(() =>
      normalize({
        retentionFilter: {},
        breakdownFilter: { breakdowns: [{ property: 3, type: 'cohort' }] },
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'not_implemented',
        path: 'breakdownFilter.breakdowns[0].type',
      }),
    );
    expect(() =>
      normalize({
        retentionFilter: {},
        breakdownFilter: { breakdowns: [{ property: 'plan', type: 'group', group_type_index: 9 }] },
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'invalid_query',
        path: 'breakdownFilter.breakdowns[0].group_type_index',
      }),
    );
  });

  it('refuses a filter on an unknown cohort with the path of the filter', () => {
    expect(() =>
      normalize({
        retentionFilter: {
          targetEntity: { id: 'x', properties: [{ type: 'cohort', key: 'id', value: 3 }] },
        },
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'invalid_query',
        path: 'retentionFilter.targetEntity.properties',
      }),
    );
  });
});
