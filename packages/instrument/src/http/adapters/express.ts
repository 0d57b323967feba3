import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { HttpCore } from '../core.js';
import type { Identify } from '../options.js';
import { templateRawPath } from '../route.js';

export interface ExpressAdapterOptions {
  /** Overrides the instrumentation's `identify` for this app, typed for Express. */
  identify?: Identify<Request>;
}

const ERROR = Symbol('tally.error');

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
 * The start time lives in the per-request `finish` closure, not on the response: adding a
 * property to every `res` (a symbol, even) cost ~3% of Express's CPU per request in
 * bench/middleware, a closure too little to tell apart from noise. Not done either: making
 * `req.route` an accessor to note `baseUrl` when the router assigns it (15% of the CPU); the
 * start time under a symbol in `res.locals` with one `finish` listener shared by the app (no
 * per-request closure), which was no faster in bench/middleware (instrumented over closure:
 * 0.95-0.99 req/s in 4 runs) and loses the request when a handler replaces `res.locals`.
 */
export function expressMiddleware(
  core: HttpCore,
  options: ExpressAdapterOptions = {},
): RequestHandler {
  const { identify } = options;
  const { now } = core.options;
  function record(req: Request & Tracked, res: Response, start: number): void {
    const thrown = req[ERROR];
    const durationMs = now() - start;
    const emits = core.emits(res.statusCode, durationMs, thrown !== undefined);
    if (emits === 0) return;
    const path = routePathOf(req);
    core.record(
      {
        method: req.method,
        template: thrown !== undefined ? thrown.template : path && req.baseUrl + path,
        rawPath: req.originalUrl,
        status: res.statusCode,
        durationMs,
        request: req,
        identify,
        hasError: thrown !== undefined,
        error: thrown?.error,
      },
      emits,
    );
  }
  return function tallyHttp(req, res, next) {
    const start = now();
    res.on('finish', () => record(req, res, start));
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
