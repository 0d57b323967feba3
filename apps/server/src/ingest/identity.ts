import type { IdentityChange } from '@tally/store';

/** The protocol events that carry identity, not product usage: never "uncatalogued". */
export const IDENTITY_EVENTS = new Set([
  '$identify',
  '$create_alias',
  '$groupidentify',
  '$set',
  '$merge_dangerously',
]);

export interface IdentityInput {
  readonly projectId: number;
  readonly event: string;
  readonly distinctId: string;
  readonly properties: Readonly<Record<string, unknown>>;
  readonly set: Readonly<Record<string, unknown>> | undefined;
  readonly setOnce: Readonly<Record<string, unknown>> | undefined;
  readonly atMs: number;
  readonly processPerson: boolean;
  /** Already-scrubbed ids from the properties (anon id, alias). */
  readonly anonDistinctId: string | undefined;
  readonly alias: string | undefined;
  /** `$groupidentify`: the group's type index (undefined when all 5 types are taken). */
  readonly group:
    | {
        readonly index: number | undefined;
        readonly key: string | undefined;
        readonly set: Record<string, unknown>;
      }
    | undefined;
}

/**
 * Derives the person and group changes an event implies, in PostHog's terms: every personful
 * event makes sure its distinct id has a person and applies `$set`/`$set_once`/`$unset`;
 * `$identify` with `$anon_distinct_id` and `$create_alias` merge two ids into one person;
 * `$groupidentify` sets group properties.
 */
export function identityChanges(input: IdentityInput): IdentityChange[] {
  const changes: IdentityChange[] = [];
  const { projectId, distinctId, atMs } = input;
  if (input.event === '$groupidentify') {
    if (input.group?.index !== undefined && input.group.key !== undefined) {
      changes.push({
        kind: 'group_set',
        projectId,
        groupTypeIndex: input.group.index,
        groupKey: input.group.key,
        set: input.group.set,
        atMs,
      });
    }
    return changes;
  }
  if (!input.processPerson) return changes;
  const unset = input.properties.$unset;
  changes.push({
    kind: 'person_seen',
    projectId,
    distinctId,
    ...(input.set === undefined ? {} : { set: input.set }),
    ...(input.setOnce === undefined ? {} : { setOnce: input.setOnce }),
    ...(Array.isArray(unset)
      ? { unset: unset.filter((u): u is string => typeof u === 'string') }
      : {}),
    atMs,
  });
  const other =
    input.event === '$identify'
      ? input.anonDistinctId
      : input.event === '$create_alias'
        ? input.alias
        : undefined;
  if (other !== undefined && other !== distinctId) {
    changes.push({ kind: 'merge', projectId, distinctId, otherId: other, atMs });
  }
  return changes;
}
