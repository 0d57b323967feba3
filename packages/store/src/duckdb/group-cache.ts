import type { Group, IdentityChange } from '../types.js';

// Groups (tenants) read by key, kept in memory: a flag decision reads the caller's tenant on
// every call. Read-through: a miss loads from the database and keeps the answer (a missing group
// too), unless a write forgot any group while it loaded. Every append forgets the groups its
// `$groupidentify` changes name, after its commit. Bounded: the least recently read go first.

export interface GroupCache {
  read(
    projectId: number,
    groupTypeIndex: number,
    groupKey: string,
    load: () => Promise<Group | undefined>,
  ): Promise<Group | undefined>;
  /** Forgets the groups `changes` set; call once they are committed (or failed). */
  forget(changes: readonly IdentityChange[]): void;
  readonly size: number;
}

const keyOf = (projectId: number, index: number, key: string): string =>
  `${projectId}/${index}/${key}`;

export function createGroupCache(maxGroups: number): GroupCache {
  // Map order is recency order: a read entry is deleted and set again.
  const groups = new Map<string, Group | undefined>();
  let generation = 0;
  return {
    async read(projectId, groupTypeIndex, groupKey, load) {
      const key = keyOf(projectId, groupTypeIndex, groupKey);
      if (groups.has(key)) {
        const group = groups.get(key);
        groups.delete(key);
        groups.set(key, group);
        return copy(group);
      }
      const before = generation;
      const group = await load();
      // A group whose type has no name yet is not kept: the name comes with a later commit.
      if (before === generation && maxGroups > 0 && group?.groupType !== '') {
        groups.set(key, group);
        for (const oldest of groups.keys()) {
          if (groups.size <= maxGroups) break;
          groups.delete(oldest);
        }
      }
      return copy(group);
    },
    forget(changes) {
      let any = false;
      for (const change of changes) {
        if (change.kind !== 'group_set') continue;
        groups.delete(keyOf(change.projectId, change.groupTypeIndex, change.groupKey));
        any = true;
      }
      if (any) generation += 1;
    },
    get size() {
      return groups.size;
    },
  };
}

/** What a caller gets: its own object, so changing it cannot change the cache. */
function copy(group: Group | undefined): Group | undefined {
  return group === undefined ? undefined : { ...group, properties: { ...group.properties } };
}
