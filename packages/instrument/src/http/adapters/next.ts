import type { HttpCore } from '../core.js';
import type { Identify } from '../options.js';

export interface NextAdapterOptions {
  /** Overrides the instrumentation's `identify`, typed for the Fetch `Request`. */
  identify?: Identify<Request>;
}

/** An App Router route handler: `export const GET = ...` in `app/.../route.ts`. */
export type RouteHandler<Ctx> = (request: Request, context: Ctx) => Response | Promise<Response>;
/** The wrapped handler: always async. */
export type WrappedRouteHandler<Ctx> = (request: Request, context: Ctx) => Promise<Response>;

/**
 * Next.js's `redirect()` and `notFound()` throw errors whose `digest` names the response
 * (`NEXT_REDIRECT;replace;/path;307;`, `NEXT_HTTP_ERROR_FALLBACK;404`, `NEXT_NOT_FOUND`).
 * They are control flow, not failures: recorded as the status Next will send.
 */
function controlFlowStatus(error: unknown): number | undefined {
  const digest = (error as { digest?: unknown } | null)?.digest;
  if (typeof digest !== 'string') return undefined;
  if (digest.startsWith('NEXT_REDIRECT')) return Number(digest.split(';')[3]) || 307;
  if (digest === 'NEXT_NOT_FOUND') return 404;
  if (digest.startsWith('NEXT_HTTP_ERROR_FALLBACK;')) return Number(digest.split(';')[1]) || 404;
  return undefined;
}

/**
 * Wraps an App Router route handler. Next does not hand the file route to the handler, so the
 * wrapper takes it: `'/api/tickets/[id]'` is recorded as `/api/tickets/:id`. A thrown error is
 * recorded as `api_error` with status 500 (what Next sends) and re-thrown unchanged.
 */
export function nextRouteHandler<Ctx>(
  core: HttpCore,
  template: string,
  handler: RouteHandler<Ctx>,
  options: NextAdapterOptions = {},
): WrappedRouteHandler<Ctx> {
  const { identify } = options;
  const { now } = core.options;
  return async function tallyHttp(request, context) {
    const start = now();
    const record = (status: number, hasError: boolean, error?: unknown): void => {
      const durationMs = now() - start;
      const emits = core.emits(status, durationMs, hasError);
      if (emits === 0) return;
      const rawPath = template;
      core.record(
        {
          method: request.method,
          template,
          rawPath,
          status,
          durationMs,
          request,
          identify,
          hasError,
          error,
        },
        emits,
      );
    };
    try {
      const response = await handler(request, context);
      record(response.status, false);
      return response;
    } catch (error) {
      const status = controlFlowStatus(error);
      record(status ?? 500, status === undefined, error);
      throw error;
    }
  };
}
