import {
  type CohortSource,
  countCohortPersons,
  isQueryError,
  MAX_STATIC_COHORT_IDS,
  parseCohortDefinition,
  queryCohortPersons,
  type SqlRunner,
} from '@tally/query';
import type { Cohort, CohortMembers, MetadataStore, Project } from '@tally/store';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { ServerError } from '../errors.js';
import { forgetFlagSetup } from '../flags/definitions.js';
import type { ApiAuth } from './auth.js';
import { apiError, bodyOf, param, parseBody, parseLimit } from './respond.js';

// Cohort CRUD in PostHog's shapes (§2.7): `/api/projects/:id/cohorts[/:cohortId[/persons]]`.
// The definition is validated by the query engine (errors name the field); dynamic membership
// is computed when asked, at the server's now, so a cohort is never stale.

const MAX_PERSONS_PAGE = 10_000;
const DEFAULT_PERSONS_PAGE = 100;

const CohortId = z.coerce.number().int().min(1).max(2_147_483_647);
const Name = z.string().trim().min(1).max(400);
const Description = z.string().max(4000);
const Meta = z.object({ name: Name, description: Description.default('') });
/** No defaults: a field left out stays as it is. PostHog's soft delete is `deleted: true`. */
const MetaPatch = z.object({
  name: Name.optional(),
  description: Description.optional(),
  deleted: z.boolean().optional(),
});

/** The definition fields a body may carry, as parseCohortDefinition reads them. */
const DEFINITION_KEYS = ['is_static', 'filters', 'person_ids', 'distinct_ids'] as const;

export interface CohortRoutesOptions {
  readonly metadata: MetadataStore;
  readonly runner: SqlRunner;
  readonly now: () => number;
  readonly projectOf: (raw: string) => Promise<Project>;
}

/** Where a query finds a project's cohorts: the stored definitions of the ids it names. */
export function storedCohorts(metadata: MetadataStore, projectId: number): CohortSource {
  return async (ids) => {
    const found = new Map<number, unknown>();
    for (const id of ids) {
      const cohort = await metadata.getCohort(projectId, id);
      if (cohort === undefined) continue;
      const members = cohort.isStatic
        ? await metadata.getCohortMembers(projectId, id)
        : { personIds: [], distinctIds: [] };
      found.set(id, definitionOf(cohort, members));
    }
    return found;
  };
}

export function createCohortRoutes(
  options: CohortRoutesOptions,
): Hono<{ Variables: { auth: ApiAuth } }> {
  const { metadata, runner, now, projectOf } = options;
  const api = new Hono<{ Variables: { auth: ApiAuth } }>();

  /**
   * The cohort as PostHog shows it, with `count`: its persons now. A definition that no longer
   * plans (it names a cohort deleted since) has no count rather than failing the read.
   */
  const withCount = async (project: Project, cohort: Cohort) => {
    let count: number | null = null;
    try {
      count = await countCohortPersons(cohort.id, {
        projectId: project.id,
        now: now(),
        runner,
        cohorts: storedCohorts(metadata, project.id),
      });
    } catch (error) {
      if (!isQueryError(error, 'invalid_query')) throw error;
    }
    return { ...cohortJson(cohort), count };
  };

  const cohortOf = async (c: Context) => {
    const project = await projectOf(c.req.param('projectId') ?? '');
    const id = CohortId.safeParse(c.req.param('cohortId'));
    const cohort = id.success ? await metadata.getCohort(project.id, id.data) : undefined;
    if (cohort === undefined) throw new ServerError('not_found', 'cohort');
    return { project, cohort };
  };

  api.get('/projects/:projectId/cohorts', async (c) => {
    try {
      const project = await projectOf(c.req.param('projectId'));
      const cohorts = await metadata.listCohorts(project.id);
      return c.json({
        count: cohorts.length,
        next: null,
        previous: null,
        // One count per cohort, in turn: each is a query over the events.
        results: await mapInTurn(cohorts, (cohort) => withCount(project, cohort)),
      });
    } catch (error) {
      return apiError(c, error);
    }
  });

  api.post('/projects/:projectId/cohorts', async (c) => {
    try {
      const project = await projectOf(c.req.param('projectId'));
      const body = await bodyOf(c);
      const meta = parseBody(Meta, body);
      const definition = validDefinition(pick(body));
      const cohort = await metadata.createCohort({
        projectId: project.id,
        name: meta.name,
        description: meta.description,
        isStatic: definition.is_static,
        filters: definition.is_static ? null : definition.filters,
        ...(definition.is_static ? { members: membersOf(definition) } : {}),
      });
      forgetFlagSetup(metadata, project.id);
      return c.json(await withCount(project, cohort), 201);
    } catch (error) {
      return apiError(c, error);
    }
  });

  api.get('/projects/:projectId/cohorts/:cohortId', async (c) => {
    try {
      const { project, cohort } = await cohortOf(c);
      return c.json(await withCount(project, cohort));
    } catch (error) {
      return apiError(c, error);
    }
  });

  api.patch('/projects/:projectId/cohorts/:cohortId', async (c) => {
    try {
      const { project, cohort } = await cohortOf(c);
      const body = await bodyOf(c);
      const meta = parseBody(MetaPatch, body);
      if (meta.deleted === true) {
        await metadata.deleteCohort(project.id, cohort.id);
        forgetFlagSetup(metadata, project.id);
        return c.json({ ...cohortJson(cohort), deleted: true });
      }
      const patch = pick(body);
      const touchesDefinition = Object.keys(patch).length > 0;
      let definition: ReturnType<typeof validDefinition> | undefined;
      if (touchesDefinition) {
        // The new definition is the stored one with the body's fields over it, checked whole.
        const stored = definitionOf(
          cohort,
          cohort.isStatic && !('person_ids' in patch || 'distinct_ids' in patch)
            ? await metadata.getCohortMembers(project.id, cohort.id)
            : { personIds: [], distinctIds: [] },
        );
        const merged: Record<string, unknown> = { ...stored, ...patch };
        if (merged.is_static === false)
          for (const key of ['person_ids', 'distinct_ids']) if (!(key in patch)) delete merged[key];
        definition = validDefinition(merged);
      }
      const updated = await metadata.updateCohort(project.id, cohort.id, {
        ...(meta.name === undefined ? {} : { name: meta.name }),
        ...(meta.description === undefined ? {} : { description: meta.description }),
        ...(definition === undefined
          ? {}
          : {
              isStatic: definition.is_static,
              filters: definition.is_static ? null : definition.filters,
              members: definition.is_static
                ? membersOf(definition)
                : { personIds: [], distinctIds: [] },
            }),
      });
      forgetFlagSetup(metadata, project.id);
      if (updated === undefined) throw new ServerError('not_found', 'cohort');
      return c.json(await withCount(project, updated));
    } catch (error) {
      return apiError(c, error);
    }
  });

  api.delete('/projects/:projectId/cohorts/:cohortId', async (c) => {
    try {
      const { project, cohort } = await cohortOf(c);
      await metadata.deleteCohort(project.id, cohort.id);
      forgetFlagSetup(metadata, project.id);
      return c.body(null, 204);
    } catch (error) {
      return apiError(c, error);
    }
  });

  api.get('/projects/:projectId/cohorts/:cohortId/persons', async (c) => {
    try {
      const { project, cohort } = await cohortOf(c);
      const limit = param(c, 'limit', parseLimit(MAX_PERSONS_PAGE)) ?? DEFAULT_PERSONS_PAGE;
      const offset =
        param(c, 'offset', (raw) => {
          const n = Number(raw);
          return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
        }) ?? 0;
      const page = await queryCohortPersons(cohort.id, {
        projectId: project.id,
        now: now(),
        runner,
        cohorts: storedCohorts(metadata, project.id),
        limit,
        offset,
      });
      let next: string | null = null;
      if (page.hasMore) {
        const url = new URL(c.req.url);
        url.searchParams.set('limit', String(limit));
        url.searchParams.set('offset', String(offset + limit));
        next = `${url.pathname}?${url.searchParams.toString()}`;
      }
      return c.json({ results: page.results, next });
    } catch (error) {
      if (isQueryError(error, 'invalid_query'))
        return c.json(
          {
            type: 'validation_error',
            code: error.code,
            detail: error.message,
            attr: error.path ?? null,
          },
          400,
        );
      return apiError(c, error);
    }
  });

  return api;
}

function pick(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(DEFINITION_KEYS.filter((k) => k in body).map((k) => [k, body[k]]));
}

function validDefinition(input: unknown) {
  try {
    return parseCohortDefinition(input);
  } catch (error) {
    if (isQueryError(error, 'invalid_query')) throw new ServerError('invalid_body', error.path);
    throw error;
  }
}

function membersOf(definition: {
  person_ids?: readonly string[] | null | undefined;
  distinct_ids?: readonly string[] | null | undefined;
}): CohortMembers {
  const personIds = definition.person_ids ?? [];
  const distinctIds = definition.distinct_ids ?? [];
  if (personIds.length + distinctIds.length > MAX_STATIC_COHORT_IDS)
    throw new ServerError('invalid_body', 'person_ids');
  return { personIds, distinctIds };
}

function definitionOf(cohort: Cohort, members: CohortMembers): Record<string, unknown> {
  return cohort.isStatic
    ? {
        is_static: true,
        person_ids: [...members.personIds],
        distinct_ids: [...members.distinctIds],
      }
    : { is_static: false, filters: cohort.filters };
}

async function mapInTurn<T, R>(items: readonly T[], map: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (const item of items) out.push(await map(item));
  return out;
}

function cohortJson(cohort: Cohort) {
  return {
    id: cohort.id,
    name: cohort.name,
    description: cohort.description,
    is_static: cohort.isStatic,
    filters: cohort.filters ?? { properties: { type: 'AND', values: [] } },
    groups: [],
    // Membership is computed at query time: nothing is ever being calculated.
    is_calculating: false,
    count: null as number | null,
    deleted: false,
    created_at: cohort.createdAt,
    updated_at: cohort.updatedAt,
  };
}
