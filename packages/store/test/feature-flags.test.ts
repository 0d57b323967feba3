import { describe, expect, it } from 'vitest';
import { T0, useStores } from './helpers.js';

const filters = {
  groups: [{ properties: [], rollout_percentage: 20 }],
  aggregation_group_type_index: 0,
};

describe('DuckDB feature flag store', () => {
  const openStore = useStores();

  it('creates, reads, lists and updates flags within their project only', async () => {
    const { metadata } = await openStore();
    const a = await metadata.createProject({ name: 'a', token: 'phc_a' });
    const b = await metadata.createProject({ name: 'b', token: 'phc_b' });
    const form = await metadata.createFeatureFlag({
      projectId: a.id,
      key: 'new-ticket-form',
      name: 'New ticket form',
      active: true,
      ensureExperienceContinuity: false,
      filters,
    });
    expect(form).toEqual({
      id: 1,
      projectId: a.id,
      key: 'new-ticket-form',
      name: 'New ticket form',
      active: true,
      deleted: false,
      ensureExperienceContinuity: false,
      filters,
      version: 1,
      createdAt: new Date(T0).toISOString(),
      updatedAt: new Date(T0).toISOString(),
    });
    expect(await metadata.getFeatureFlag(a.id, form.id)).toEqual(form);
    expect(await metadata.getFeatureFlag(b.id, form.id)).toBeUndefined();
    expect(await metadata.listFeatureFlags(b.id)).toEqual([]);
    expect(await metadata.updateFeatureFlag(b.id, form.id, { active: false })).toBeUndefined();

    const off = await metadata.updateFeatureFlag(a.id, form.id, {
      active: false,
      filters: { groups: [] },
    });
    expect(off).toMatchObject({ active: false, filters: { groups: [] }, version: 2 });
    expect(await metadata.listFeatureFlags(a.id)).toEqual([off]);
  });

  it('keeps a key unique among live flags; a deleted flag frees its key and stays listed on request', async () => {
    const { metadata } = await openStore();
    const a = await metadata.createProject({ name: 'a', token: 'phc_a' });
    const b = await metadata.createProject({ name: 'b', token: 'phc_b' });
    const input = {
      projectId: a.id,
      key: 'beta',
      name: '',
      active: true,
      ensureExperienceContinuity: false,
      filters,
    };
    const first = await metadata.createFeatureFlag(input);
    await expect(metadata.createFeatureFlag(input)).rejects.toMatchObject({ code: 'conflict' });
    // Another project may use the key.
    await metadata.createFeatureFlag({ ...input, projectId: b.id });
    const other = await metadata.createFeatureFlag({ ...input, key: 'gamma' });
    await expect(metadata.updateFeatureFlag(a.id, other.id, { key: 'beta' })).rejects.toMatchObject(
      { code: 'conflict' },
    );
    await metadata.updateFeatureFlag(a.id, first.id, { deleted: true });
    const second = await metadata.createFeatureFlag(input);
    expect((await metadata.listFeatureFlags(a.id)).map((f) => f.id)).toEqual([other.id, second.id]);
    expect(
      (await metadata.listFeatureFlags(a.id, { includeDeleted: true })).map((f) => f.id),
    ).toEqual([first.id, other.id, second.id]);
    // Bringing the deleted one back would duplicate the key.
    await expect(
      metadata.updateFeatureFlag(a.id, first.id, { deleted: false }),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect((await metadata.getFeatureFlag(a.id, first.id))?.deleted).toBe(true);
  });
});
