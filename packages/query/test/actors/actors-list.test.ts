import { describe, expect, it } from 'vitest';
import { isQueryError, type PersonActor, runQuery } from '../../src/index.js';
import { DAY_MS, ev, MONDAY, makeDataset, makeEvent, makePerson } from '../reference/fixtures.js';
import { useLoadedDatasets } from '../seed-cases.js';

// The persons list (an ActorsQuery without source, as PostHog's persons page asks), on
// hand-made data: every person of the project newest first, paged; search, person-property and
// cohort filters, select and orderBy; personless events listed nowhere; a merged person once.

const at = (day: number): number => MONDAY + day * DAY_MS;

const persons = makeDataset(
  [
    ev('ann', 'ticket_created', at(0)),
    ev('bob', 'ticket_created', at(1)),
    makeEvent('cy', 'ticket_created', at(1), { distinctId: 'cy-phone' }),
    ev('eve', 'ticket_resolved', at(2)),
    ev(null, 'ticket_created', at(0)),
    makeEvent(null, 'ticket_created', at(3), { distinctId: 'anon-2' }),
  ],
  [
    makePerson('ann', {
      createdAtMs: at(-30),
      properties: { email: 'Ann@Example.com', plan: 'pro' },
    }),
    makePerson('bob', { createdAtMs: at(-1), properties: { name: 'Bob Builder', plan: 'free' } }),
    // One person under three distinct ids (merged at ingestion), created with dee: a tie.
    makePerson('cy', {
      createdAtMs: at(-10),
      distinctIds: ['cy', 'cy-laptop', 'cy-phone'],
      properties: { plan: 'pro' },
    }),
    makePerson('dee', { createdAtMs: at(-10) }),
    makePerson('eve', { createdAtMs: at(-5), properties: { plan: 'free' } }),
  ],
);
const elsewhere = makeDataset([ev('zed', 'ticket_created', at(0))]);

const db = useLoadedDatasets([persons, elsewhere]);

/** Static cohort 1: ann, and cy by one of its later distinct ids. */
const COHORTS = new Map([[1, { is_static: true, distinct_ids: ['ann', 'cy-laptop'] }]]);

interface Page {
  columns: string[];
  results: unknown[][];
  hasMore: boolean;
  limit: number;
  offset: number;
}

async function list(extra: Record<string, unknown> = {}, projectId = 1): Promise<Page> {
  const response = await runQuery(
    { kind: 'ActorsQuery', ...extra },
    { projectId, timezone: 'Europe/Berlin', now: at(30), runner: db().runner, cohorts: COHORTS },
  );
  return response as unknown as Page;
}

/** A person by its first distinct id (the fixtures' person name). */
const nameOf = (row: unknown[]): string => (row[0] as PersonActor).distinct_ids[0] ?? '?';
const ordered = (page: Page): string[] => page.results.map(nameOf);
const names = (page: Page): string[] => ordered(page).sort();

/** Rejects with `invalid_query` (a 400) naming `path`. */
async function refused(extra: Record<string, unknown>, path: string): Promise<void> {
  await expect(list(extra)).rejects.toSatisfy(
    (e) => isQueryError(e, 'invalid_query') && e.status === 400 && e.path === path,
  );
}

/** cy and dee were created at the same instant: the id orders them. */
async function tie(): Promise<string[]> {
  const page = await list({ select: ['person'] });
  const twins = page.results
    .map((row) => row[0] as PersonActor)
    .filter((p) => ['cy', 'dee'].includes(p.distinct_ids[0] ?? ''));
  return twins.sort((a, b) => (a.id < b.id ? -1 : 1)).map((p) => p.distinct_ids[0] ?? '');
}

describe('ActorsQuery without source: the persons list', () => {
  it('lists every person of the project, newest first, then by id', async () => {
    const page = await list();
    expect(page.columns).toEqual(['actor', 'id', 'created_at']);
    expect(ordered(page)).toEqual(['bob', 'eve', ...(await tie()), 'ann']);
    expect(page).toMatchObject({ hasMore: false, limit: 100, offset: 0 });
    const [actor, id, createdAt] = page.results[0] ?? [];
    expect(actor).toEqual({
      type: 'person',
      id: expect.any(String),
      distinct_ids: ['bob'],
      properties: { name: 'Bob Builder', plan: 'free' },
      created_at: new Date(at(-1)).toISOString(),
      is_identified: expect.any(Boolean),
    });
    expect(id).toBe((actor as PersonActor).id);
    expect(createdAt).toBe(new Date(at(-1)).toISOString());
    expect(names(await list({}, 2))).toEqual(['zed']);
  });

  it('lists no personless events: they made no person', async () => {
    const ids = (await list({ select: ['distinct_ids'] })).results.flatMap(
      (row) => row[0] as string[],
    );
    expect(ids).not.toContain('anonymous');
    expect(ids).not.toContain('anon-2');
    expect(await list({ search: 'anon' })).toMatchObject({ results: [] });
  });

  it('lists a merged person once, with all its distinct ids', async () => {
    const page = await list({ select: ['distinct_ids', 'person'] });
    const cy = page.results.filter((row) => (row[0] as string[]).includes('cy-phone'));
    expect(cy).toHaveLength(1);
    expect(cy[0]?.[0]).toEqual(['cy', 'cy-laptop', 'cy-phone']);
    expect(cy[0]?.[1]).toMatchObject({ distinct_ids: ['cy', 'cy-laptop', 'cy-phone'] });
  });

  it('pages with limit, offset and hasMore, neither skipping nor repeating', async () => {
    const pages = await Promise.all([0, 2, 4].map((offset) => list({ limit: 2, offset })));
    expect(pages.map((p) => p.hasMore)).toEqual([true, true, false]);
    expect(pages.map((p) => p.results.length)).toEqual([2, 2, 1]);
    expect(pages.flatMap(ordered)).toEqual(ordered(await list()));
    expect(await list({ limit: 5 })).toMatchObject({ hasMore: false });
    expect(await list({ offset: 5 })).toMatchObject({ results: [], hasMore: false, offset: 5 });
  });

  it('finds persons by id, distinct id, email or name, ignoring case', async () => {
    expect(names(await list({ search: 'EXAMPLE.com' }))).toEqual(['ann']);
    expect(names(await list({ search: 'builder' }))).toEqual(['bob']);
    expect(names(await list({ search: 'CY-Phone' }))).toEqual(['cy']);
    // Not a hex digit, so no person id contains it: ann's `.com`, bob, cy's `cy-phone`.
    expect(names(await list({ search: 'O' }))).toEqual(['ann', 'bob', 'cy']);
    const eve = (await list({ search: 'eve' })).results[0]?.[1] as string;
    expect(names(await list({ search: eve.slice(4, 20).toUpperCase() }))).toEqual(['eve']);
    expect(names(await list({ search: '  ' }))).toHaveLength(5);
  });

  it('keeps the persons matching person-property and cohort filters, as insights read them', async () => {
    const plan = (value: string) => ({ type: 'person', key: 'plan', operator: 'exact', value });
    expect(names(await list({ properties: [plan('pro')] }))).toEqual(['ann', 'cy']);
    const unset = { type: 'person', key: 'plan', operator: 'is_not_set' };
    expect(names(await list({ properties: [unset] }))).toEqual(['dee']);
    const cohort = { type: 'cohort', key: 'id', value: 1 };
    expect(names(await list({ properties: [cohort] }))).toEqual(['ann', 'cy']);
    const outside = { ...cohort, operator: 'not_in' };
    expect(names(await list({ properties: [outside] }))).toEqual(['bob', 'dee', 'eve']);
    const both = { properties: [cohort, plan('pro')], search: 'example' };
    expect(names(await list(both))).toEqual(['ann']);
  });

  it('returns the selected columns in order', async () => {
    const page = await list({ select: ['created_at', 'distinct_ids', 'id'], limit: 1 });
    expect(page.columns).toEqual(['created_at', 'distinct_ids', 'id']);
    expect(page.results).toEqual([[new Date(at(-1)).toISOString(), ['bob'], expect.any(String)]]);
    expect((await list({ select: ['matched_recordings'], limit: 1 })).results).toEqual([[[]]]);
  });

  it('orders by created_at or id, either way, always ending with the id', async () => {
    const oldest = await list({ orderBy: ['created_at ASC'] });
    expect(ordered(oldest)).toEqual(['ann', ...(await tie()), 'eve', 'bob']);
    const newest = await list({ orderBy: ['created_at DESC', 'id DESC'] });
    expect(ordered(newest)).toEqual(['bob', 'eve', ...(await tie()).reverse(), 'ann']);
    const byId = await list({ orderBy: ['person_id desc'], select: ['id'] });
    const ids = byId.results.map((row) => row[0] as string);
    expect(ids).toEqual([...ids].sort().reverse());
  });

  it('refuses what a list without source cannot do, naming the field (400)', async () => {
    await refused({ orderBy: ['created_at DESC', 'event_count DESC'] }, 'orderBy[1]');
    await refused({ orderBy: ['created_at sideways'] }, 'orderBy[0]');
    await refused({ select: ['actor', 'event_count'] }, 'select[1]');
    await refused({ select: ['appearances'] }, 'select[0]');
    await refused({ select: ['person', 'person.$delete'] }, 'select[1]');
    await refused({ select: [] }, 'select');
    await refused({ limit: 10_001 }, 'limit');
    await refused({ limit: 0 }, 'limit');
    await refused({ offset: -1 }, 'offset');
    const event = { type: 'event', key: 'priority', operator: 'exact', value: 'high' };
    await refused({ properties: [event] }, 'properties');
    await refused({ properties: [{ type: 'cohort', key: 'id', value: 9 }] }, 'properties');
  });
});
