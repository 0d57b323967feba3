import { isValidTimeZone, parseTestAccountFilters } from '@tally/query';
import type { MetadataStore, Project, ProjectPatch } from '@tally/store';
import { Hono } from 'hono';
import { z } from 'zod';
import { ServerError } from '../errors.js';
import type { ProjectCache } from '../ingest/projects.js';
import type { ApiAuth } from './auth.js';
import { apiErrorNamingQueryPath, bodyOf, parseBody } from './respond.js';

// Projects in PostHog's shape: the list a key may read, one project, and its settings (name,
// time zone, strict ingestion, test-account filters) changed with PATCH.

export interface ProjectRouteDeps {
  readonly metadata: MetadataStore;
  readonly projects: ProjectCache;
  readonly projectOf: (raw: string) => Promise<Project>;
}

/** Unknown keys are refused: a misspelt setting must not look saved. */
const Patch = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  timezone: z.string().min(1).max(100).refine(isValidTimeZone, 'an IANA time zone').optional(),
  strict: z.boolean().optional(),
  /** Validated by the query engine, so the error names `test_account_filters[0].operator`. */
  test_account_filters: z.unknown().optional(),
});

/**
 * `GET /api/projects`, `GET /api/projects/:id` and `PATCH /api/projects/:id` (any of `name`,
 * `timezone`, `strict`, `test_account_filters`). A bad field is a 400 naming it, and nothing is
 * changed. Auth (a personal API key that may read the project) is the API's middleware.
 */
export function createProjectRoutes(
  deps: ProjectRouteDeps,
): Hono<{ Variables: { auth: ApiAuth } }> {
  const { metadata, projects, projectOf } = deps;
  const api = new Hono<{ Variables: { auth: ApiAuth } }>();

  api.get('/projects', async (c) => {
    try {
      const auth = c.get('auth');
      const all = await metadata.listProjects();
      const visible = all.filter(
        (p) => auth.projectIds === 'all' || auth.projectIds.includes(p.id),
      );
      return c.json({ results: visible.map(projectJson), next: null });
    } catch (error) {
      return apiErrorNamingQueryPath(c, error);
    }
  });

  api.get('/projects/:projectId', async (c) => {
    try {
      return c.json(projectJson(await projectOf(c.req.param('projectId'))));
    } catch (error) {
      return apiErrorNamingQueryPath(c, error);
    }
  });

  api.patch('/projects/:projectId', async (c) => {
    try {
      const project = await projectOf(c.req.param('projectId'));
      const body = parseBody(Patch, await bodyOf(c));
      const patch: ProjectPatch = {
        ...(body.name === undefined ? {} : { name: body.name }),
        ...(body.timezone === undefined ? {} : { timezone: body.timezone }),
        ...(body.strict === undefined ? {} : { isStrict: body.strict }),
        ...(body.test_account_filters === undefined
          ? {}
          : { testAccountFilters: parseTestAccountFilters(body.test_account_filters) }),
      };
      const updated = await metadata.updateProject(project.id, patch);
      if (updated === undefined) throw new ServerError('not_found', 'project');
      // Capture reads projects through the cache; queries read the store.
      projects.invalidate();
      return c.json(projectJson(updated));
    } catch (error) {
      return apiErrorNamingQueryPath(c, error);
    }
  });

  return api;
}

/**
 * What PostHog shows a key owner: `api_token` is the public write token every app ships with;
 * personal keys and user accounts are never listed.
 */
function projectJson(p: Project) {
  return {
    id: p.id,
    name: p.name,
    api_token: p.token,
    strict: p.isStrict,
    timezone: p.timezone,
    test_account_filters: p.testAccountFilters,
    created_at: p.createdAt,
  };
}
