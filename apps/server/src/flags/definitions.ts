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
}

export async function loadFlagSetup(
  metadata: MetadataStore,
  projectId: number,
): Promise<FlagSetup> {
  const stored = await metadata.listFeatureFlags(projectId);
  const types = await metadata.groupTypes(projectId);
  return {
    stored,
    flags: resolveFlagDependencies(
      stored.map((flag) => flagDefinitionSchema.parse(definitionJson(flag))),
    ),
    groupTypeMapping: Object.fromEntries(types.map((t) => [String(t.index), t.groupType])),
    cohorts: await cohortGroups(metadata, projectId, stored),
  };
}

/** The payload and its ETag (a hash of the payload: it changes exactly when the payload does). */
export async function loadDefinitions(
  metadata: MetadataStore,
  projectId: number,
): Promise<{ body: Definitions; etag: string }> {
  const setup = await loadFlagSetup(metadata, projectId);
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
  if (Array.isArray(node)) return node.flatMap(cohortIdsIn);
  if (node === null || typeof node !== 'object') return [];
  const record = node as Record<string, unknown>;
  if (record.type === 'cohort' && 'value' in record) {
    const id = Number(record.value);
    return Number.isInteger(id) ? [id] : [];
  }
  return Object.values(record).flatMap(cohortIdsIn);
}

/** Only person-property and cohort leaves: what an SDK can match without events. */
function isPropertyGroup(node: unknown): boolean {
  if (node === null || typeof node !== 'object') return false;
  const record = node as Record<string, unknown>;
  if (Array.isArray(record.values)) return record.values.every(isPropertyGroup);
  return record.type === 'person' || record.type === 'cohort';
}
