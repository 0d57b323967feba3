import { describe, expect, it } from 'vitest';
import { T0, useStores } from './helpers.js';

describe('DuckDB metadata store', () => {
  const openStore = useStores();

  it('creates projects with increasing ids, found by id and by token', async () => {
    const store = await openStore();
    const first = await store.metadata.createProject({
      name: 'PSA',
      token: 'phc_first_project_token',
    });
    const second = await store.metadata.createProject({
      name: 'Other',
      token: 'phc_other',
      timezone: 'Europe/Berlin',
    });
    expect(first).toEqual({
      id: 1,
      name: 'PSA',
      token: 'phc_first_project_token',
      isStrict: false,
      timezone: 'UTC',
      createdAt: new Date(T0).toISOString(),
      testAccountFilters: [],
    });
    expect(second).toMatchObject({ id: 2, timezone: 'Europe/Berlin' });
    expect(await store.metadata.getProject(2)).toEqual(second);
    expect(await store.metadata.getProjectByToken('phc_first_project_token')).toEqual(first);
    expect(await store.metadata.getProjectByToken('phc_unknown')).toBeUndefined();
    expect((await store.metadata.listProjects()).map((p) => p.id)).toEqual([1, 2]);
  });

  it('refuses a duplicate token with conflict and an unknown time zone with invalid_input', async () => {
    const store = await openStore();
    await store.metadata.createProject({ name: 'a', token: 'phc_same' });
    await expect(
      store.metadata.createProject({ name: 'b', token: 'phc_same' }),
    ).rejects.toMatchObject({ code: 'conflict', status: 409 });
    await expect(
      store.metadata.createProject({ name: 'c', token: 'phc_c', timezone: 'Mars/Olympus' }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });

  it("updates a project's name, time zone, strict mode and test-account filters", async () => {
    const store = await openStore();
    const project = await store.metadata.createProject({ name: 'a', token: 'phc_strict' });
    expect(project.testAccountFilters).toEqual([]);
    const filters = [{ type: 'person', key: 'email', operator: 'not_icontains', value: '@v.io' }];
    const updated = await store.metadata.updateProject(project.id, {
      isStrict: true,
      testAccountFilters: filters,
    });
    expect(updated).toEqual({ ...project, isStrict: true, testAccountFilters: filters });
    const renamed = await store.metadata.updateProject(project.id, {
      name: 'b',
      timezone: 'Europe/Berlin',
    });
    expect(renamed).toEqual({ ...updated, name: 'b', timezone: 'Europe/Berlin' });
    expect(await store.metadata.getProject(project.id)).toEqual(renamed);
    expect(await store.metadata.updateProject(project.id, {})).toEqual(renamed);
    expect(await store.metadata.updateProject(99, { isStrict: true })).toBeUndefined();
    await expect(
      store.metadata.updateProject(project.id, { timezone: 'Mars/Olympus' }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('stores personal API keys hashed and resolves them to their projects', async () => {
    const store = await openStore();
    await store.metadata.createApiKey({
      key: 'phx_reader_key_for_1_and_2',
      label: 'ci',
      projectIds: [1, 2],
    });
    await store.metadata.createApiKey({ key: 'phx_admin_key', label: 'admin', projectIds: 'all' });
    expect(await store.metadata.resolveApiKey('phx_reader_key_for_1_and_2')).toEqual({
      projectIds: [1, 2],
    });
    expect(await store.metadata.resolveApiKey('phx_admin_key')).toEqual({ projectIds: 'all' });
    expect(await store.metadata.resolveApiKey('phx_reader_key_for_1_and_')).toBeUndefined();
    await expect(
      store.metadata.createApiKey({ key: 'phx_admin_key', label: 'again', projectIds: 'all' }),
    ).rejects.toMatchObject({
      code: 'conflict',
    });
  });

  it('verifies user passwords (emails case-insensitive) and never stores them in clear', async () => {
    const store = await openStore();
    await store.metadata.createUser({
      email: 'Admin@Example.test',
      password: 'hunter2-but-longer',
    });
    expect(await store.metadata.verifyUser('admin@example.test', 'hunter2-but-longer')).toBe(true);
    expect(await store.metadata.verifyUser('admin@example.test', 'wrong')).toBe(false);
    expect(await store.metadata.verifyUser('nobody@example.test', 'hunter2-but-longer')).toBe(
      false,
    );
    await expect(
      store.metadata.createUser({ email: 'admin@example.test', password: 'x' }),
    ).rejects.toMatchObject({
      code: 'conflict',
    });
  });

  it('pre-seeds tenant as group type 0 and assigns the next free index on first sight', async () => {
    const store = await openStore();
    const { id } = await store.metadata.createProject({ name: 'a', token: 'phc_groups' });
    expect(await store.metadata.groupTypes(id)).toEqual([{ index: 0, groupType: 'tenant' }]);
    expect(await store.metadata.groupTypeIndex(id, 'tenant')).toBe(0);
    expect(await store.metadata.groupTypeIndex(id, 'board')).toBe(1);
    expect(await store.metadata.groupTypeIndex(id, 'board')).toBe(1);
    const assigned = await Promise.all(
      ['team', 'region', 'plan', 'overflow'].map((t) => store.metadata.groupTypeIndex(id, t)),
    );
    expect(assigned).toEqual([2, 3, 4, undefined]);
    expect((await store.metadata.groupTypes(id)).map((g) => g.groupType)).toEqual([
      'tenant',
      'board',
      'team',
      'region',
      'plan',
    ]);
  });

  it('adds to ingestion counters per project, kind and name', async () => {
    const store = await openStore();
    await store.metadata.addCounters(1, [
      { kind: 'uncatalogued', name: '$pageview', count: 2 },
      { kind: 'uncatalogued', name: '$pageview', count: 3 },
      { kind: 'violation', name: 'ticket_created', count: 1 },
    ]);
    await store.metadata.addCounters(1, [{ kind: 'uncatalogued', name: '$pageview', count: 10 }]);
    await store.metadata.addCounters(2, [{ kind: 'dropped', name: 'x', count: 1 }]);
    expect(await store.metadata.getCounters(1)).toEqual([
      { kind: 'uncatalogued', name: '$pageview', count: 15 },
      { kind: 'violation', name: 'ticket_created', count: 1 },
    ]);
    await expect(
      store.metadata.addCounters(1, [{ kind: 'k', name: 'n', count: -1 }]),
    ).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });
});
