import {
  type ExperimentParameters,
  type ExperimentResults,
  flagBinding,
  parseExperimentDefinition,
  parseExperimentMetrics,
  parseExperimentParameters,
  resolveVariants,
  runExperimentResults,
  type SqlRunner,
  type VariantWeight,
} from '@tally/query';
import type { Experiment, FeatureFlag, MetadataStore, Project } from '@tally/store';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { ServerError } from '../errors.js';
import type { ApiAuth } from './auth.js';
import { apiErrorNamingQueryPath, bodyOf, parseBody } from './respond.js';

// Experiments (issue 6, item 3) in PostHog's manner: `/api/projects/:id/experiments[/:id]`.
// One lifecycle mechanism, PostHog's: PATCH `start_date` starts a draft, PATCH `end_date` stops
// it. Metrics, parameters and the flag are fixed once started (409 `already_started`); results
// of a draft are a 409 `not_started`. The definition is validated by @tally/query, errors naming
// the field; its variants must be the flag's.

const ExperimentId = z.coerce.number().int().min(1).max(2_147_483_647);
const DateField = z.iso.datetime({ offset: true }).nullable();
const Patch = z.object({
  name: z.string().min(1).max(400).optional(),
  description: z.string().max(4000).optional(),
  start_date: DateField.optional(),
  end_date: DateField.optional(),
  archived: z.boolean().optional(),
});

export interface ExperimentRoutesOptions {
  readonly metadata: MetadataStore;
  readonly runner: SqlRunner;
  readonly now: () => number;
  readonly projectOf: (raw: string) => Promise<Project>;
}

export function createExperimentRoutes(
  options: ExperimentRoutesOptions,
): Hono<{ Variables: { auth: ApiAuth } }> {
  const { metadata, runner, now, projectOf } = options;
  const api = new Hono<{ Variables: { auth: ApiAuth } }>();
  const base = '/projects/:projectId/experiments';

  const experimentOf = async (c: Context) => {
    const project = await projectOf(c.req.param('projectId') ?? '');
    const id = ExperimentId.safeParse(c.req.param('experimentId'));
    const experiment = id.success ? await metadata.getExperiment(project.id, id.data) : undefined;
    if (experiment === undefined) throw new ServerError('not_found', 'experiment');
    return { project, experiment, flag: await flagById(project.id, experiment.featureFlagId) };
  };

  const flagById = async (projectId: number, id: number) => {
    const flag = await metadata.getFeatureFlag(projectId, id);
    if (flag === undefined) throw new ServerError('not_found', 'feature flag');
    return flag;
  };

  api.get(base, async (c) => {
    try {
      const project = await projectOf(c.req.param('projectId'));
      const flags = new Map(
        (await metadata.listFeatureFlags(project.id, { includeDeleted: true })).map((f) => [
          f.id,
          f,
        ]),
      );
      const experiments = await metadata.listExperiments(project.id);
      return c.json({
        count: experiments.length,
        next: null,
        previous: null,
        results: experiments.map((e) => experimentJson(e, flags.get(e.featureFlagId))),
      });
    } catch (error) {
      return apiErrorNamingQueryPath(c, error);
    }
  });

  api.post(base, async (c) => {
    try {
      const project = await projectOf(c.req.param('projectId'));
      const definition = parseExperimentDefinition(await bodyOf(c));
      const flags = await metadata.listFeatureFlags(project.id);
      const flag = flags.find((f) => f.key === definition.feature_flag_key);
      if (flag === undefined) throw new ServerError('invalid_body', 'feature_flag_key');
      const variants = resolveVariants(definition.parameters, flagBinding(flag.filters));
      const experiment = await metadata.createExperiment({
        projectId: project.id,
        name: definition.name,
        description: definition.description,
        featureFlagId: flag.id,
        parameters: { ...definition.parameters, feature_flag_variants: variants },
        metrics: definition.metrics,
      });
      return c.json(experimentJson(experiment, flag), 201);
    } catch (error) {
      return apiErrorNamingQueryPath(c, error);
    }
  });

  api.get(`${base}/:experimentId`, async (c) => {
    try {
      const { experiment, flag } = await experimentOf(c);
      return c.json(experimentJson(experiment, flag));
    } catch (error) {
      return apiErrorNamingQueryPath(c, error);
    }
  });

  api.patch(`${base}/:experimentId`, async (c) => {
    try {
      const { project, experiment, flag } = await experimentOf(c);
      const body = await bodyOf(c);
      const patch = parseBody(Patch, body);
      const definitionChange = body.metrics !== undefined || body.parameters !== undefined;
      if (definitionChange && experiment.startDate !== null)
        throw new ServerError(
          'already_started',
          body.metrics !== undefined ? 'metrics' : 'parameters',
        );
      const metrics = body.metrics === undefined ? undefined : parseExperimentMetrics(body.metrics);
      let parameters: ExperimentParameters | undefined;
      if (body.parameters !== undefined) {
        parameters = parseExperimentParameters(body.parameters);
        const variants = resolveVariants(parameters, flagBinding(flag.filters));
        parameters = { ...parameters, feature_flag_variants: variants };
      }
      const startMs = dateMs(patch.start_date, experiment.startDate);
      const endMs = dateMs(patch.end_date, experiment.endDate);
      if (endMs !== null && (startMs === null || endMs < startMs))
        throw new ServerError('invalid_body', 'end_date');
      const updated = await metadata.updateExperiment(project.id, experiment.id, {
        ...(patch.name === undefined ? {} : { name: patch.name }),
        ...(patch.description === undefined ? {} : { description: patch.description }),
        ...(patch.archived === undefined ? {} : { archived: patch.archived }),
        ...(patch.start_date === undefined ? {} : { startMs }),
        ...(patch.end_date === undefined ? {} : { endMs }),
        ...(metrics === undefined ? {} : { metrics }),
        ...(parameters === undefined ? {} : { parameters }),
      });
      if (updated === undefined) throw new ServerError('not_found', 'experiment');
      return c.json(experimentJson(updated, flag));
    } catch (error) {
      return apiErrorNamingQueryPath(c, error);
    }
  });

  api.get(`${base}/:experimentId/results`, async (c) => {
    try {
      const { project, experiment, flag } = await experimentOf(c);
      if (experiment.startDate === null) throw new ServerError('not_started', 'start_date');
      const parameters = parseExperimentParameters(experiment.parameters);
      const startMs = Date.parse(experiment.startDate);
      const endMs = experiment.endDate === null ? now() : Date.parse(experiment.endDate);
      const results = await runExperimentResults({
        projectId: project.id,
        flagKey: flag.key,
        flag: flagBinding(flag.filters),
        variants: storedVariants(parameters),
        parameters,
        metrics: parseExperimentMetrics(experiment.metrics),
        startMs,
        endMs,
        runner,
      });
      return c.json(resultsJson(experiment, results, endMs));
    } catch (error) {
      return apiErrorNamingQueryPath(c, error);
    }
  });

  return api;
}

/** A patched date: ISO -> ms, null clears it, absent keeps the stored one. */
function dateMs(patched: string | null | undefined, stored: string | null): number | null {
  if (patched === undefined) return stored === null ? null : Date.parse(stored);
  return patched === null ? null : Date.parse(patched);
}

/** The variants as stored at creation (resolved against the flag then, weights filled in). */
function storedVariants(parameters: ExperimentParameters): VariantWeight[] {
  return (parameters.feature_flag_variants ?? []).map((v) => ({
    key: v.key,
    rollout_percentage: v.rollout_percentage ?? 0,
  }));
}

function statusOf(experiment: Experiment): 'draft' | 'running' | 'complete' {
  if (experiment.startDate === null) return 'draft';
  return experiment.endDate === null ? 'running' : 'complete';
}

export function experimentJson(experiment: Experiment, flag: FeatureFlag | undefined) {
  return {
    id: experiment.id,
    name: experiment.name,
    description: experiment.description,
    feature_flag_key: flag?.key ?? null,
    feature_flag: flag === undefined ? null : { id: flag.id, key: flag.key, name: flag.name },
    parameters: experiment.parameters,
    metrics: experiment.metrics,
    start_date: experiment.startDate,
    end_date: experiment.endDate,
    status: statusOf(experiment),
    archived: experiment.archived,
    created_at: experiment.createdAt,
    updated_at: experiment.updatedAt,
  };
}

function resultsJson(experiment: Experiment, results: ExperimentResults, endMs: number) {
  return {
    experiment_id: experiment.id,
    status: statusOf(experiment),
    start_date: experiment.startDate,
    end_date: experiment.endDate,
    computed_until: new Date(endMs).toISOString(),
    ...results,
  };
}

/** A definition error from @tally/query is a 400 naming the field, like the server's own. */
