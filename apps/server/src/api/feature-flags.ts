import { FLAG_KEY_PATTERN, MAX_FLAG_KEY_LENGTH, parseFlagDefinition } from '@tally/flags';
import { type FeatureFlag, isStoreError, type MetadataStore, type Project } from '@tally/store';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { ServerError } from '../errors.js';
import { forgetFlagSetup } from '../flags/definitions.js';
import type { ApiAuth } from './auth.js';
import { apiError, bodyOf, parseBody } from './respond.js';

// Feature flag CRUD in PostHog's shapes: `/api/projects/:id/feature_flags[/:flagId]`. The
// definition (`filters`) is checked whole by @tally/flags, errors naming the field. Tally's one
// departure: a flag created without `filters.aggregation_group_type_index` buckets by tenant
// (group type 0), so a whole customer sees the same thing; `null` buckets by person.

const FlagId = z.coerce.number().int().min(1).max(2_147_483_647);
const Key = z
  .string()
  .min(1)
  .max(MAX_FLAG_KEY_LENGTH)
  .regex(FLAG_KEY_PATTERN, 'letters, digits, "-" and "_" only');
const Meta = z.object({
  key: Key,
  name: z.string().max(400).default(''),
  active: z.boolean().default(true),
  ensure_experience_continuity: z.boolean().default(false),
});
/** No defaults: a field left out stays as it is. PostHog's soft delete is `deleted: true`. */
const MetaPatch = z.object({
  key: Key.optional(),
  name: z.string().max(400).optional(),
  active: z.boolean().optional(),
  deleted: z.boolean().optional(),
  ensure_experience_continuity: z.boolean().optional(),
});

/** Everyone, bucketed by tenant: what a flag created without filters releases to (at 0%). */
const DEFAULT_FILTERS = {
  groups: [{ properties: [], rollout_percentage: 0 }],
  aggregation_group_type_index: 0,
};

export interface FlagRoutesOptions {
  readonly metadata: MetadataStore;
  readonly projectOf: (raw: string) => Promise<Project>;
}

export function createFlagRoutes(
  options: FlagRoutesOptions,
): Hono<{ Variables: { auth: ApiAuth } }> {
  const { metadata, projectOf } = options;
  const api = new Hono<{ Variables: { auth: ApiAuth } }>();

  const flagOf = async (c: Context) => {
    const project = await projectOf(c.req.param('projectId') ?? '');
    const id = FlagId.safeParse(c.req.param('flagId'));
    const flag = id.success ? await metadata.getFeatureFlag(project.id, id.data) : undefined;
    if (flag === undefined) throw new ServerError('not_found', 'feature flag');
    return { project, flag };
  };

  api.get('/projects/:projectId/feature_flags', async (c) => {
    try {
      const project = await projectOf(c.req.param('projectId'));
      const flags = await metadata.listFeatureFlags(project.id);
      return c.json({
        count: flags.length,
        next: null,
        previous: null,
        results: flags.map(flagJson),
      });
    } catch (error) {
      return apiError(c, error);
    }
  });

  api.post('/projects/:projectId/feature_flags', async (c) => {
    try {
      const project = await projectOf(c.req.param('projectId'));
      const body = await bodyOf(c);
      const meta = parseBody(Meta, body);
      const filters = validFilters(
        meta,
        body.filters === undefined ? DEFAULT_FILTERS : withTenantDefault(body.filters),
      );
      const flag = await conflictAsError(() =>
        metadata.createFeatureFlag({
          projectId: project.id,
          key: meta.key,
          name: meta.name,
          active: meta.active,
          ensureExperienceContinuity: meta.ensure_experience_continuity,
          filters,
        }),
      );
      forgetFlagSetup(metadata, project.id);
      return c.json(flagJson(flag), 201);
    } catch (error) {
      return apiError(c, error);
    }
  });

  api.get('/projects/:projectId/feature_flags/:flagId', async (c) => {
    try {
      return c.json(flagJson((await flagOf(c)).flag));
    } catch (error) {
      return apiError(c, error);
    }
  });

  api.patch('/projects/:projectId/feature_flags/:flagId', async (c) => {
    try {
      const { project, flag } = await flagOf(c);
      const body = await bodyOf(c);
      const meta = parseBody(MetaPatch, body);
      const filters =
        body.filters === undefined
          ? undefined
          : validFilters({ key: meta.key ?? flag.key, name: meta.name ?? flag.name }, body.filters);
      const updated = await conflictAsError(() =>
        metadata.updateFeatureFlag(project.id, flag.id, {
          ...(meta.key === undefined ? {} : { key: meta.key }),
          ...(meta.name === undefined ? {} : { name: meta.name }),
          ...(meta.active === undefined ? {} : { active: meta.active }),
          ...(meta.deleted === undefined ? {} : { deleted: meta.deleted }),
          ...(meta.ensure_experience_continuity === undefined
            ? {}
            : { ensureExperienceContinuity: meta.ensure_experience_continuity }),
          ...(filters === undefined ? {} : { filters }),
        }),
      );
      forgetFlagSetup(metadata, project.id);
      if (updated === undefined) throw new ServerError('not_found', 'feature flag');
      return c.json(flagJson(updated));
    } catch (error) {
      return apiError(c, error);
    }
  });

  // As PostHog: a flag is deleted with PATCH `{"deleted": true}`, which keeps it for the
  // exposures that name it and frees its key.
  api.delete('/projects/:projectId/feature_flags/:flagId', async (c) => {
    try {
      await flagOf(c);
      throw new ServerError('method_not_allowed', 'use PATCH {"deleted": true}');
    } catch (error) {
      return apiError(c, error);
    }
  });

  return api;
}

/** The flag as PostHog's API shows it. */
export function flagJson(flag: FeatureFlag) {
  const filters = flag.filters as {
    groups?: Array<{ properties?: unknown[]; rollout_percentage?: number | null }>;
    multivariate?: unknown;
  };
  const groups = filters.groups ?? [];
  const only = groups.length === 1 ? groups[0] : undefined;
  const isSimple =
    only !== undefined && (only.properties ?? []).length === 0 && !filters.multivariate;
  return {
    id: flag.id,
    key: flag.key,
    name: flag.name,
    filters: flag.filters,
    active: flag.active,
    deleted: flag.deleted,
    ensure_experience_continuity: flag.ensureExperienceContinuity,
    is_simple_flag: isSimple,
    rollout_percentage: isSimple ? (only?.rollout_percentage ?? null) : null,
    version: flag.version,
    created_at: flag.createdAt,
    updated_at: flag.updatedAt,
  };
}

/** Tenant bucketing unless the body says otherwise (`null`: by person). */
function withTenantDefault(filters: unknown): unknown {
  if (filters === null || typeof filters !== 'object' || Array.isArray(filters)) return filters;
  return 'aggregation_group_type_index' in filters
    ? filters
    : { ...filters, aggregation_group_type_index: 0 };
}

/** The filters, checked whole by @tally/flags as part of the flag; a 400 names the field. */
function validFilters(meta: { key: string; name: string }, filters: unknown): unknown {
  // The id is the store's to give; any number passes for the check.
  const parsed = parseFlagDefinition({
    id: 0,
    key: meta.key,
    name: meta.name,
    active: true,
    filters,
  });
  if (parsed.ok) return parsed.definition.filters;
  throw new ServerError('invalid_body', parsed.issues[0]?.path || 'filters');
}

async function conflictAsError<T>(task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (error) {
    if (isStoreError(error) && error.code === 'conflict')
      throw new ServerError('conflict', 'key: a flag with this key exists');
    throw error;
  }
}
