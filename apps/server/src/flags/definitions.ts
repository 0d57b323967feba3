import { createHash } from 'node:crypto';
import {
  type FlagDefinition,
  flagDefinitionSchema,
  type PropertyGroup,
  resolveFlagDependencies,
} from '@tally/flags';
import type { FeatureFlag, MetadataStore } from '@tally/store';

// The local-evaluation payload a server SDK polls (`/flags/definitions`,
// `/api/feature_flag/local_evaluation`): every live flag, the group type names, and the cohorts
// the flags' conditions name, as property groups an SDK can match. A cohort that needs events
// or a member list (behavioural, static) is left out: an SDK then cannot decide such a flag
// locally and asks the server (`/flags`), which can.

export interface Definitions {
  readonly flags: ReturnType<typeof definitionJson>[];
  readonly group_type_mapping: Record<string, string>;
  readonly cohorts: Record<string, unknown>;
}

/**
 * What evaluating a project's flags reads, in an SDK or on the server: the stored flags, the same
 * as the evaluator reads them (`flag` filters resolved to keys with their `dependency_chain`),
 * the group type names, and the cohorts that can be matched from properties.
 */
export interface FlagSetup {
  readonly stored: readonly FeatureFlag[];
  readonly flags: readonly FlagDefinition[];
  readonly groupTypeMapping: Readonly<Record<string, string>>;
  readonly cohorts: Readonly<Record<string, PropertyGroup>>;
  /**
   * What deciding the flags on the server reads: the caller's stored person (a person or cohort
   * filter anywhere), the stored groups of the types a group filter names, and the cohorts the
   * filters name. Remote evaluation skips the rest: a plain or tenant rollout reads nothing.
   */
  readonly reads: {
    readonly person: boolean;
    readonly groupIndexes: ReadonlySet<number>;
    readonly cohortIds: readonly number[];
  };
}

/**
 * The project's flag setup, kept per metadata store until a flag or cohort changes. Remote
 * evaluation reads it on every `/flags` call: rebuilding it (flags, group types, cohorts, zod
 * parse, dependency chains) was about half of such a call. The flag and cohort API forget a
 * project's entry after each write ({@link forgetFlagSetup}); group types are only ever added, so
 * an entry missing one of `groupTypes` (a type first seen since it was built) is rebuilt.
 */
export async function flagSetup(
  metadata: MetadataStore,
  projectId: number,
  groupTypes: readonly string[] = [],
): Promise<FlagSetup> {
  const cache = setupCaches.get(metadata) ?? new Map<number, Promise<FlagSetup>>();
  setupCaches.set(metadata, cache);
  const cached = cache.get(projectId);
  if (cached !== undefined) {
    const setup = await cached;
    const known = new Set(Object.values(setup.groupTypeMapping));
    if (groupTypes.every((type) => known.has(type))) return setup;
  }
  // Kept from the start of the load: a write meanwhile forgets it, so a load that may have read
  // the old flags is never kept past the write.
  const setup = loadFlagSetup(metadata, projectId);
  cache.set(projectId, setup);
  setup.catch(() => {
    if (cache.get(projectId) === setup) cache.delete(projectId);
  });
  return setup;
}

/** Drops the project's cached setup: call after any write to its flags or cohorts. */
export function forgetFlagSetup(metadata: MetadataStore, projectId: number): void {
  setupCaches.get(metadata)?.delete(projectId);
}

const setupCaches = new WeakMap<MetadataStore, Map<number, Promise<FlagSetup>>>();

async function loadFlagSetup(metadata: MetadataStore, projectId: number): Promise<FlagSetup> {
  const stored = await metadata.listFeatureFlags(projectId);
  const types = await metadata.groupTypes(projectId);
  return {
    stored,
    flags: resolveFlagDependencies(
      stored.map((flag) => flagDefinitionSchema.parse(definitionJson(flag))),
    ),
    groupTypeMapping: Object.fromEntries(types.map((t) => [String(t.index), t.groupType])),
    cohorts: await cohortGroups(metadata, projectId, stored),
    reads: readsOf(stored.map((flag) => flag.filters)),
  };
}

/** The reads the filters' leaves need (see FlagSetup.reads). */
function readsOf(filters: readonly unknown[]): FlagSetup['reads'] {
  const nodes = nodesIn(filters);
  return {
    person: nodes.some((node) => node.type === 'person' || node.type === 'cohort'),
    groupIndexes: new Set(
      nodes.flatMap((node) =>
        node.type === 'group' && typeof node.group_type_index === 'number'
          ? [node.group_type_index]
          : [],
      ),
    ),
    cohortIds: [...new Set(cohortIdsIn(filters))],
  };
}

/** The payload and its ETag (a hash of the payload: it changes exactly when the payload does). */
export async function loadDefinitions(
  metadata: MetadataStore,
  projectId: number,
): Promise<{ body: Definitions; etag: string }> {
  const setup = await flagSetup(metadata, projectId);
  const body: Definitions = {
    flags: setup.stored.map((flag, i) => ({
      ...definitionJson(flag),
      filters: setup.flags[i]?.filters,
    })),
    group_type_mapping: { ...setup.groupTypeMapping },
    cohorts: { ...setup.cohorts },
  };
  const etag = `"${createHash('sha1').update(JSON.stringify(body)).digest('hex')}"`;
  return { body, etag };
}

/** One flag as the payload carries it (the fields SDKs read). */
export function definitionJson(flag: FeatureFlag) {
  return {
    id: flag.id,
    team_id: flag.projectId,
    key: flag.key,
    name: flag.name,
    active: flag.active,
    deleted: flag.deleted,
    ensure_experience_continuity: flag.ensureExperienceContinuity,
    version: flag.version,
    filters: flag.filters,
  };
}

/** Whether `If-None-Match` names `etag` (a list, weak tags and `*` included). */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}

/** The property groups of the cohorts the flags name, and of the cohorts those name. */
async function cohortGroups(
  metadata: MetadataStore,
  projectId: number,
  flags: readonly FeatureFlag[],
): Promise<Record<string, PropertyGroup>> {
  const pending = flags.flatMap((flag) => cohortIdsIn(flag.filters));
  const out: Record<string, PropertyGroup> = {};
  const seen = new Set<number>();
  while (pending.length > 0) {
    const id = pending.pop() as number;
    if (seen.has(id)) continue;
    seen.add(id);
    const cohort = await metadata.getCohort(projectId, id);
    if (cohort === undefined || cohort.isStatic) continue;
    const group = (cohort.filters as { properties?: unknown } | null)?.properties;
    if (group === undefined || !isPropertyGroup(group)) continue;
    out[String(id)] = group as PropertyGroup;
    pending.push(...cohortIdsIn(group));
  }
  return out;
}

/** Every `{type: "cohort", value: id}` filter anywhere in a definition. */
export function cohortIdsIn(node: unknown): number[] {
  return nodesIn(node).flatMap((record) => {
    if (record.type !== 'cohort' || !('value' in record)) return [];
    const id = Number(record.value);
    return Number.isInteger(id) ? [id] : [];
  });
}

/** Every object in a definition, depth first: the filter groups and leaves it is made of. */
function nodesIn(node: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(node)) return node.flatMap(nodesIn);
  if (node === null || typeof node !== 'object') return [];
  const record = node as Record<string, unknown>;
  return [record, ...Object.values(record).flatMap(nodesIn)];
}

/** Only person-property and cohort leaves: what an SDK can match without events. */
function isPropertyGroup(node: unknown): boolean {
  if (node === null || typeof node !== 'object') return false;
  const record = node as Record<string, unknown>;
  if (Array.isArray(record.values)) return record.values.every(isPropertyGroup);
  return record.type === 'person' || record.type === 'cohort';
}
