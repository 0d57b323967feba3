import type { Catalog } from '@tally/catalog';
import type { GroupCommitter, Store } from '@tally/store';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { createApiRoutes } from './api/routes.js';
import { mountFlags } from './flags/routes.js';
import type { IngestCounts } from './ingest/counts.js';
import type { ProjectCache } from './ingest/projects.js';
import type { RateLimiter } from './ingest/rate-limit.js';
import { mountCapture } from './ingest/route.js';

export interface AppDeps {
  readonly store: Store;
  readonly committer: GroupCommitter;
  readonly catalog: Catalog;
  readonly projects: ProjectCache;
  readonly counts: IngestCounts;
  readonly rateLimiter: RateLimiter;
  readonly hashId: (id: string) => string;
  readonly mintUuid: (nowMs: number) => string;
  readonly now: () => number;
  readonly maxDecompressedBytes: number;
}

/**
 * The whole HTTP surface as one Hono app: `app.fetch` serves a real port (`tally start`) and
 * in-process tests alike.
 */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  // Browsers send capture requests cross-origin with credentials: mirror the origin (PostHog does).
  app.use(
    '*',
    cors({
      origin: (origin) => origin,
      credentials: true,
      allowMethods: ['GET', 'POST', 'PATCH', 'OPTIONS'],
    }),
  );
  for (const path of ['/_health', '/_readiness', '/_liveness']) {
    app.get(path, (c) => c.json({ status: 'ok' }));
  }
  app.get('/', (c) =>
    c.html(
      '<!doctype html><title>Tally</title><h1>Tally is running</h1>' +
        '<p>Send events to <code>/batch/</code> with a project token; read them at ' +
        '<code>/api/projects/1/events</code> with a personal API key. The dashboard arrives in a later release.</p>',
    ),
  );
  mountCapture(app, deps);
  mountFlags(app, {
    store: deps.store,
    projects: deps.projects,
    runner: (sql, params) => deps.store.events.readSql(sql, params),
    hashId: deps.hashId,
    now: deps.now,
    maxDecompressedBytes: deps.maxDecompressedBytes,
  });
  app.route('/api', createApiRoutes(deps.store, deps.projects, deps.now));
  app.notFound((c) =>
    c.json({ type: 'invalid_request', code: 'not_found', detail: 'not found', attr: null }, 404),
  );
  return app;
}
