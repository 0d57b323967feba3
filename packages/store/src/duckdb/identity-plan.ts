import type { IdentityChange } from '../types.js';
import { bag, set, setOnce, unset } from './person-properties.js';

// Person resolution for one batch, in memory and in change order: the store loads the persons
// of every distinct id the batch mentions, this plans the changes, and identity-sql.ts writes
// the plan with a handful of set-based statements (one per kind of write, not per change).

export interface LoadedPerson {
  readonly projectId: number;
  readonly id: string;
  readonly properties: Record<string, unknown>;
  readonly isIdentified: boolean;
  readonly createdAtMs: number;
}

export interface LoadedIdentity {
  readonly distinctIds: ReadonlyArray<{ projectId: number; distinctId: string; personId: string }>;
  readonly persons: readonly LoadedPerson[];
}

export interface PersonRow {
  readonly projectId: number;
  readonly id: string;
  /** JSON text. */
  readonly properties: string;
  readonly isIdentified: boolean;
  readonly createdAtMs: number;
}

export interface IdentityPlan {
  readonly insertPersons: PersonRow[];
  readonly updatePersons: PersonRow[];
  readonly deletePersons: Array<{ projectId: number; id: string }>;
  readonly insertDistinctIds: Array<{ projectId: number; distinctId: string; personId: string }>;
  /** Every stored distinct id of `fromId` now belongs to `toId` (chains already collapsed). */
  readonly repoints: Array<{ projectId: number; fromId: string; toId: string }>;
  /** Positions in `changes` of merges refused because both persons were identified. */
  readonly refusedMergeIndexes: number[];
  /** Persons the batch created or changed, as they are after it (for the person cache). */
  readonly persons: LoadedPerson[];
  /** Distinct ids the batch attached or moved, with their person after it. */
  readonly links: Array<{ projectId: number; distinctId: string; personId: string }>;
}

type PersonChange = Extract<IdentityChange, { kind: 'person_seen' | 'merge' }>;

interface PersonState {
  readonly projectId: number;
  readonly id: string;
  properties: Record<string, unknown>;
  /** `properties` is the loaded (cached) object: copy before the first write. */
  isShared: boolean;
  isIdentified: boolean;
  createdAtMs: number;
  readonly isStored: boolean;
  isDirty: boolean;
  isDeleted: boolean;
}

/** The in-memory key of a distinct id (identity plans, the person cache, the store's caches). */
export const idKey = (projectId: number, distinctId: string): string =>
  `${projectId}/${distinctId}`;
/** The in-memory key of a person. */
export const personKey = (projectId: number, id: string): string => `${projectId}/${id}`;

/** The (project, distinct id) pairs whose persons the plan needs loaded. */
export function identityKeys(
  changes: readonly IdentityChange[],
): Array<{ projectId: number; distinctId: string }> {
  const keys = new Map<string, { projectId: number; distinctId: string }>();
  const add = (projectId: number, distinctId: string): void => {
    keys.set(idKey(projectId, distinctId), { projectId, distinctId });
  };
  for (const change of changes) {
    if (change.kind === 'group_set') continue;
    add(change.projectId, change.distinctId);
    if (change.kind === 'merge') add(change.projectId, change.otherId);
  }
  return [...keys.values()];
}

/**
 * Applies `person_seen` and `merge` changes in order. Rules (PostHog's): `$set_once` fills
 * missing keys, then `$set` overwrites, then `$unset` removes; a person's `created_at` is its
 * earliest change. A merge attaches `otherId` to `distinctId`'s person, creating one person for
 * both when neither has one; the person becomes identified. Two different persons merge
 * (`distinctId`'s properties win, the other's history follows its distinct ids) unless both are
 * identified, which is refused and reported.
 */
export function planIdentity(
  changes: readonly IdentityChange[],
  loaded: LoadedIdentity,
  newPersonId: () => string,
): IdentityPlan {
  const persons = new Map<string, PersonState>();
  const owner = new Map<string, PersonState>();
  const movedIds = new Map<string, { projectId: number; distinctId: string }>();
  const seenIds = new Map<string, { projectId: number; distinctId: string }>();
  const newDistinctIds = new Map<string, { projectId: number; distinctId: string }>();
  const repoints = new Map<string, { from: PersonState; to: PersonState }>();
  const refusedMergeIndexes: number[] = [];

  for (const person of loaded.persons)
    persons.set(personKey(person.projectId, person.id), {
      projectId: person.projectId,
      id: person.id,
      properties: person.properties,
      isIdentified: person.isIdentified,
      createdAtMs: person.createdAtMs,
      isShared: true,
      isStored: true,
      isDirty: false,
      isDeleted: false,
    });
  for (const link of loaded.distinctIds) {
    const person = persons.get(personKey(link.projectId, link.personId));
    if (person === undefined) continue;
    const key = idKey(link.projectId, link.distinctId);
    owner.set(key, person);
    seenIds.set(key, link);
  }

  function create(projectId: number, atMs: number): PersonState {
    const id = newPersonId();
    const person: PersonState = {
      projectId,
      id,
      properties: bag(),
      isShared: false,
      isIdentified: false,
      createdAtMs: atMs,
      isStored: false,
      isDirty: true,
      isDeleted: false,
    };
    persons.set(personKey(projectId, id), person);
    return person;
  }

  function attach(projectId: number, distinctId: string, person: PersonState): void {
    const key = idKey(projectId, distinctId);
    owner.set(key, person);
    newDistinctIds.set(key, { projectId, distinctId });
    seenIds.set(key, { projectId, distinctId });
    movedIds.set(key, { projectId, distinctId });
  }

  function seen(person: PersonState, atMs: number): void {
    if (atMs < person.createdAtMs) {
      person.createdAtMs = atMs;
      person.isDirty = true;
    }
  }

  function identify(person: PersonState): void {
    if (person.isIdentified) return;
    person.isIdentified = true;
    person.isDirty = true;
  }

  function mergeInto(from: PersonState, to: PersonState): void {
    to.properties = bag(from.properties, to.properties);
    to.isShared = false;
    to.createdAtMs = Math.min(to.createdAtMs, from.createdAtMs);
    to.isDirty = true;
    from.isDeleted = true;
    for (const [key, person] of owner)
      if (person === from) {
        owner.set(key, to);
        movedIds.set(key, seenIds.get(key) as { projectId: number; distinctId: string });
      }
    for (const repoint of repoints.values()) if (repoint.to === from) repoint.to = to;
    if (from.isStored) repoints.set(personKey(from.projectId, from.id), { from, to });
  }

  for (let index = 0; index < changes.length; index++) {
    const change = changes[index] as IdentityChange;
    if (change.kind === 'group_set') continue;
    if (change.kind === 'merge') {
      applyMerge(change, index);
      continue;
    }
    let person = owner.get(idKey(change.projectId, change.distinctId));
    if (person === undefined) {
      person = create(change.projectId, change.atMs);
      attach(change.projectId, change.distinctId, person);
    }
    seen(person, change.atMs);
    if (change.setOnce !== undefined) setOnce(person, change.setOnce);
    if (change.set !== undefined) set(person, change.set);
    if (change.unset !== undefined) unset(person, change.unset);
  }

  function applyMerge(change: Extract<PersonChange, { kind: 'merge' }>, index: number): void {
    const { projectId, distinctId, otherId, atMs } = change;
    const main = owner.get(idKey(projectId, distinctId));
    const other = owner.get(idKey(projectId, otherId));
    if (main === undefined && other === undefined) {
      const person = create(projectId, atMs);
      attach(projectId, distinctId, person);
      if (otherId !== distinctId) attach(projectId, otherId, person);
      identify(person);
    } else if (main === undefined && other !== undefined) {
      attach(projectId, distinctId, other);
      seen(other, atMs);
      identify(other);
    } else if (main !== undefined && other === undefined) {
      attach(projectId, otherId, main);
      seen(main, atMs);
      identify(main);
    } else if (main !== undefined && other !== undefined) {
      if (main !== other) {
        if (main.isIdentified && other.isIdentified) {
          refusedMergeIndexes.push(index);
          return;
        }
        mergeInto(other, main);
      }
      seen(main, atMs);
      identify(main);
    }
  }

  const live = [...persons.values()].filter((person) => !person.isDeleted);
  return {
    insertPersons: live.filter((person) => !person.isStored).map(toRow),
    updatePersons: live.filter((person) => person.isStored && person.isDirty).map(toRow),
    deletePersons: [...persons.values()]
      .filter((person) => person.isStored && person.isDeleted)
      .map(({ projectId, id }) => ({ projectId, id })),
    insertDistinctIds: [...newDistinctIds.entries()].map(([key, link]) => ({
      ...link,
      personId: (owner.get(key) as PersonState).id,
    })),
    repoints: [...repoints.values()].map(({ from, to }) => ({
      projectId: from.projectId,
      fromId: from.id,
      toId: to.id,
    })),
    refusedMergeIndexes,
    persons: live
      .filter((person) => person.isDirty)
      .map(({ projectId, id, properties, isIdentified, createdAtMs }) => ({
        projectId,
        id,
        properties,
        isIdentified,
        createdAtMs,
      })),
    links: [...movedIds.entries()].map(([key, link]) => ({
      ...link,
      personId: (owner.get(key) as PersonState).id,
    })),
  };
}

function toRow(person: PersonState): PersonRow {
  return {
    projectId: person.projectId,
    id: person.id,
    properties: JSON.stringify(person.properties),
    isIdentified: person.isIdentified,
    createdAtMs: person.createdAtMs,
  };
}
