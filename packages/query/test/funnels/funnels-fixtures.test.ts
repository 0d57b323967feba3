import { describe, expect, it } from 'vitest';
import type { FunnelStepResult } from '../../src/funnels/shape.js';
import { runQuery } from '../../src/index.js';
import type { Dataset } from '../dataset.js';
import { BERLIN, DAY_MS, ev, HOUR_MS, MONDAY, makeDataset } from '../reference/fixtures.js';
import { useLoadedDatasets } from '../seed-cases.js';

// Hand-computed funnels (§2.2), one project per fixture. Steps: created -> assigned -> resolved.

const T = MONDAY + 9 * HOUR_MS;
const NOW = MONDAY + 60 * DAY_MS;
const RANGE = { date_from: '2024-03-01', date_to: '2024-04-30' };

const FIXTURES: Record<string, Dataset> = {
  window: makeDataset([
    // p1 resolves exactly 14 d after entry (counts), p2 1 ms later (stops at step 2).
    ev('p1', 'ticket_created', T),
    ev('p1', 'ticket_assigned', T + DAY_MS),
    ev('p1', 'ticket_resolved', T + 14 * DAY_MS),
    ev('p2', 'ticket_created', T),
    ev('p2', 'ticket_assigned', T + DAY_MS),
    ev('p2', 'ticket_resolved', T + 14 * DAY_MS + 1),
    // p3: a personless event never counts.
    ev(null, 'ticket_created', T),
  ]),
  exclusion: makeDataset([
    // p1: a comment between created and assigned voids its only attempt: removed entirely.
    ev('p1', 'ticket_created', T),
    ev('p1', 'ticket_comment_added', T + HOUR_MS),
    ev('p1', 'ticket_assigned', T + 2 * HOUR_MS),
    // p2: a comment at the same instant as assigned counts as after it: converts.
    ev('p2', 'ticket_created', T),
    ev('p2', 'ticket_assigned', T + HOUR_MS),
    ev('p2', 'ticket_comment_added', T + HOUR_MS),
  ]),
  strict: makeDataset([
    // p1: created, pageview, assigned -> strict stops at step 1; p2 is uninterrupted.
    ev('p1', 'ticket_created', T),
    ev('p1', '$pageview', T + HOUR_MS),
    ev('p1', 'ticket_assigned', T + 2 * HOUR_MS),
    ev('p2', 'ticket_created', T),
    ev('p2', 'ticket_assigned', T + HOUR_MS),
  ]),
  unordered: makeDataset([
    // p1 does the steps backwards: unordered counts all three; ordered only step 1.
    ev('p1', 'ticket_resolved', T),
    ev('p1', 'ticket_assigned', T + HOUR_MS),
    ev('p1', 'ticket_created', T + 2 * HOUR_MS),
  ]),
  held: makeDataset([
    // p1 creates ticket 1 and 2, then assigns ticket 2 only: held constant, ticket 2's attempt
    // converts; p2 creates ticket 3 and assigns ticket 4: converts only without holding.
    ev('p1', 'ticket_created', T, { ticket_id: 't1' }),
    ev('p1', 'ticket_created', T + HOUR_MS, { ticket_id: 't2' }),
    ev('p1', 'ticket_assigned', T + 2 * HOUR_MS, { ticket_id: 't2' }),
    ev('p2', 'ticket_created', T, { ticket_id: 't3' }),
    ev('p2', 'ticket_assigned', T + HOUR_MS, { ticket_id: 't4' }),
  ]),
  breakdown: makeDataset([
    // p1: created via email, assigned with priority high; p2: created via phone, no assignment;
    // p3: created without created_via.
    ev('p1', 'ticket_created', T, { created_via: 'email' }),
    ev('p1', 'ticket_assigned', T + HOUR_MS, { created_via: 'portal' }),
    ev('p2', 'ticket_created', T, { created_via: 'phone' }),
    ev('p3', 'ticket_created', T),
  ]),
  tenants: makeDataset([
    // Two persons of tenant t1 each do one step: the tenant converts, neither person does.
    ev('p1', 'ticket_created', T, {}, 't1'),
    ev('p2', 'ticket_assigned', T + HOUR_MS, {}, 't1'),
    ev('p3', 'ticket_created', T, {}, 't2'),
  ]),
};
const NAMES = Object.keys(FIXTURES);

const db = useLoadedDatasets(Object.values(FIXTURES));

async function counts(
  fixture: string,
  events: string[],
  extra: Record<string, unknown> = {},
  funnelsFilter: Record<string, unknown> = {},
): Promise<number[]> {
  const response = await runQuery(
    {
      kind: 'FunnelsQuery',
      series: events.map((event) => ({ kind: 'EventsNode', event })),
      dateRange: RANGE,
      funnelsFilter,
      ...extra,
    },
    { projectId: NAMES.indexOf(fixture) + 1, timezone: BERLIN, now: NOW, runner: db().runner },
  );
  if (response.kind !== 'FunnelsQuery') throw new Error('not a funnel');
  return (response.results as FunnelStepResult[]).map((step) => step.count);
}

const ABC = ['ticket_created', 'ticket_assigned', 'ticket_resolved'];
const AB = ['ticket_created', 'ticket_assigned'];

describe('funnels: hand-computed fixtures', () => {
  it('counts a step exactly at the window end and not one ms after; skips personless events', async () => {
    expect(await counts('window', ABC)).toEqual([2, 2, 1]);
  });

  it('returns PostHog step objects with conversion times in seconds', async () => {
    const response = await runQuery(
      {
        kind: 'FunnelsQuery',
        series: AB.map((event) => ({ kind: 'EventsNode', event })),
        dateRange: RANGE,
      },
      { projectId: 1, timezone: BERLIN, now: NOW, runner: db().runner },
    );
    if (response.kind !== 'FunnelsQuery') throw new Error('not a funnel');
    const steps = response.results as FunnelStepResult[];
    expect(steps[1]).toEqual({
      action_id: 'ticket_assigned',
      name: 'ticket_assigned',
      custom_name: null,
      order: 1,
      count: 2,
      type: 'events',
      average_conversion_time: 86_400,
      median_conversion_time: 86_400,
    });
    expect(steps[0]?.average_conversion_time).toBeNull();
  });

  it('drops an actor whose best attempt hits an exclusion; a same-instant step is before it', async () => {
    const exclusions = [
      { kind: 'EventsNode', event: 'ticket_comment_added', funnelFromStep: 0, funnelToStep: 1 },
    ];
    expect(await counts('exclusion', AB, {}, { exclusions })).toEqual([1, 1]);
    expect(await counts('exclusion', AB)).toEqual([2, 2]);
  });

  it('strict order stops at any other event in between', async () => {
    expect(await counts('strict', AB, {}, { funnelOrderType: 'strict' })).toEqual([2, 1]);
    expect(await counts('strict', AB)).toEqual([2, 2]);
  });

  it('unordered counts steps done in any order', async () => {
    expect(await counts('unordered', ABC, {}, { funnelOrderType: 'unordered' })).toEqual([1, 1, 1]);
    expect(await counts('unordered', ABC)).toEqual([1, 0, 0]);
  });

  it('aggregates by tenant with aggregation_group_type_index 0', async () => {
    expect(await counts('tenants', AB, { aggregation_group_type_index: 0 })).toEqual([2, 1]);
    expect(await counts('tenants', AB)).toEqual([2, 0]);
  });

  it('holds a property constant from entry to the last step', async () => {
    expect(await counts('held', AB, {}, { holdConstant: ['ticket_id'] })).toEqual([2, 1]);
    expect(await counts('held', AB, {}, { holdPropertyConstant: 'ticket_id' })).toEqual([2, 1]);
    expect(await counts('held', AB)).toEqual([2, 2]);
  });

  it('breaks down by first touch, last touch and step, with None and Other buckets', async () => {
    const run = async (funnelsFilter: Record<string, unknown>, limit = 25) => {
      const response = await runQuery(
        {
          kind: 'FunnelsQuery',
          series: AB.map((event) => ({ kind: 'EventsNode', event })),
          dateRange: RANGE,
          breakdownFilter: { breakdown: 'created_via', breakdown_limit: limit },
          funnelsFilter,
        },
        {
          projectId: NAMES.indexOf('breakdown') + 1,
          timezone: BERLIN,
          now: NOW,
          runner: db().runner,
        },
      );
      return (response.results as FunnelStepResult[][]).map((steps) => [
        steps[0]?.breakdown_value,
        ...steps.map((s) => s.count),
      ]);
    };
    // Ties at step 1 are ordered by value; None last.
    expect(await run({ breakdownAttributionType: 'first_touch' })).toEqual([
      ['email', 1, 1],
      ['phone', 1, 0],
      ['None', 1, 0],
    ]);
    expect(await run({ breakdownAttributionType: 'last_touch' })).toEqual([
      ['phone', 1, 0],
      ['portal', 1, 1],
      ['None', 1, 0],
    ]);
    expect(await run({ breakdownAttributionType: 'step', breakdownAttributionValue: 1 })).toEqual([
      ['portal', 1, 1],
      ['None', 2, 0],
    ]);
    expect(await run({ breakdownAttributionType: 'first_touch' }, 1)).toEqual([
      ['email', 1, 1],
      ['None', 1, 0],
      ['Other', 1, 0],
    ]);
  });

  it('refuses options not built yet, naming the field', async () => {
    const breakdownFilter = { breakdown: 'created_via' };
    await expect(
      counts('window', AB, { breakdownFilter }, { funnelVizType: 'trends' }),
    ).rejects.toMatchObject({ code: 'not_implemented', path: 'breakdownFilter' });
  });
});
