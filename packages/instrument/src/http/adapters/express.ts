import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { HttpCore } from '../core.js';
import type { Identify } from '../options.js';

export interface ExpressAdapterOptions {
  /** Overrides the instrumentation's `identify` for this app, typed for Express. */
  identify?: Identify<Request>;
}

const ROUTE = Symbol('tally.route');
const ERROR = Symbol('tally.error');

interface Tracked {
  [ROUTE]?: string;
  [ERROR]?: { error: unknown };
}

/**
 * Express middleware; register it before the routes (`app.use(http.express())`). The route is
 * `req.baseUrl` + `req.route.path` taken when the router assigns `req.route`: Express restores
 * `baseUrl` as an error unwinds out of a mounted router, so reading both at `finish` could join
 * the wrong base. Add {@link expressErrorRecorder} after the routes to record thrown errors.
 */
export function expressMiddleware(
  core: HttpCore,
  options: ExpressAdapterOptions = {},
): RequestHandler {
  const identify = options.identify ?? ((req: Request) => core.identify(req));
  const { now } = core.options;
  return function tallyHttp(req, res, next) {
    const start = now();
    const tracked = req as Request & Tracked;
    let route: unknown;
    Object.defineProperty(req, 'route', {
      configurable: true,
      enumerable: true,
      get: () => route,
      set(value: { path?: unknown } | undefined) {
        route = value;
        if (typeof value?.path === 'string') tracked[ROUTE] = req.baseUrl + value.path;
      },
    });
    res.once('finish', () => {
      const thrown = tracked[ERROR];
      core.record({
        method: req.method,
        route: core.route(tracked[ROUTE], req.originalUrl),
        status: res.statusCode,
        durationMs: now() - start,
        identity: identify(req),
        hasError: thrown !== undefined,
        error: thrown?.error,
      });
    });
    next();
  };
}

/** Express error middleware that notes the error for the `finish` record and passes it on. */
export function expressErrorRecorder(): ErrorRequestHandler {
  return function tallyHttpErrors(error, req, _res, next) {
    (req as Request & Tracked)[ERROR] = { error };
    next(error);
  };
}
