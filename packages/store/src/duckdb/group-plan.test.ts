import { describe, expect, it } from 'vitest';
import type { IdentityChange } from '../types.js';
import { groupKeys, planGroups } from './group-plan.js';

const set = (key: string, props: Record<string, unknown>, atMs: number): IdentityChange => ({
  kind: 'group_set',
  projectId: 1,
  groupTypeIndex: 0,
  groupKey: key,
  set: props,
  atMs,
});

describe('planGroups', () => {
  it('creates a new group from its changes, later values winning', () => {
    const changes = [set('acme', { plan: 'free', seats: 3 }, 20), set('acme', { plan: 'pro' }, 10)];
    expect(groupKeys(changes)).toEqual([{ projectId: 1, groupTypeIndex: 0, groupKey: 'acme' }]);
    expect(planGroups(changes, [])).toEqual({
      insert: [
        {
          projectId: 1,
          groupTypeIndex: 0,
          groupKey: 'acme',
          properties: '{"plan":"pro","seats":3}',
          createdAtMs: 10,
        },
      ],
      update: [],
    });
  });

  it('updates a stored group only when something changed', () => {
    const loaded = [
      {
        projectId: 1,
        groupTypeIndex: 0,
        groupKey: 'acme',
        properties: { plan: 'pro' },
        createdAtMs: 5,
      },
    ];
    expect(planGroups([set('acme', { plan: 'pro' }, 9)], loaded).update).toEqual([]);
    expect(planGroups([set('acme', { plan: 'ent' }, 9)], loaded).update).toEqual([
      {
        projectId: 1,
        groupTypeIndex: 0,
        groupKey: 'acme',
        properties: '{"plan":"ent"}',
        createdAtMs: 5,
      },
    ]);
  });
});
