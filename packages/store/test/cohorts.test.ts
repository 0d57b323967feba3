import { describe, expect, it } from 'vitest';
import { T0, useStores } from './helpers.js';

const filters = {
  properties: {
    type: 'AND',
    values: [{ type: 'person', key: 'plan', operator: 'exact', value: 'pro' }],
  },
};

describe('DuckDB cohort store', () => {
  const openStore = useStores();

  it('creates, lists, updates and deletes cohorts within their project only', async () => {
    const { metadata } = await openStore();
    const a = await metadata.createProject({ name: 'a', token: 'phc_a' });
    const b = await metadata.createProject({ name: 'b', token: 'phc_b' });
    const pro = await metadata.createCohort({
      projectId: a.id,
      name: 'Pro users',
      description: '',
      isStatic: false,
      filters,
    });
    expect(pro).toEqual({
      id: 1,
      projectId: a.id,
      name: 'Pro users',
      description: '',
      isStatic: false,
      filters,
      createdAt: new Date(T0).toISOString(),
      updatedAt: new Date(T0).toISOString(),
    });
    expect(await metadata.getCohort(a.id, pro.id)).toEqual(pro);
    expect(await metadata.getCohort(b.id, pro.id)).toBeUndefined();
    expect(await metadata.listCohorts(b.id)).toEqual([]);
    expect(await metadata.updateCohort(b.id, pro.id, { name: 'x' })).toBeUndefined();
    expect(await metadata.deleteCohort(b.id, pro.id)).toBe(false);

    const renamed = await metadata.updateCohort(a.id, pro.id, { name: 'Pro', description: 'd' });
    expect(renamed).toMatchObject({ name: 'Pro', description: 'd', filters });
    expect((await metadata.listCohorts(a.id)).map((c) => c.name)).toEqual(['Pro']);
    expect(await metadata.deleteCohort(a.id, pro.id)).toBe(true);
    expect(await metadata.getCohort(a.id, pro.id)).toBeUndefined();
  });

  it('keeps a static list, deduplicated, and replaces it whole', async () => {
    const { metadata } = await openStore();
    const project = await metadata.createProject({ name: 'a', token: 'phc_a' });
    const list = await metadata.createCohort({
      projectId: project.id,
      name: 'Pilot',
      description: '',
      isStatic: true,
      filters: null,
      members: { personIds: [], distinctIds: ['u2', 'u1', 'u2'] },
    });
    expect(list.filters).toBeNull();
    expect(await metadata.getCohortMembers(project.id, list.id)).toEqual({
      personIds: [],
      distinctIds: ['u1', 'u2'],
    });
    await metadata.updateCohort(project.id, list.id, {
      members: { personIds: ['p-1'], distinctIds: ['u2'] },
    });
    expect(await metadata.getCohortMembers(project.id, list.id)).toEqual({
      personIds: ['p-1'],
      distinctIds: ['u2'],
    });
    expect(await metadata.getCohortMembers(project.id + 1, list.id)).toEqual({
      personIds: [],
      distinctIds: [],
    });
    await metadata.deleteCohort(project.id, list.id);
    expect(await metadata.getCohortMembers(project.id, list.id)).toEqual({
      personIds: [],
      distinctIds: [],
    });
  });
});
