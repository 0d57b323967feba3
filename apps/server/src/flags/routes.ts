import { randomUUID } from 'node:crypto';
import type { SqlRunner } from '@tally/query';
import type { Store } from '@tally/store';
import type { Context, Hono } from 'hono';
import { authenticateApiKey, requireProjectAccess } from '../api/auth.js';
import { apiError } from '../api/respond.js';
import { ServerError } from '../errors.js';
import { readBodyLimited } from '../ingest/body.js';
import type { ProjectCache } from '../ingest/projects.js';
import { plainTextError } from '../ingest/route.js';
import { loadDefinitions, matchesEtag } from './definitions.js';
import { evaluateRemotely } from './remote.js';
import { decodeFlagRequest } from './request.js';
import { flagResponse, responseShape } from './respond.js';

// Flags for SDKs. Remote evaluation at `/flags` (`?v=2` details, else PostHog's legacy maps) and
// `/decide` (`v=1..4`), by project token like capture, errors in plain text as PostHog answers
// them. Flag definitions for local evaluation in server SDKs, at both paths SDKs poll
// (posthog-node >= 5.29.4: `/flags/definitions`; older SDKs: `/api/feature_flag/local_evaluation`),
// with or without a trailing slash. The project is named by its token (`?token=`), the caller
// proves read access with a personal API key (`Authorization: Bearer`). `If-None-Match` with the
// current ETag gets 304 and no body.

export const DEFINITIONS_PATHS = [
  '/flags/definitions',
  '/flags/definitions/',
  '/api/feature_flag/local_evaluation',
  '/api/feature_flag/local_evaluation/',
] as const;

export const EVALUATION_PATHS = ['/flags', '/flags/', '/decide', '/decide/'] as const;
/** A flag request is small; PostHog's flags service takes up to 1 MB too. */
const MAX_FLAG_REQUEST_BYTES = 1_000_000;

export interface FlagRouteDeps {
  readonly store: Store;
  readonly projects: ProjectCache;
  readonly runner: SqlRunner;
  readonly hashId: (id: string) => string;
  readonly now: () => number;
  readonly maxDecompressedBytes: number;
}

export function mountFlags(app: Hono, deps: FlagRouteDeps): void {
  const definitions = async (c: Context) => {
    try {
      const projectId = await readableProject(c, deps);
      const { body, etag } = await loadDefinitions(deps.store.metadata, projectId);
      c.header('ETag', etag);
      c.header('Cache-Control', 'no-cache');
      if (matchesEtag(c.req.header('if-none-match'), etag)) return c.body(null, 304);
      return c.json(body);
    } catch (error) {
      return apiError(c, error);
    }
  };
  for (const path of DEFINITIONS_PATHS) app.get(path, definitions);

  const evaluate = async (c: Context) => {
    const url = new URL(c.req.url);
    const shape = responseShape(url.pathname, url.searchParams.get('v') ?? undefined);
    try {
      if (c.req.method === 'GET' && !url.searchParams.has('data'))
        return c.json(flagResponse(shape, [], randomUUID(), deps.now()));
      const request = await decodeFlagRequest(
        {
          path: url.pathname,
          query: url.searchParams,
          contentType: c.req.header('content-type'),
          contentEncoding: c.req.header('content-encoding'),
          body:
            c.req.method === 'POST'
              ? await readBodyLimited(c.req.raw, MAX_FLAG_REQUEST_BYTES)
              : new Uint8Array(),
        },
        { maxBodyBytes: MAX_FLAG_REQUEST_BYTES, maxDecompressedBytes: deps.maxDecompressedBytes },
      );
      const project = await deps.projects.byTokenCached(request.token);
      if (project === undefined) throw new ServerError('unknown_token', 'token');
      const answers = await evaluateRemotely(deps, project.id, request);
      return c.json(flagResponse(shape, answers, randomUUID(), deps.now()));
    } catch (error) {
      return plainTextError(c, error, { log: '[tally] flags failed', body: 'internal error' });
    }
  };
  for (const path of EVALUATION_PATHS) app.on(['GET', 'POST'], path, evaluate);
}

/** The project of `?token=`, when the Bearer personal API key may read it. */
async function readableProject(c: Context, deps: FlagRouteDeps): Promise<number> {
  const auth = await authenticateApiKey(
    c.req.header('authorization'),
    deps.store.metadata,
    deps.projects,
  );
  const token = c.req.query('token') ?? '';
  const project = token === '' ? undefined : await deps.projects.byTokenCached(token);
  if (project === undefined) throw new ServerError('unknown_token', 'token');
  requireProjectAccess(auth, project.id);
  return project.id;
}
