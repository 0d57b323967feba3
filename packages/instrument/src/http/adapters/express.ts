import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { HttpCore } from '../core.js';
import type { Identify } from '../options.js';
import { templateRawPath } from '../route.js';

export interface ExpressAdapterOptions {
  /** Overrides the instrumentation's `identify` for this app, typed for Express. */
  identify?: Identify<Request>;
}

const ERROR = Symbol('tally.error');
const START = Symbol('tally.start');

interface Timed {
  [START]?: number;
}

interface Tracked {
  [ERROR]?: { error: unknown; template: string | undefined };
}

function routePathOf(req: Request): string | undefined {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? path : undefined;
}

/**
 * The template while an error unwinds. Express restores `req.baseUrl` as the error leaves each
 * mounted router, so by the time an app-level error middleware runs it has lost the mount
 * path; `req.route.path` stays. The route matched the last segments of the path, so the mount
 * is the segments before them, templated as a raw path (a `/tenants/4711` mount becomes
 * `/tenants/:id`). A route with a wildcard or an optional part cannot be counted: undefined,
 * and the whole raw path is templated.
 */
function templateAtError(req: Request): string | undefined {
  const path = routePathOf(req);
  if (path === undefined) return undefined;
  if (/[*?{}()]/.test(path)) return undefined;
  const routeSegments = path.split('/').filter((s) => s !== '').length;
  const rawSegments =
    req.originalUrl
      .split(/[?#]/, 1)[0]
      ?.split('/')
      .filter((s) => s !== '') ?? [];
  const mount = rawSegments.slice(0, Math.max(0, rawSegments.length - routeSegments));
  return mount.length === 0 ? path : templateRawPath(`/${mount.join('/')}`) + path;
}

/**
 * Express middleware; register it before the routes (`app.use(http.express())`). On
 * `finish` the route is `req.baseUrl` + `req.route.path`: a handler that answered leaves both
 * as they were when it ran. Add {@link expressErrorRecorder} after the routes to record thrown
 * errors (and their route; see `templateAtError`).
 *
 * Not done: making `req.route` an accessor to note `baseUrl` when the router assigns it. Even
 * defined once on `app.request` it cost Express 15% of its CPU per request in bench/middleware.
 */
export function expressMiddleware(
  core: HttpCore,
  options: ExpressAdapterOptions = {},
): RequestHandler {
  const { identify } = options;
  const { now } = core.options;
  // One listener for every response (`this` is the response, `res.req` its request): no
  // closure per request on the hot path.
  function onFinish(this: Response & Timed) {
    const req = this.req as Request & Tracked;
    const thrown = req[ERROR];
    const path = routePathOf(req);
    core.record({
      method: req.method,
      template: thrown !== undefined ? thrown.template : path && req.baseUrl + path,
      rawPath: req.originalUrl,
      status: this.statusCode,
      durationMs: now() - (this[START] ?? 0),
      request: req,
      identify,
      hasError: thrown !== undefined,
      error: thrown?.error,
    });
  }
  return function tallyHttp(_req, res, next) {
    (res as Response & Timed)[START] = now();
    res.on('finish', onFinish);
    next();
  };
}

/** Express error middleware that notes the error (and its route) and passes it on. */
export function expressErrorRecorder(): ErrorRequestHandler {
  return function tallyHttpErrors(error, req, _res, next) {
    (req as Request & Tracked)[ERROR] = { error, template: templateAtError(req) };
    next(error);
  };
}
