import { describe, expect, it } from 'vitest';
import { T0, useStores } from './helpers.js';

const parameters = {
  feature_flag_variants: [
    { key: 'control', rollout_percentage: 50 },
    { key: 'test', rollout_percentage: 50 },
  ],
};
const metrics = [{ kind: 'proportion', event: 'ticket_created' }];

describe('DuckDB experiment store', () => {
  const openStore = useStores();

  it('creates, reads, lists and updates experiments within their project only', async () => {
    const { metadata } = await openStore();
    const a = await metadata.createProject({ name: 'a', token: 'phc_a' });
    const b = await metadata.createProject({ name: 'b', token: 'phc_b' });
    const input = {
      projectId: a.id,
      name: 'New ticket form',
      description: 'faster resolution?',
      featureFlagId: 7,
      parameters,
      metrics,
    };
    const created = await metadata.createExperiment(input);
    expect(created).toEqual({
      ...input,
      id: 1,
      startDate: null,
      endDate: null,
      archived: false,
      createdAt: new Date(T0).toISOString(),
      updatedAt: new Date(T0).toISOString(),
    });
    expect(await metadata.getExperiment(a.id, created.id)).toEqual(created);
    expect(await metadata.getExperiment(b.id, created.id)).toBeUndefined();
    expect(await metadata.listExperiments(b.id)).toEqual([]);
    expect(await metadata.updateExperiment(b.id, created.id, { name: 'x' })).toBeUndefined();

    const start = Date.parse('2026-03-03T10:00:00.000Z');
    const started = await metadata.updateExperiment(a.id, created.id, {
      startMs: start,
      metrics: [...metrics, { kind: 'count', event: 'ticket_resolved' }],
    });
    expect(started).toMatchObject({
      startDate: new Date(start).toISOString(),
      endDate: null,
      metrics: [metrics[0], { kind: 'count', event: 'ticket_resolved' }],
    });
    const stopped = await metadata.updateExperiment(a.id, created.id, {
      endMs: start + 1000,
      archived: true,
    });
    expect(stopped).toMatchObject({
      endDate: new Date(start + 1000).toISOString(),
      archived: true,
    });
    const reopened = await metadata.updateExperiment(a.id, created.id, { endMs: null });
    expect(reopened?.endDate).toBeNull();
    expect((await metadata.listExperiments(a.id)).map((e) => e.id)).toEqual([created.id]);
  });
});
