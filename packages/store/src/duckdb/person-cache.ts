import type { IdentityChange } from '../types.js';
import {
  type IdentityPlan,
  idKey,
  type LoadedIdentity,
  type LoadedPerson,
  personKey,
} from './identity-plan.js';

/**
 * Persons of recently seen distinct ids, in memory, so a batch of known users needs no lookup:
 * a lookup scans `person_distinct_ids` (milliseconds per commit at 1M ids), which would cost
 * more than the events themselves at small commits. Coherent because this process is the only
 * writer (one instance per file) and entries change only after a COMMIT succeeds. Bounded:
 * least recently used persons are dropped past `maxPersons`.
 */
export interface PersonCache {
  /**
   * The cached person of one distinct id, or undefined when it is not cached (which says
   * nothing about the database). Does not mark it recently used.
   */
  peek(projectId: number, distinctId: string): LoadedPerson | undefined;
  /** What the cache knows about `keys`; `missing` must be read from the database. */
  lookup(keys: ReadonlyArray<{ projectId: number; distinctId: string }>): {
    found: LoadedIdentity;
    missing: Array<{ projectId: number; distinctId: string }>;
  };
  /**
   * Records the state after a committed batch: what was read from the database for it, then
   * what it changed. Call only after COMMIT succeeded.
   */
  commit(loaded: LoadedIdentity, plan: IdentityPlan): void;
  /**
   * Whether `change` would change nothing: a bare `person_seen` (no `$set`, `$set_once`,
   * `$unset`) of a cached distinct id, at or after its person's creation. Whatever else its
   * batch does, it stays a no-op (a merge keeps the earlier creation of the two persons), so
   * the batch need not load or plan it; most events of known users are this. Marks the person
   * recently used.
   */
  isNoOp(change: IdentityChange): boolean;
  readonly size: number;
}

interface Entry {
  person: LoadedPerson;
  readonly distinctKeys: Set<string>;
}

export function createPersonCache(maxPersons: number): PersonCache {
  const byDistinctId = new Map<string, Entry>();
  // Map order is recency order: a touched entry is deleted and set again.
  const persons = new Map<string, Entry>();

  function drop(key: string): void {
    const entry = persons.get(key);
    if (entry === undefined) return;
    for (const distinctKey of entry.distinctKeys) byDistinctId.delete(distinctKey);
    persons.delete(key);
  }

  return {
    peek(projectId, distinctId) {
      return byDistinctId.get(idKey(projectId, distinctId))?.person;
    },
    lookup(keys) {
      const found = new Map<string, LoadedPerson>();
      const distinctIds: Array<{ projectId: number; distinctId: string; personId: string }> = [];
      const missing: Array<{ projectId: number; distinctId: string }> = [];
      for (const key of keys) {
        const entry = byDistinctId.get(idKey(key.projectId, key.distinctId));
        if (entry === undefined) {
          missing.push(key);
          continue;
        }
        found.set(touch(entry), entry.person);
        distinctIds.push({ ...key, personId: entry.person.id });
      }
      return { found: { persons: [...found.values()], distinctIds }, missing };
    },
    commit(loaded, plan) {
      for (const person of loaded.persons) put(person);
      for (const link of loaded.distinctIds) attach(link);
      // A merged-away person's other ids were repointed in the database only: forget them.
      for (const deleted of plan.deletePersons) drop(personKey(deleted.projectId, deleted.id));
      for (const person of plan.persons) put(person);
      for (const link of plan.links) attach(link);
      for (const key of persons.keys()) {
        if (persons.size <= maxPersons) break;
        drop(key);
      }
    },
    isNoOp(change) {
      if (
        change.kind !== 'person_seen' ||
        change.set !== undefined ||
        change.setOnce !== undefined ||
        change.unset !== undefined
      )
        return false;
      const entry = byDistinctId.get(idKey(change.projectId, change.distinctId));
      if (entry === undefined || change.atMs < entry.person.createdAtMs) return false;
      touch(entry);
      return true;
    },
    get size() {
      return persons.size;
    },
  };

  /** Marks the entry most recently used; returns its person key. */
  function touch(entry: Entry): string {
    const key = personKey(entry.person.projectId, entry.person.id);
    persons.delete(key);
    persons.set(key, entry);
    return key;
  }

  function put(person: LoadedPerson): void {
    const key = personKey(person.projectId, person.id);
    const entry = persons.get(key) ?? { person, distinctKeys: new Set<string>() };
    entry.person = person;
    persons.delete(key);
    persons.set(key, entry);
  }

  function attach(link: { projectId: number; distinctId: string; personId: string }): void {
    const distinctKey = idKey(link.projectId, link.distinctId);
    const entry = persons.get(personKey(link.projectId, link.personId));
    if (entry === undefined) return;
    const previous = byDistinctId.get(distinctKey);
    if (previous !== undefined && previous !== entry) previous.distinctKeys.delete(distinctKey);
    byDistinctId.set(distinctKey, entry);
    entry.distinctKeys.add(distinctKey);
  }
}
