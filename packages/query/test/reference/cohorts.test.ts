import { describe, expect, it } from 'vitest';
import type { EventMatcher } from './actors.js';
import {
  type CohortDefinition,
  type CohortLeaf,
  type CohortNode,
  cohortMembers,
} from './cohorts.js';
import { DAY_MS, ev, HOUR_MS, MONDAY, makeDataset, makePerson, makeTenant } from './fixtures.js';

const NOW = MONDAY + 30 * DAY_MS + 12 * HOUR_MS;
const created: EventMatcher = { event: 'ticket_created' };
const events = [
  // p1: 3 tickets in the last 7 days (tenant-a); a login 40 days ago.
  ...[1, 2, 3].map((d) => ev('p1', 'ticket_created', NOW - d * DAY_MS, {}, 'tenant-a')),
  ev('p1', 'user_logged_in', NOW - 40 * DAY_MS, {}, 'tenant-a'),
  // p2: one ticket 10 days ago, one yesterday (tenant-b).
  ev('p2', 'ticket_created', NOW - 10 * DAY_MS, {}, 'tenant-b'),
  ev('p2', 'ticket_created', NOW - DAY_MS, {}, 'tenant-b'),
  // p3: one ticket 20 days ago only.
  ev('p3', 'ticket_created', NOW - 20 * DAY_MS),
  // p5: exactly 7 days ago (outside "last 7 days"), and one in the future (ignored).
  ev('p5', 'ticket_created', NOW - 7 * DAY_MS),
  ev('p5', 'ticket_created', NOW + HOUR_MS),
  // a personless event never makes anyone a member.
  ev(null, 'ticket_created', NOW - HOUR_MS),
];
const persons = [
  makePerson('p1', { properties: { plan: 'pro', is_admin: true } }),
  makePerson('p2', { properties: { plan: 'free' } }),
  makePerson('p3'),
  makePerson('p4'), // no events at all
  makePerson('p5'),
];
const groups = [
  makeTenant('tenant-a', { properties: { plan: 'enterprise' } }),
  makeTenant('tenant-b', { properties: { plan: 'free' } }),
];
const dataset = makeDataset(events, persons, groups);
const days = (count: number) => ({ count, unit: 'day' as const });
const members = (filter: CohortNode): string[] =>
  cohortMembers(dataset, { kind: 'dynamic', filter }, NOW);

describe('behavioural cohort leaves', () => {
  it('performed event in the last 7 days: lower bound exclusive, future ignored', () => {
    expect(members({ type: 'performed_event', event: created, within: days(7) })).toEqual([
      'p1',
      'p2',
    ]);
    expect(members({ type: 'performed_event', event: created, within: days(8) })).toEqual([
      'p1',
      'p2',
      'p5',
    ]);
  });

  it('performed event at least / at most / exactly N times', () => {
    const multiple = (operator: 'gte' | 'lte' | 'eq' | 'lt', count: number): CohortLeaf => ({
      type: 'performed_event_multiple',
      event: created,
      operator,
      count,
      within: days(7),
    });
    expect(members(multiple('gte', 3))).toEqual(['p1']);
    expect(members(multiple('eq', 1))).toEqual(['p2']);
    // At most once: zero never matches, so p3, p4, p5 (no ticket in 7 days) are out.
    expect(members(multiple('lte', 1))).toEqual(['p2']);
    expect(members(multiple('lt', 3))).toEqual(['p2']);
    // Negating "at least once" is how to ask for "not in the last 7 days".
    expect(members({ ...multiple('gte', 1), negated: true })).toEqual(['p3', 'p4', 'p5']);
  });

  it('performed event for the first time in the window', () => {
    expect(
      members({ type: 'performed_event_first_time', event: created, within: days(7) }),
    ).toEqual(['p1']);
    // 14 days: p2's first (10 days ago) and p5's (exactly 7 days ago) count too.
    expect(
      members({ type: 'performed_event_first_time', event: created, within: days(14) }),
    ).toEqual(['p1', 'p2', 'p5']);
  });

  it('stopped performing: in the earlier window, not in the recent one', () => {
    // Earlier window (now-30d, now-7d]: p2 (10 d, but also yesterday -> no), p3 (20 d), p5 (7 d).
    const leaf: CohortLeaf = {
      type: 'stopped_performing_event',
      event: created,
      within: days(30),
      recent: days(7),
    };
    expect(members(leaf)).toEqual(['p3', 'p5']);
  });

  it('person property and tenant property', () => {
    expect(
      members({ type: 'person_property', key: 'plan', operator: 'exact', value: 'pro' }),
    ).toEqual(['p1']);
    expect(
      members({
        type: 'person_property',
        key: 'plan',
        operator: 'exact',
        value: 'pro',
        negated: true,
      }),
    ).toEqual(['p2', 'p3', 'p4', 'p5']);
    expect(members({ type: 'person_property', key: 'plan', operator: 'is_set' })).toEqual([
      'p1',
      'p2',
    ]);
    expect(
      members({
        type: 'group_property',
        groupTypeIndex: 0,
        key: 'plan',
        operator: 'exact',
        value: 'enterprise',
      }),
    ).toEqual(['p1']);
    expect(
      members({ type: 'group_property', groupTypeIndex: 0, key: 'plan', operator: 'is_set' }),
    ).toEqual(['p1', 'p2']);
  });
});

describe('cohort definitions', () => {
  it('combines leaves with nested AND / OR groups', () => {
    const filter: CohortNode = {
      type: 'OR',
      values: [
        {
          type: 'AND',
          values: [
            { type: 'performed_event', event: created, within: days(7) },
            { type: 'person_property', key: 'plan', operator: 'exact', value: 'free' },
          ],
        },
        { type: 'stopped_performing_event', event: created, within: days(30), recent: days(7) },
      ],
    };
    // (p1, p2) AND (p2) = p2; OR (p3, p5).
    expect(members(filter)).toEqual(['p2', 'p3', 'p5']);
    expect(members({ type: 'AND', values: [] })).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
    expect(members({ type: 'OR', values: [] })).toEqual([]);
  });

  it('static lists keep known persons only, and can be referenced and negated', () => {
    const list: CohortDefinition = { kind: 'static', personIds: ['p4', 'p2', 'ghost'] };
    expect(cohortMembers(dataset, list, NOW)).toEqual(['p2', 'p4']);
    expect(members({ type: 'in_cohort', cohort: list, negated: true })).toEqual(['p1', 'p3', 'p5']);
  });

  it('depends on now: the same definition a week later', () => {
    const later = cohortMembers(
      dataset,
      { kind: 'dynamic', filter: { type: 'performed_event', event: created, within: days(7) } },
      NOW + 7 * DAY_MS,
    );
    // p5's future event (now + 1 h) is now inside the window; p1 and p2 fell out.
    expect(later).toEqual(['p5']);
  });
});
