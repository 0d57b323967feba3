import { once } from 'node:events';
import { psaCatalog } from '@tally/catalog';
import { createAnalytics } from '@tally/sdk';
import { PostHog } from 'posthog-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../src/server.js';
import {
  allEvents,
  apiGet,
  inProcessFetch,
  openTestTally,
  spawnTally,
  type TallyProcess,
  TOKEN,
} from './helpers.js';

const USERS = 100;
const EVENTS = 10_000;

interface PersonJson {
  id: string;
  distinct_ids: string[];
  properties: Record<string, unknown>;
}

/** What both clients must leave behind: every event once, anonymous history merged into persons. */
async function expectStored(fetchFn: typeof fetch, base: string, event: string): Promise<void> {
  const stored = await allEvents(fetchFn, base, `&event=${event}`);
  const ingestion = await apiGet<{ events_stored: number }>(
    fetchFn,
    base,
    '/api/projects/1/ingestion',
  );
  // identify, alias and groupidentify are stored as events too: 100 + 100 + 10 of them.
  expect(ingestion.events_stored).toBe(EVENTS + 2 * USERS + 10);
  expect(stored).toHaveLength(EVENTS);
  expect(new Set(stored.map((e) => e.uuid)).size).toBe(EVENTS);
  for (const u of [0, 42, USERS - 1]) {
    const byUser = await apiGet<{ results: PersonJson[] }>(
      fetchFn,
      base,
      `/api/projects/1/persons?distinct_id=user-${u}`,
    );
    const byAnon = await apiGet<{ results: PersonJson[] }>(
      fetchFn,
      base,
      `/api/projects/1/persons?distinct_id=anon-${u}`,
    );
    const byAlias = await apiGet<{ results: PersonJson[] }>(
      fetchFn,
      base,
      `/api/projects/1/persons?distinct_id=legacy-${u}`,
    );
    const person = byUser.results[0];
    expect(person?.distinct_ids.sort()).toEqual([`anon-${u}`, `legacy-${u}`, `user-${u}`].sort());
    expect(byAnon.results[0]?.id).toBe(person?.id);
    expect(byAlias.results[0]?.id).toBe(person?.id);
    // Events sent under the anonymous id now belong to the person.
    const anonEvents = stored.filter((e) => e.distinct_id === `anon-${u}`);
    expect(anonEvents.length).toBeGreaterThan(0);
    expect(anonEvents.every((e) => e.person_id === person?.id)).toBe(true);
  }
  const tenant = await apiGet<{ results: Array<{ group_properties: Record<string, unknown> }> }>(
    fetchFn,
    base,
    '/api/projects/1/groups?group_type_index=0&group_key=tenant-3',
  );
  expect(tenant.results[0]?.group_properties).toMatchObject({ plan: 'professional' });
}

describe('real posthog-node against a running `tally start`', () => {
  let tally: TallyProcess;
  beforeAll(async () => {
    tally = await spawnTally(['--data-dir', (await import('./helpers.js')).tempDataDir()]);
  }, 60_000);
  afterAll(async () => {
    tally.child.kill('SIGTERM');
    expect(await tally.exited).toBe(0);
  });

  it(`stores exactly ${EVENTS} events, with identify, alias and group calls`, async () => {
    const posthog = new PostHog(TOKEN, { host: tally.url, flushAt: 100, flushInterval: 100 });
    const errors: unknown[] = [];
    posthog.on('error', (error) => errors.push(error));
    for (let i = 0; i < EVENTS; i++) {
      const u = i % USERS;
      // A burst of thousands of captures in one tick makes posthog-node lose some (seen: 10 of
      // 10,000, never sent, no error); an app yields between requests, so this loop does too.
      if (i % 100 === 0) await new Promise((r) => setImmediate(r));
      // The first half of each user's events are anonymous; then they log in.
      const isAnonymous = i < EVENTS / 2;
      posthog.capture({
        distinctId: isAnonymous ? `anon-${u}` : `user-${u}`,
        event: 'feature_used',
        properties: {
          feature: 'ticket_creation',
          feature_category: 'ticketing',
          is_first_use: i < USERS,
        },
        groups: { tenant: `tenant-${u % 10}` },
      });
      if (i === EVENTS / 2 - 1) {
        for (let v = 0; v < USERS; v++) {
          posthog.identify({
            distinctId: `user-${v}`,
            properties: { $anon_distinct_id: `anon-${v}`, user_type: 'msp' },
          });
          posthog.alias({ distinctId: `user-${v}`, alias: `legacy-${v}` });
        }
        for (let t = 0; t < 10; t++)
          posthog.groupIdentify({
            groupType: 'tenant',
            groupKey: `tenant-${t}`,
            properties: { plan: 'professional' },
          });
      }
    }
    await posthog.shutdown();
    expect(errors).toEqual([]);
    await expectStored(fetch, tally.url, 'feature_used');
  }, 120_000);
});

describe.each(['in-process (app.fetch)', 'real port'] as const)("Tally's own SDK, %s", (mode) => {
  it(`stores exactly ${EVENTS} events, with identify, alias and group calls`, async () => {
    const server = await openTestTally();
    let base = 'http://tally.test';
    let fetchFn = inProcessFetch(server);
    let close = async () => {};
    if (mode === 'real port') {
      const listening = await listen(server.app, 0, '127.0.0.1');
      base = listening.url;
      fetchFn = fetch;
      close = async () => {
        listening.server.close();
        await once(listening.server, 'close');
      };
    }
    const analytics = createAnalytics({
      catalog: psaCatalog,
      host: base,
      token: TOKEN,
      appVersion: '1.0.0',
      fetch: fetchFn,
      env: {},
    });
    for (let i = 0; i < EVENTS; i++) {
      const u = i % USERS;
      const isAnonymous = i < EVENTS / 2;
      analytics.capture(
        'feature_used',
        { feature: 'ticket_creation', feature_category: 'ticketing', is_first_use: i < USERS },
        { userId: isAnonymous ? `anon-${u}` : `user-${u}`, tenantId: `tenant-${u % 10}` },
      );
      if (i === EVENTS / 2 - 1) {
        for (let v = 0; v < USERS; v++) {
          analytics.identify(`user-${v}`, { user_type: 'msp' }, { anonymousId: `anon-${v}` });
          analytics.alias(`user-${v}`, `legacy-${v}`);
        }
        for (let t = 0; t < 10; t++)
          analytics.group(`tenant-${t}`, {
            plan: 'professional',
            deployment: 'hosted',
            user_count: 12,
            created_month: '2025-11',
          });
      }
    }
    await analytics.shutdown();
    expect(analytics.counters()).toMatchObject({ errors: 0 });
    await expectStored(fetchFn, base, 'feature_used');
    await close();
    await server.close();
  }, 120_000);
});
