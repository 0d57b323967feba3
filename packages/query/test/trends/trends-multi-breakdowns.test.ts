import { describe, expect, it } from 'vitest';
import { isQueryError, runQuery, type TrendsResult } from '../../src/index.js';
import {
  DAY_MS,
  ev,
  HOUR_MS,
  MONDAY,
  makeDataset,
  makePerson,
  makeTenant,
} from '../reference/fixtures.js';
import { useLoadedDatasets } from '../seed-cases.js';

// Hand-computed answers for several breakdowns at once (PostHog's `breakdowns`): a combination
// of values ranks, folds into Other and shows None per position as a single value does.
// MONDAY is 2024-03-04 00:00 Europe/Berlin.

const at = (day: number, hour = 10): number => MONDAY + day * DAY_MS + hour * HOUR_MS;
const DAY = { date_from: '2024-03-04', date_to: '2024-03-04' };
const NOW = Date.parse('2024-06-01T12:00:00Z');
const PRIORITY_BY_PLAN = [
  { property: 'priority', type: 'event' },
  { property: 'plan', type: 'person' },
];

// (priority, person plan) -> events: [high, pro] 3, [high, free] 2, [high, None] 2,
// [None, pro] 1, [low, free] 1, [None, None] 2. Tenants: t1 (retail) for p1, none for the rest.
const dataset = makeDataset(
  [
    ...[0, 1, 2].map(() => ev('p1', 'ticket_created', at(0), { priority: 'high' }, 't1')),
    ...[0, 1].map(() => ev('p2', 'ticket_created', at(0), { priority: 'high' })),
    ...[0, 1].map(() => ev('p3', 'ticket_created', at(0), { priority: 'high' })),
    ev('p1', 'ticket_created', at(0), { priority: '' }, 't1'),
    ev('p2', 'ticket_created', at(0), { priority: 'low' }),
    ...[0, 1].map(() => ev('p3', 'ticket_created', at(0))),
  ],
  [
    makePerson('p1', { properties: { plan: 'pro' } }),
    makePerson('p2', { properties: { plan: 'free' } }),
    makePerson('p3'),
  ],
  [makeTenant('t1', { properties: { industry: 'retail' } })],
);
const db = useLoadedDatasets([dataset]);

async function run(query: Record<string, unknown>) {
  return runQuery(query, {
    projectId: 1,
    timezone: 'Europe/Berlin',
    now: NOW,
    runner: db().runner,
  });
}

async function trends(extra: Record<string, unknown>): Promise<TrendsResult[]> {
  const response = await run({
    kind: 'TrendsQuery',
    series: [{ kind: 'EventsNode', event: 'ticket_created', math: 'total' }],
    dateRange: DAY,
    ...extra,
  });
  return response.results as TrendsResult[];
}

const shown = (results: readonly TrendsResult[]) =>
  results.map((r) => [r.breakdown_value, r.breakdown_bucket, r.data[0] ?? r.aggregated_value]);

describe('several breakdowns', () => {
  it('keeps the top combinations, then None (every value missing), then Other', async () => {
    const results = await trends({
      breakdownFilter: { breakdowns: PRIORITY_BY_PLAN, breakdown_limit: 3 },
    });
    expect(shown(results)).toEqual([
      [['high', 'pro'], 'value', 3],
      // A tie (2 and 2) goes by the combination's text: "free" before a missing value.
      [['high', 'free'], 'value', 2],
      [['high', 'None'], 'value', 2],
      [['None', 'None'], 'none', 2],
      [['Other', 'Other'], 'other', 2],
    ]);
    expect(results[2]?.label).toBe('ticket_created - high::None');
  });

  it('folds the tied combination past the limit into Other', async () => {
    const results = await trends({
      breakdownFilter: { breakdowns: PRIORITY_BY_PLAN, breakdown_limit: 2 },
    });
    expect(shown(results)).toEqual([
      [['high', 'pro'], 'value', 3],
      [['high', 'free'], 'value', 2],
      [['None', 'None'], 'none', 2],
      [['Other', 'Other'], 'other', 4],
    ]);
  });

  it('one entry is a one-value list; tenant properties; Other hidden on request', async () => {
    const one = await trends({ breakdownFilter: { breakdowns: [{ property: 'priority' }] } });
    expect(shown(one)).toEqual([
      [['high'], 'value', 7],
      [['low'], 'value', 1],
      [['None'], 'none', 3],
    ]);
    const three = await trends({
      breakdownFilter: {
        breakdowns: [
          ...PRIORITY_BY_PLAN,
          { property: 'industry', type: 'group', group_type_index: 0 },
        ],
        breakdown_limit: 1,
        breakdown_hide_other_aggregation: true,
      },
    });
    expect(shown(three)).toEqual([
      [['high', 'pro', 'retail'], 'value', 3],
      [['None', 'None', 'None'], 'none', 2],
    ]);
  });

  it('recomputes BoldNumber per combination, each series ranking its own', async () => {
    const results = await trends({
      series: [
        { kind: 'EventsNode', event: 'ticket_created', math: 'dau' },
        { kind: 'EventsNode', event: 'ticket_created', math: 'total' },
      ],
      breakdownFilter: { breakdowns: PRIORITY_BY_PLAN, breakdown_limit: 2 },
      trendsFilter: { display: 'BoldNumber' },
    });
    // dau: every combination has 1 user, so the text decides; Other is p1, p2 and p3.
    expect(shown(results)).toEqual([
      [['high', 'free'], 'value', 1],
      [['high', 'pro'], 'value', 1],
      [['None', 'None'], 'none', 1],
      [['Other', 'Other'], 'other', 3],
      [['high', 'pro'], 'value', 3],
      [['high', 'free'], 'value', 2],
      [['None', 'None'], 'none', 2],
      [['Other', 'Other'], 'other', 4],
    ]);
  });

  it('applies a formula per combination', async () => {
    const total = { kind: 'EventsNode', event: 'ticket_created', math: 'total' };
    const results = await trends({
      series: [total, total],
      breakdownFilter: { breakdowns: PRIORITY_BY_PLAN, breakdown_limit: 1 },
      trendsFilter: { formula: 'A + B' },
    });
    expect(shown(results)).toEqual([
      [['high', 'pro'], 'value', 6],
      [['None', 'None'], 'none', 4],
      [['Other', 'Other'], 'other', 12],
    ]);
  });

  it('drills down into a combination, None in one position, and Other', async () => {
    const insight = {
      kind: 'TrendsQuery',
      series: [{ kind: 'EventsNode', event: 'ticket_created', math: 'dau' }],
      dateRange: DAY,
      breakdownFilter: { breakdowns: PRIORITY_BY_PLAN, breakdown_limit: 2 },
    };
    const actors = async (breakdown: unknown) => {
      const response = await run({
        kind: 'ActorsQuery',
        select: ['distinct_ids', 'event_count'],
        source: { kind: 'InsightActorsQuery', source: insight, day: '2024-03-04', breakdown },
      });
      // Ties in event_count go by person id (a uuid): sort by distinct id to compare.
      return (response.results as unknown[]).map((r) => JSON.stringify(r)).sort();
    };
    expect(await actors(['high', 'free'])).toEqual(['[["p2"],2]']);
    // [high, None] is past the limit (a tie lost): not a kept combination, so nobody.
    expect(await actors(['high', 'None'])).toEqual([]);
    expect(await actors(['None', '$$_posthog_breakdown_null_$$'])).toEqual(['[["p3"],2]']);
    expect(await actors(['Other', 'Other'])).toEqual(['[["p1"],1]', '[["p2"],1]', '[["p3"],2]']);
  });

  it.each([
    [
      'more than 3',
      { breakdowns: [...PRIORITY_BY_PLAN, ...PRIORITY_BY_PLAN] },
      'breakdownFilter.breakdowns',
    ],
    ['an empty list', { breakdowns: [] }, 'breakdownFilter.breakdowns'],
    [
      'both forms',
      { breakdown: 'priority', breakdowns: PRIORITY_BY_PLAN },
      'breakdownFilter.breakdowns',
    ],
    [
      'an unknown type',
      { breakdowns: [{ property: 'x', type: 'planet' }] },
      'breakdownFilter.breakdowns[0].type',
    ],
    ['no property', { breakdowns: [{ type: 'event' }] }, 'breakdownFilter.breakdowns[0].property'],
    [
      'a group without index',
      { breakdowns: [{ property: 'x', type: 'group' }] },
      'breakdownFilter.breakdowns[0].group_type_index',
    ],
  ])('answers 400 naming the field for %s', async (_, breakdownFilter, path) => {
    const error = await trends({ breakdownFilter }).catch((e: unknown) => e);
    expect(isQueryError(error, 'invalid_query') && error.path).toBe(path);
  });

  it('answers 501 for PostHog breakdown types not built here', async () => {
    const error = await trends({
      breakdownFilter: { breakdowns: [{ property: '$entry_pathname', type: 'session' }] },
    }).catch((e: unknown) => e);
    expect(isQueryError(error, 'not_implemented') && error.path).toBe(
      'breakdownFilter.breakdowns[0].type',
    );
  });

  it('answers 400 when a drill-down names fewer values than breakdowns', async () => {
    const error = await run({
      kind: 'ActorsQuery',
      source: {
        kind: 'InsightActorsQuery',
        day: '2024-03-04',
        breakdown: ['high'],
        source: {
          kind: 'TrendsQuery',
          series: [{ kind: 'EventsNode', event: 'ticket_created' }],
          dateRange: DAY,
          breakdownFilter: { breakdowns: PRIORITY_BY_PLAN },
        },
      },
    }).catch((e: unknown) => e);
    expect(isQueryError(error, 'invalid_query') && error.path).toBe('source.breakdown');
  });
});
