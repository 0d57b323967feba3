// Who an insight counts: a person (events joined to persons through person_distinct_ids at read
// time, so merges apply retroactively; personless events count their distinct id), or a group
// key (`group_N` on the event; events without one are not counted).

export type Actor =
  | { readonly kind: 'person' }
  | { readonly kind: 'group'; readonly index: number };

export const PERSON: Actor = Object.freeze({ kind: 'person' });

export function actorFor(aggregationGroupTypeIndex: number | null | undefined): Actor {
  return aggregationGroupTypeIndex === null || aggregationGroupTypeIndex === undefined
    ? PERSON
    : { kind: 'group', index: aggregationGroupTypeIndex };
}
