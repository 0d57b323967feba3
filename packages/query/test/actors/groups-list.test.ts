import { describe, expect, it } from 'vitest';
import { isQueryError, runQuery } from '../../src/index.js';
import { generateDataset } from '../dataset.js';
import { DAY_MS, ev, MONDAY, makeDataset, makeTenant } from '../reference/fixtures.js';
import { useLoadedDatasets } from '../seed-cases.js';

// GroupsQuery (PostHog's groups page): the tenants of one group type, newest first, with
// PostHog's `group_name` column, search, group-property filters and paging; on hand-made
// tenants, then against the groups of generated datasets.

const at = (day: number): number => MONDAY + day * DAY_MS;

const tenants = makeDataset(
  [ev('p1', 'ticket_created', at(0), {}, 't-acme'), ev('p2', 'ticket_created', at(0), {}, 't-x')],
  [],
  [
    makeTenant('t-acme', { createdAtMs: at(-20), properties: { name: 'Acme GmbH', plan: 'pro' } }),
    makeTenant('t-globex', { createdAtMs: at(-2), properties: { plan: 'free' } }),
    makeTenant('t-initech', { createdAtMs: at(-9), properties: { name: 'Initech', plan: 'pro' } }),
    { ...makeTenant('team-blue', { createdAtMs: at(-1) }), groupTypeIndex: 1 },
  ],
);
const SEEDS = [1, 2, 3, 4];
const generated = SEEDS.map((seed) => generateDataset(seed, { events: 200, tenants: 3 + seed }));

const db = useLoadedDatasets([tenants, ...generated]);

interface Page {
  kind: string;
  columns: string[];
  results: unknown[][];
  hasMore: boolean;
  limit: number;
  offset: number;
}

async function groups(extra: Record<string, unknown> = {}, projectId = 1): Promise<Page> {
  const response = await runQuery(
    { kind: 'GroupsQuery', group_type_index: 0, ...extra },
    { projectId, timezone: 'Europe/Berlin', now: at(30), runner: db().runner },
  );
  return response as unknown as Page;
}

const keys = async (extra: Record<string, unknown> = {}): Promise<string[]> =>
  (await groups({ ...extra, select: ['key'] })).results.map((row) => row[0] as string);

describe('GroupsQuery: the tenants list', () => {
  it("lists a group type's tenants newest first, in PostHog's group_name shape", async () => {
    const page = await groups();
    expect(page).toMatchObject({
      kind: 'GroupsQuery',
      columns: ['group_name'],
      hasMore: false,
      limit: 100,
      offset: 0,
    });
    expect(page.results).toEqual([
      [{ display_name: 't-globex', key: 't-globex' }],
      [{ display_name: 'Initech', key: 't-initech' }],
      [{ display_name: 'Acme GmbH', key: 't-acme' }],
    ]);
    expect(await keys({ group_type_index: 1 })).toEqual(['team-blue']);
    expect(await keys({ group_type_index: 2 })).toEqual([]);
  });

  it('returns the selected columns', async () => {
    const select = ['key', 'created_at', 'group_type_index', 'properties'];
    const page = await groups({ select, limit: 1 });
    expect(page.columns).toEqual(select);
    expect(page.results).toEqual([
      ['t-globex', new Date(at(-2)).toISOString(), 0, { plan: 'free' }],
    ]);
  });

  it('searches key and name, filters by its own properties, orders and pages', async () => {
    expect(await keys({ search: 'INITECH' })).toEqual(['t-initech']);
    expect(await keys({ search: 'glob' })).toEqual(['t-globex']);
    const pro = {
      type: 'group',
      group_type_index: 0,
      key: 'plan',
      operator: 'exact',
      value: 'pro',
    };
    expect(await keys({ properties: [pro] })).toEqual(['t-initech', 't-acme']);
    expect(await keys({ orderBy: ['created_at ASC'] })).toEqual([
      't-acme',
      't-initech',
      't-globex',
    ]);
    expect(await keys({ orderBy: ['key DESC'] })).toEqual(['t-initech', 't-globex', 't-acme']);
    const pages = await Promise.all([0, 2].map((offset) => groups({ limit: 2, offset })));
    expect(pages.map((p) => [p.results.length, p.hasMore])).toEqual([
      [2, true],
      [1, false],
    ]);
  });

  it('refuses bad input with 400 naming the field', async () => {
    const refused = async (extra: Record<string, unknown>, path: string) =>
      expect(groups(extra)).rejects.toSatisfy(
        (e) => isQueryError(e, 'invalid_query') && e.status === 400 && e.path === path,
      );
    await refused({ group_type_index: 5 }, 'group_type_index');
    await refused({ group_type_index: undefined }, 'group_type_index');
    await refused({ select: ['key', 'event_count'] }, 'select[1]');
    await refused({ orderBy: ['event_count DESC'] }, 'orderBy[0]');
    await refused({ limit: 10_001 }, 'limit');
    const person = { type: 'person', key: 'plan', operator: 'exact', value: 'pro' };
    await refused({ properties: [person] }, 'properties');
  });

  it.each(SEEDS.map((seed, i) => ({ seed, projectId: i + 2 })))(
    'lists the groups of generated seed $seed, newest first',
    async ({ projectId }) => {
      const dataset = generated[projectId - 2];
      for (const index of [0, 1]) {
        const page = await groups(
          { group_type_index: index, select: ['key', 'created_at', 'properties'] },
          projectId,
        );
        const expected = (dataset?.groups ?? [])
          .filter((g) => g.groupTypeIndex === index)
          .sort((a, b) => b.createdAtMs - a.createdAtMs || (a.groupKey < b.groupKey ? -1 : 1))
          .map((g) => [g.groupKey, new Date(g.createdAtMs).toISOString(), g.properties]);
        expect(page.results).toEqual(expected);
      }
    },
  );
});
