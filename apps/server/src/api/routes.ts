import type { Store } from '@tally/store';
import { Hono } from 'hono';
import { ServerError } from '../errors.js';
import type { ProjectCache } from '../ingest/projects.js';
import { type ApiAuth, requireApiKey } from './auth.js';
import { createCohortRoutes } from './cohorts.js';
import { createExperimentPlanRoutes } from './experiment-plan.js';
import { createExperimentRoutes } from './experiments.js';
import { createFlagRoutes } from './feature-flags.js';
import { createProjectRoutes } from './projects.js';
import { queryHandler } from './query.js';
import { apiError, nextPath, param, parseCursor, parseLimit, parseTime } from './respond.js';

const MAX_PAGE = 10_000;
const DEFAULT_PAGE = 100;

/**
 * The read API, in PostHog's shapes: events newest first with a `next` page path, persons with
 * all their distinct ids (merges included), groups by type, and the project's ingestion
 * counters, insight queries, projects (projects.ts) and cohorts (cohorts.ts). Everything needs a
 * personal API key.
 */
export function createApiRoutes(
  store: Store,
  projects: ProjectCache,
  now: () => number,
): Hono<{ Variables: { auth: ApiAuth } }> {
  const api = new Hono<{ Variables: { auth: ApiAuth } }>();
  const { events, metadata } = store;
  api.use('/projects/:projectId/*', requireApiKey(metadata, projects));
  api.use('/projects/:projectId', requireApiKey(metadata, projects));
  api.use('/projects', requireApiKey(metadata, projects));

  const projectOf = async (raw: string) => {
    const project = await metadata.getProject(Number(raw));
    if (project === undefined) throw new ServerError('not_found', 'project');
    return project;
  };

  api.get('/projects/:projectId/events', async (c) => {
    try {
      const project = await projectOf(c.req.param('projectId'));
      const event = c.req.query('event');
      const distinctId = c.req.query('distinct_id');
      const afterMs = param(c, 'after', parseTime);
      const beforeMs = param(c, 'before', parseTime);
      const cursor = param(c, 'cursor', parseCursor);
      const page = await events.listEvents({
        projectId: project.id,
        limit: param(c, 'limit', parseLimit(MAX_PAGE)) ?? DEFAULT_PAGE,
        ...(event ? { event } : {}),
        ...(distinctId ? { distinctId } : {}),
        ...(afterMs === undefined ? {} : { afterMs }),
        ...(beforeMs === undefined ? {} : { beforeMs }),
        ...(cursor === undefined ? {} : { cursor }),
      });
      return c.json({
        results: page.results.map((e) => ({
          uuid: e.uuid,
          event: e.event,
          distinct_id: e.distinctId,
          person_id: e.personId,
          properties: e.properties,
          timestamp: e.timestamp,
        })),
        next: nextPath(c, page.nextCursor),
      });
    } catch (error) {
      return apiError(c, error);
    }
  });

  api.get('/projects/:projectId/persons', async (c) => {
    try {
      const project = await projectOf(c.req.param('projectId'));
      const distinctId = c.req.query('distinct_id');
      if (distinctId) {
        const person = await events.getPerson(project.id, distinctId);
        return c.json({ results: person === undefined ? [] : [personJson(person)], next: null });
      }
      const cursor = param(c, 'cursor', parseCursor);
      const page = await events.listPersons(project.id, {
        limit: param(c, 'limit', parseLimit(MAX_PAGE)) ?? DEFAULT_PAGE,
        ...(cursor === undefined ? {} : { cursor }),
      });
      return c.json({ results: page.results.map(personJson), next: nextPath(c, page.nextCursor) });
    } catch (error) {
      return apiError(c, error);
    }
  });

  api.get('/projects/:projectId/groups_types', async (c) => {
    try {
      const project = await projectOf(c.req.param('projectId'));
      const types = await metadata.groupTypes(project.id);
      return c.json(types.map((t) => ({ group_type_index: t.index, group_type: t.groupType })));
    } catch (error) {
      return apiError(c, error);
    }
  });

  api.get('/projects/:projectId/groups', async (c) => {
    try {
      const project = await projectOf(c.req.param('projectId'));
      const index = param(c, 'group_type_index', (raw) => {
        const n = Number(raw);
        return Number.isInteger(n) && n >= 0 && n <= 4 ? n : undefined;
      });
      if (index === undefined) throw new ServerError('invalid_query', 'group_type_index');
      const key = c.req.query('group_key');
      if (key) {
        const group = await events.getGroup(project.id, index, key);
        return c.json({ results: group === undefined ? [] : [groupJson(group)], next: null });
      }
      const cursor = param(c, 'cursor', parseCursor);
      const page = await events.listGroups(project.id, index, {
        limit: param(c, 'limit', parseLimit(MAX_PAGE)) ?? DEFAULT_PAGE,
        ...(cursor === undefined ? {} : { cursor }),
      });
      return c.json({ results: page.results.map(groupJson), next: nextPath(c, page.nextCursor) });
    } catch (error) {
      return apiError(c, error);
    }
  });

  const runner = (sql: string, params: readonly (string | number | boolean | null)[]) =>
    events.readSql(sql, params);
  api.post('/projects/:projectId/query', queryHandler(store, runner, now));
  api.route('/', createProjectRoutes({ metadata, projects, projectOf }));
  api.route('/', createCohortRoutes({ metadata, runner, now, projectOf }));
  api.route('/', createFlagRoutes({ metadata, projectOf }));
  api.route('/', createExperimentPlanRoutes(projectOf));
  api.route('/', createExperimentRoutes({ metadata, runner, now, projectOf }));

  api.get('/projects/:projectId/ingestion', async (c) => {
    try {
      const project = await projectOf(c.req.param('projectId'));
      const counters = await metadata.getCounters(project.id);
      return c.json({
        strict: project.isStrict,
        events_stored: await events.countEvents(project.id),
        counters,
      });
    } catch (error) {
      return apiError(c, error);
    }
  });

  return api;
}

function personJson(p: {
  id: string;
  distinctIds: string[];
  properties: Record<string, unknown>;
  createdAt: string;
  isIdentified: boolean;
}) {
  return {
    id: p.id,
    distinct_ids: p.distinctIds,
    properties: p.properties,
    created_at: p.createdAt,
    is_identified: p.isIdentified,
  };
}

function groupJson(g: {
  groupTypeIndex: number;
  groupType: string;
  groupKey: string;
  properties: Record<string, unknown>;
  createdAt: string;
}) {
  return {
    group_type_index: g.groupTypeIndex,
    group_type: g.groupType,
    group_key: g.groupKey,
    group_properties: g.properties,
    created_at: g.createdAt,
  };
}
