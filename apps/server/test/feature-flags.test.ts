import { describe, expect, it } from 'vitest';
import type { Tally } from '../src/server.js';
import { API_KEY, API_TARGETS, openTestTally, TOKEN, useApiTarget } from './helpers.js';

// Feature flag CRUD (`/api/projects/:id/feature_flags`) and the local-evaluation definitions
// (`/flags/definitions`, `/api/feature_flag/local_evaluation`), in-process and against
// `tally start`.

async function prepare(): Promise<Tally & { dataDir: string }> {
  const tally = await openTestTally();
  await tally.store.metadata.createProject({ name: 'other', token: 'phc_other_project_0002' });
  return tally;
}

const rollout = (pct: number) => ({ groups: [{ properties: [], rollout_percentage: pct }] });

describe.each(API_TARGETS)('feature flags API (%s)', (name) => {
  const target = useApiTarget(name, prepare);

  async function call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
    const response = await target().fetch(`${target().base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${API_KEY}`,
        'content-type': 'application/json',
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      json: text === '' ? {} : JSON.parse(text),
      headers: response.headers,
    };
  }

  it('creates a flag bucketed by tenant unless told otherwise, reads, lists and edits it', async () => {
    const created = await call('POST', '/api/projects/1/feature_flags', {
      key: 'new-ticket-form',
      name: 'New ticket form',
      filters: rollout(20),
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      key: 'new-ticket-form',
      name: 'New ticket form',
      active: true,
      deleted: false,
      is_simple_flag: true,
      rollout_percentage: 20,
      version: 1,
      filters: { aggregation_group_type_index: 0, groups: [{ rollout_percentage: 20 }] },
    });
    const id = created.json.id as number;
    const byPerson = await call('POST', '/api/projects/1/feature_flags', {
      key: 'per-user',
      filters: { ...rollout(50), aggregation_group_type_index: null },
    });
    expect(byPerson.json.filters).toMatchObject({ aggregation_group_type_index: null });

    expect((await call('GET', `/api/projects/1/feature_flags/${id}`)).json).toEqual(created.json);
    const list = await call('GET', '/api/projects/1/feature_flags');
    expect((list.json.results as Array<{ key: string }>).map((f) => f.key)).toEqual([
      'new-ticket-form',
      'per-user',
    ]);
    const edited = await call('PATCH', `/api/projects/1/feature_flags/${id}`, {
      active: false,
      filters: {
        groups: [{ properties: [], rollout_percentage: 100 }],
        multivariate: {
          variants: [
            { key: 'control', rollout_percentage: 50 },
            { key: 'test', rollout_percentage: 50 },
          ],
        },
        aggregation_group_type_index: 0,
      },
    });
    expect(edited.status).toBe(200);
    expect(edited.json).toMatchObject({ active: false, version: 2, is_simple_flag: false });
    // Another project's flags are not this project's.
    expect((await call('GET', '/api/projects/2/feature_flags')).json.results).toEqual([]);
    expect((await call('GET', `/api/projects/2/feature_flags/${id}`)).status).toBe(404);
  });

  it('refuses bad definitions with 400 naming the field, and a duplicate key with 409', async () => {
    const bad = async (body: unknown) => call('POST', '/api/projects/1/feature_flags', body);
    expect((await bad({ name: 'no key' })).json).toMatchObject({ attr: 'key' });
    expect((await bad({ key: 'has space' })).json).toMatchObject({ attr: 'key' });
    expect((await bad({ key: 'pct', filters: rollout(120) })).json).toMatchObject({
      attr: 'filters.groups.0.rollout_percentage',
    });
    const sum = await bad({
      key: 'sum',
      filters: {
        ...rollout(100),
        multivariate: {
          variants: [
            { key: 'a', rollout_percentage: 50 },
            { key: 'b', rollout_percentage: 40 },
          ],
        },
      },
    });
    expect(sum.status).toBe(400);
    expect(String(sum.json.attr)).toMatch(/^filters\.multivariate/);
    const op = await bad({
      key: 'op',
      filters: {
        groups: [
          {
            properties: [{ key: 'plan', type: 'person', operator: 'sounds_like', value: 'pro' }],
            rollout_percentage: 100,
          },
        ],
      },
    });
    expect(op.status).toBe(400);
    expect(String(op.json.attr)).toMatch(/^filters\.groups\.0\.properties\.0/);

    expect((await bad({ key: 'dup', filters: rollout(10) })).status).toBe(201);
    const dup = await bad({ key: 'dup', filters: rollout(10) });
    expect(dup.status).toBe(409);
    expect(dup.json).toMatchObject({ code: 'conflict', attr: expect.stringMatching(/^key/) });
  });

  it('deletes with PATCH deleted (the key is free again); DELETE is 405 as in PostHog', async () => {
    const flag = await call('POST', '/api/projects/1/feature_flags', {
      key: 'short-lived',
      filters: rollout(5),
    });
    const id = flag.json.id as number;
    expect((await call('DELETE', `/api/projects/1/feature_flags/${id}`)).status).toBe(405);
    const deleted = await call('PATCH', `/api/projects/1/feature_flags/${id}`, { deleted: true });
    expect(deleted.json).toMatchObject({ deleted: true });
    const keys = (await call('GET', '/api/projects/1/feature_flags')).json.results as Array<{
      key: string;
    }>;
    expect(keys.map((f) => f.key)).not.toContain('short-lived');
    expect(
      (await call('POST', '/api/projects/1/feature_flags', { key: 'short-lived' })).status,
    ).toBe(201);
  });

  it('serves definitions for local evaluation at both paths, with an ETag and 304', async () => {
    const path = `/flags/definitions?token=${TOKEN}&send_cohorts`;
    const first = await call('GET', path);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f]{40}"$/);
    const flags = first.json.flags as Array<{ key: string; filters: unknown; active: boolean }>;
    expect(flags.map((f) => f.key)).toContain('new-ticket-form');
    expect(first.json.group_type_mapping).toEqual({ '0': 'tenant' });
    expect(first.json.cohorts).toEqual({});
    const legacy = await call('GET', `/api/feature_flag/local_evaluation/?token=${TOKEN}`);
    expect(legacy.json).toEqual(first.json);

    const again = await call('GET', path, undefined, { 'if-none-match': etag ?? '' });
    expect(again.status).toBe(304);
    // Any change to a flag changes the payload, hence the ETag.
    await call('POST', '/api/projects/1/feature_flags', { key: 'later', filters: rollout(1) });
    const changed = await call('GET', path, undefined, { 'if-none-match': etag ?? '' });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('asks a personal API key that can read the token project for definitions', async () => {
    const path = `/flags/definitions?token=${TOKEN}`;
    expect((await call('GET', path, undefined, { authorization: '' })).status).toBe(401);
    expect((await call('GET', path, undefined, { authorization: `Bearer ${TOKEN}` })).status).toBe(
      401,
    );
    expect((await call('GET', '/flags/definitions?token=phc_nobody_at_all_001')).status).toBe(401);
  });
});
