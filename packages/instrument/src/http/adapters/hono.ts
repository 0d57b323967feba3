import type { Context, MiddlewareHandler } from 'hono';
import type { HttpCore } from '../core.js';
import type { Identify } from '../options.js';

export interface HonoAdapterOptions {
  /** Overrides the instrumentation's `identify` for this app, typed for Hono. */
  identify?: Identify<Context>;
}

/**
 * Hono middleware; register it first (`app.use(http.hono())`). The route is `c.req.routePath`
 * read after `next()`, when it names the handler that answered (sub-apps included). Hono's
 * compose catches a handler's error, sets `c.error` and answers through `onError`, so the
 * status recorded is the one that handler sent.
 */
export function honoMiddleware(
  core: HttpCore,
  options: HonoAdapterOptions = {},
): MiddlewareHandler {
  const { identify } = options;
  const { now } = core.options;
  return async function tallyHttp(c, next) {
    const start = now();
    const ownIndex = c.req.routeIndex;
    let thrown: { error: unknown } | undefined;
    try {
      await next();
    } catch (error) {
      thrown = { error }; // not an Error instance: Hono rethrows it past onError
      throw error;
    } finally {
      const durationMs = now() - start;
      const status = thrown === undefined ? c.res.status : 500;
      const error = thrown === undefined ? c.error : thrown.error;
      const hasError = thrown !== undefined || error !== undefined;
      const emits = core.emits(status, durationMs, hasError);
      if (emits !== 0) {
        let template: string | undefined;
        if (c.req.routeIndex !== ownIndex) {
          template = c.req.routePath;
          // Only a catch-all middleware saw a 404: no route matched.
          if (status === 404 && template.endsWith('*')) template = undefined;
        }
        core.record(
          {
            method: c.req.method,
            template,
            rawPath: c.req.path,
            status,
            durationMs,
            request: c,
            identify,
            hasError,
            error,
          },
          emits,
        );
      }
    }
  };
}
