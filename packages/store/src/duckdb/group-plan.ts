import type { IdentityChange } from '../types.js';

// `$groupidentify` for one batch, like identity-plan.ts for persons: load the groups the batch
// names, apply the changes in order in memory, write inserts and updates set-based.

type GroupSet = Extract<IdentityChange, { kind: 'group_set' }>;

export interface GroupRow {
  readonly projectId: number;
  readonly groupTypeIndex: number;
  readonly groupKey: string;
  /** JSON text. */
  readonly properties: string;
  readonly createdAtMs: number;
}

export interface GroupPlan {
  readonly insert: GroupRow[];
  readonly update: GroupRow[];
}

/** The in-memory key of a group (group plans, the store's group cache). */
export const groupKey = (projectId: number, index: number, key: string): string =>
  `${projectId}/${index}/${key}`;

export function groupKeys(
  changes: readonly IdentityChange[],
): Array<{ projectId: number; groupTypeIndex: number; groupKey: string }> {
  const keys = new Map<string, { projectId: number; groupTypeIndex: number; groupKey: string }>();
  for (const change of changes)
    if (change.kind === 'group_set')
      keys.set(groupKey(change.projectId, change.groupTypeIndex, change.groupKey), {
        projectId: change.projectId,
        groupTypeIndex: change.groupTypeIndex,
        groupKey: change.groupKey,
      });
  return [...keys.values()];
}

/** `set` overwrites (a group has no `$set_once`); `created_at` is the earliest change. */
export function planGroups(
  changes: readonly IdentityChange[],
  loaded: ReadonlyArray<{
    projectId: number;
    groupTypeIndex: number;
    groupKey: string;
    properties: Record<string, unknown>;
    createdAtMs: number;
  }>,
): GroupPlan {
  interface State {
    row: Omit<GroupRow, 'properties' | 'createdAtMs'>;
    properties: Record<string, unknown>;
    createdAtMs: number;
    isStored: boolean;
    isDirty: boolean;
  }
  const groups = new Map<string, State>();
  for (const group of loaded)
    groups.set(groupKey(group.projectId, group.groupTypeIndex, group.groupKey), {
      row: group,
      properties: Object.assign(Object.create(null), group.properties),
      createdAtMs: group.createdAtMs,
      isStored: true,
      isDirty: false,
    });
  for (const change of changes) {
    if (change.kind !== 'group_set') continue;
    const key = groupKey(change.projectId, change.groupTypeIndex, change.groupKey);
    let state = groups.get(key);
    if (state === undefined) {
      state = {
        row: change,
        properties: Object.create(null),
        createdAtMs: change.atMs,
        isStored: false,
        isDirty: true,
      };
      groups.set(key, state);
    }
    applySet(state, change);
  }
  const rows = (states: State[]): GroupRow[] =>
    states.map((state) => ({
      projectId: state.row.projectId,
      groupTypeIndex: state.row.groupTypeIndex,
      groupKey: state.row.groupKey,
      properties: JSON.stringify(state.properties),
      createdAtMs: state.createdAtMs,
    }));
  const all = [...groups.values()];
  return {
    insert: rows(all.filter((state) => !state.isStored)),
    update: rows(all.filter((state) => state.isStored && state.isDirty)),
  };

  function applySet(state: State, change: GroupSet): void {
    if (change.atMs < state.createdAtMs) {
      state.createdAtMs = change.atMs;
      state.isDirty = true;
    }
    for (const [key, value] of Object.entries(change.set)) {
      if (value === undefined) continue;
      const current = state.properties[key];
      if (Object.hasOwn(state.properties, key) && JSON.stringify(current) === JSON.stringify(value))
        continue;
      state.properties[key] = value;
      state.isDirty = true;
    }
  }
}
