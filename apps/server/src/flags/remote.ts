import { evaluateFlags, type FlagEnvironment, type PropertyGroup } from '@tally/flags';
import { isCohortMember, isQueryError, type SqlRunner } from '@tally/query';
import type { FeatureFlag, Store } from '@tally/store';
import { storedCohorts } from '../api/cohorts.js';
import { storedId } from '../ingest/process.js';
import { type FlagSetup, flagSetup } from './definitions.js';
import type { FlagRequest } from './request.js';
import type { FlagAnswer } from './respond.js';

// Remote evaluation: the flags of a project for one caller, decided with everything the server
// knows. The caller's stored person and groups are read, and what the request passes overrides
// them (a client's fresher value wins, as in PostHog). A cohort an SDK could match from
// properties is matched the same way here; any other cohort (behavioural, static) is decided by
// the person's membership, which only the server can know. Distinct ids are looked up as
// ingestion stored them (an id that looks like PII is stored keyed-hashed).

/** An always-true and an always-false property group: a membership decided beforehand. */
const MEMBER: PropertyGroup = { type: 'AND', values: [] };
const NOT_MEMBER: PropertyGroup = { type: 'OR', values: [] };

export interface RemoteDeps {
  readonly store: Store;
  readonly runner: SqlRunner;
  readonly hashId: (id: string) => string;
  readonly now: () => number;
}

export async function evaluateRemotely(
  deps: RemoteDeps,
  projectId: number,
  request: FlagRequest,
): Promise<FlagAnswer[]> {
  const { events, metadata } = deps.store;
  const setup = await flagSetup(metadata, projectId, Object.keys(request.groups));
  const person = setup.reads.person
    ? await events.getPersonProperties(projectId, storedId(request.distinctId, deps.hashId))
    : undefined;
  const groupProperties: Record<string, Record<string, unknown>> = {};
  for (const [type, key] of Object.entries(request.groups)) {
    const index = Object.entries(setup.groupTypeMapping).find(([, name]) => name === type)?.[0];
    const group =
      index === undefined || !setup.reads.groupIndexes.has(Number(index))
        ? undefined
        : await events.getGroup(projectId, Number(index), key);
    groupProperties[type] = { ...group?.properties, ...request.groupProperties[type] };
  }
  const env: FlagEnvironment = {
    flags: setup.flags,
    groupTypeMapping: setup.groupTypeMapping,
    cohorts: await cohortsFor(deps, projectId, setup, person?.id),
    now: () => new Date(deps.now()),
  };
  const results = evaluateFlags(
    {
      distinctId: request.distinctId,
      groups: request.groups,
      personProperties: { ...person?.properties, ...request.personProperties },
      groupProperties,
      // The server holds every property it will ever know: an absent one is unset, not unknown.
      propertiesComplete: true,
    },
    env,
    request.flagKeys,
  );
  const byKey = new Map(setup.stored.map((flag) => [flag.key, flag]));
  return Object.values(results).map((result) => {
    const { id, version } = byKey.get(result.key) as FeatureFlag;
    // What stays undecided even here (experience continuity; exact on integers or a regex
    // outside the subset an SDK can run, which PostHog's own evaluators treat differently) is
    // off, with the reason.
    const answer = result.inconclusive
      ? {
          enabled: false,
          variant: null,
          reason: {
            code: 'no_condition_match',
            condition_index: null,
            description: result.reason.description,
          },
          payload: undefined,
        }
      : {
          enabled: result.enabled,
          variant: result.variant,
          reason: result.reason,
          payload: result.payload ?? undefined,
        };
    return { key: result.key, id, version, ...answer };
  });
}

/** Property groups for the cohorts the flags name; decided memberships for the rest. */
async function cohortsFor(
  deps: RemoteDeps,
  projectId: number,
  setup: FlagSetup,
  personId: string | undefined,
): Promise<Record<string, PropertyGroup>> {
  const out: Record<string, PropertyGroup> = { ...setup.cohorts };
  const source = storedCohorts(deps.store.metadata, projectId);
  for (const id of setup.reads.cohortIds) {
    if (Object.hasOwn(out, String(id))) continue;
    const isMember =
      personId !== undefined &&
      (await isCohortMember(id, personId, {
        projectId,
        now: deps.now(),
        runner: deps.runner,
        cohorts: source,
      }).catch((error: unknown) => {
        // A cohort deleted since the flag named it has no members.
        if (isQueryError(error, 'invalid_query')) return false;
        throw error;
      }));
    out[String(id)] = isMember ? MEMBER : NOT_MEMBER;
  }
  return out;
}
