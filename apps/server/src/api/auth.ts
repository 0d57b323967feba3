import type { MetadataStore } from '@tally/store';
import type { MiddlewareHandler } from 'hono';
import { ServerError } from '../errors.js';
import type { ProjectCache } from '../ingest/projects.js';
import { apiError } from './respond.js';

export interface ApiAuth {
  readonly projectIds: readonly number[] | 'all';
}

/**
 * Read API auth: `Authorization: Bearer <personal API key>`. A project write token is public
 * (it ships inside apps) and gets 401 here; a key scoped to some projects gets 403 on others.
 */
export function requireApiKey(
  metadata: MetadataStore,
  projects: ProjectCache,
): MiddlewareHandler<{ Variables: { auth: ApiAuth } }> {
  return async (c, next) => {
    try {
      const header = c.req.header('authorization') ?? '';
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (match === null) throw new ServerError('unauthorized');
      const key = match[1] as string;
      const auth = await metadata.resolveApiKey(key);
      if (auth === undefined) {
        const isWriteToken = (await projects.byTokenCached(key)) !== undefined;
        throw new ServerError(isWriteToken ? 'write_token_not_allowed' : 'unauthorized');
      }
      const id = c.req.param('projectId');
      if (id !== undefined) {
        const projectId = Number(id);
        if (!Number.isInteger(projectId)) throw new ServerError('not_found', 'project');
        if (auth.projectIds !== 'all' && !auth.projectIds.includes(projectId))
          throw new ServerError('forbidden_project');
      }
      c.set('auth', auth);
      await next();
    } catch (error) {
      return apiError(c, error);
    }
  };
}
