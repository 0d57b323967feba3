// Reads by key kept in memory, for the reads a flag decision makes on every call (the caller's
// tenant; that a caller has no person). Read-through: a miss loads from the database and keeps
// the answer when `keeps` says so, unless a write forgot any key while it loaded. Each append
// forgets the keys its changes name, after its commit (event-store.ts). Bounded: the least
// recently read go first.

export interface ReadThroughCache<V> {
  read(key: string, load: () => Promise<V>): Promise<V>;
  /** Forgets these keys; call once the write that changed them is committed (or failed). */
  forget(keys: Iterable<string>): void;
  readonly size: number;
}

/**
 * @example
 * const groups = createReadThroughCache<Group | undefined>(10_000, (g) => g?.groupType !== '', copy);
 * await groups.read('1/0/acme', () => loadGroup(1, 0, 'acme'));
 */
export function createReadThroughCache<V>(
  maxEntries: number,
  keeps: (value: V) => boolean,
  /** What a caller gets: its own copy, so changing it cannot change the cache. */
  copy: (value: V) => V = (value) => value,
): ReadThroughCache<V> {
  // Map order is recency order: a read entry is deleted and set again.
  const entries = new Map<string, V>();
  let generation = 0;
  return {
    async read(key, load) {
      if (entries.has(key)) {
        const value = entries.get(key) as V;
        entries.delete(key);
        entries.set(key, value);
        return copy(value);
      }
      const before = generation;
      const value = await load();
      if (before === generation && maxEntries > 0 && keeps(value)) {
        entries.set(key, value);
        for (const oldest of entries.keys()) {
          if (entries.size <= maxEntries) break;
          entries.delete(oldest);
        }
      }
      return copy(value);
    },
    forget(keys) {
      let any = false;
      for (const key of keys) {
        entries.delete(key);
        any = true;
      }
      if (any) generation += 1;
    },
    get size() {
      return entries.size;
    },
  };
}
