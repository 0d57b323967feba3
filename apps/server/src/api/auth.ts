import type { MetadataStore } from '@tally/store';
import type { MiddlewareHandler } from 'hono';
import { ServerError } from '../errors.js';
import type { ProjectCache } from '../ingest/projects.js';
import { apiError } from './respond.js';

export interface ApiAuth {
  readonly projectIds: readonly number[] | 'all';
}

/**
 * The personal API key in `Authorization: Bearer <key>`. A project write token is public (it
 * ships inside apps) and is refused with its own message; anything else is `unauthorized`.
 */
export async function authenticateApiKey(
  header: string | undefined,
  metadata: MetadataStore,
  projects: ProjectCache,
): Promise<ApiAuth> {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (match === null) throw new ServerError('unauthorized');
  const key = match[1] as string;
  const auth = await metadata.resolveApiKey(key);
  if (auth === undefined) {
    const isWriteToken = (await projects.byTokenCached(key)) !== undefined;
    throw new ServerError(isWriteToken ? 'write_token_not_allowed' : 'unauthorized');
  }
  return auth;
}

/** 403 unless the key may read the project. */
export function requireProjectAccess(auth: ApiAuth, projectId: number): void {
  if (auth.projectIds !== 'all' && !auth.projectIds.includes(projectId))
    throw new ServerError('forbidden_project');
}

/**
 * Read API auth (authenticateApiKey); a key scoped to some projects gets 403 on others.
 */
export function requireApiKey(
  metadata: MetadataStore,
  projects: ProjectCache,
): MiddlewareHandler<{ Variables: { auth: ApiAuth } }> {
  return async (c, next) => {
    try {
      const auth = await authenticateApiKey(c.req.header('authorization'), metadata, projects);
      const id = c.req.param('projectId');
      if (id !== undefined) {
        const projectId = Number(id);
        if (!Number.isInteger(projectId)) throw new ServerError('not_found', 'project');
        requireProjectAccess(auth, projectId);
      }
      c.set('auth', auth);
      await next();
    } catch (error) {
      return apiError(c, error);
    }
  };
}
