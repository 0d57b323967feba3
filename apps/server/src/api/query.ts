import { isQueryError, runQuery, type SqlRunner } from '@tally/query';
import type { Store } from '@tally/store';
import type { Context } from 'hono';
import { ServerError } from '../errors.js';
import { storedCohorts } from './cohorts.js';
import { apiError } from './respond.js';

/**
 * `POST /api/projects/:id/query` with `{"query": {...}}` in PostHog's query-node shapes
 * (TrendsQuery, FunnelsQuery, RetentionQuery, StickinessQuery, LifecycleQuery). Dates resolve in
 * the project's time zone; `filterTestAccounts: true` applies the project's test-account filters,
 * read with the project on every request (a PATCH counts from the next query); a validation
 * error names the field (`attr`).
 */
export function queryHandler(store: Store, runner: SqlRunner, now: () => number) {
  return async (c: Context) => {
    try {
      const project = await store.metadata.getProject(Number(c.req.param('projectId')));
      if (project === undefined) throw new ServerError('not_found', 'project');
      const body = (await c.req.json().catch(() => undefined)) as { query?: unknown } | undefined;
      if (body === undefined || typeof body !== 'object' || body === null || !('query' in body)) {
        throw new ServerError('invalid_body', 'query');
      }
      const response = await runQuery(body.query, {
        projectId: project.id,
        timezone: project.timezone,
        now: now(),
        runner,
        cohorts: storedCohorts(store.metadata, project.id),
        testAccountFilters: project.testAccountFilters,
      });
      return c.json(response);
    } catch (error) {
      if (isQueryError(error)) {
        const type = error.status === 400 ? 'validation_error' : 'server_error';
        if (error.status >= 500 && error.code !== 'not_implemented')
          console.error('[tally] query failed', error);
        return c.json(
          { type, code: error.code, detail: error.message, attr: error.path ?? null },
          error.status as 400,
        );
      }
      return apiError(c, error);
    }
  };
}
