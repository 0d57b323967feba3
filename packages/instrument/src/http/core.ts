import { HTTP_METHODS, STATUS_CLASSES } from '@tally/catalog';
import type { CaptureClient } from '../analytics.js';
import { errorTypeOf } from '../error-type.js';
import type { RequestIdentity, ResolvedHttpOptions } from './options.js';
import { normalizeTemplate, templateRawPath } from './route.js';

type Method = (typeof HTTP_METHODS)[number];
type StatusClass = (typeof STATUS_CLASSES)[number];
const METHODS: ReadonlySet<string> = new Set(HTTP_METHODS);
const MAX_CACHED_TEMPLATES = 1_000;

/** What an adapter observed about one request; the core decides which events it becomes. */
export interface RequestOutcome {
  readonly method: string;
  /** The route in the catalog's form, from {@link HttpCore.route}. */
  readonly route: string;
  /** The status sent; for a thrown error the adapter passes the error response's status. */
  readonly status: number;
  readonly durationMs: number;
  readonly identity: RequestIdentity | undefined;
  readonly hasError: boolean;
  readonly error?: unknown;
}

export interface HttpCore {
  readonly options: ResolvedHttpOptions;
  /** The framework's template when a route matched, else the raw path with its ids replaced. */
  route(template: string | undefined, rawPath: string): string;
  /** Runs the `identify` option; a throwing `identify` counts as anonymous, via `onError`. */
  identify(request: unknown): RequestIdentity | undefined;
  record(outcome: RequestOutcome): void;
  /** Only the `api_error` of an outcome: for an error that surfaced after `record` ran. */
  recordError(outcome: RequestOutcome): void;
}

/**
 * The one place that turns a request into events (measure -> classify -> emit):
 * - `api_request` for every error (thrown, or status >= 400) and slow request, with
 *   `sample_rate` 1; for the fast successful rest with probability `sampleRate`, recorded as
 *   `sample_rate`, so sum(1 / sample_rate) estimates the total;
 * - `api_error` when the handler threw: error class and status, never the message;
 * - `slow_query` above `slowQueryMs` (never sampled; measures the whole request).
 * A method outside the catalog's list (`PROPFIND`, `TRACE`) is not recorded.
 */
export function createHttpCore(analytics: CaptureClient, options: ResolvedHttpOptions): HttpCore {
  const { sampleRate, slowRequestMs, slowQueryMs, random, onError } = options;
  const templates = new Map<string, string>();

  function contextOf(identity: RequestIdentity | undefined) {
    if (identity === undefined) return undefined;
    return {
      ...(identity.distinctId === undefined ? {} : { userId: identity.distinctId }),
      ...(identity.tenantId === undefined ? {} : { tenantId: identity.tenantId }),
    };
  }

  function emitError(outcome: RequestOutcome, method: Method, durationMs: number): void {
    const { status } = outcome;
    analytics.capture(
      'api_error',
      {
        route: outcome.route,
        method,
        status: Number.isInteger(status) && status >= 100 && status <= 599 ? status : 500,
        error_type: errorTypeOf(outcome.error),
        duration_ms: durationMs,
        has_auth: outcome.identity !== undefined,
      },
      contextOf(outcome.identity),
    );
  }

  const durationOf = (outcome: RequestOutcome) =>
    Math.max(0, Math.round(outcome.durationMs * 100) / 100);

  return {
    options,
    route(template, rawPath) {
      if (template === undefined) return templateRawPath(rawPath);
      let route = templates.get(template);
      if (route === undefined) {
        route = normalizeTemplate(template);
        if (templates.size < MAX_CACHED_TEMPLATES) templates.set(template, route);
      }
      return route;
    },
    identify(request) {
      if (options.identify === undefined) return undefined;
      try {
        return options.identify(request);
      } catch (error) {
        onError(error);
        return undefined;
      }
    },
    record(outcome) {
      const method = outcome.method.toUpperCase();
      if (!METHODS.has(method)) return;
      const { route, status, hasError, identity } = outcome;
      const durationMs = durationOf(outcome);
      const isSlow = durationMs > slowRequestMs;
      const hasAuth = identity !== undefined;
      const context = contextOf(identity);
      const isValidStatus = Number.isInteger(status) && status >= 100 && status <= 599;
      const isKept = hasError || isSlow || status >= 400;
      if (isValidStatus && (isKept || sampleRate >= 1 || random() < sampleRate)) {
        analytics.capture(
          'api_request',
          {
            route,
            method: method as Method,
            status,
            status_class: STATUS_CLASSES[Math.floor(status / 100) - 1] as StatusClass,
            duration_ms: durationMs,
            has_auth: hasAuth,
            is_slow: isSlow,
            sample_rate: isKept ? 1 : sampleRate,
          },
          context,
        );
      }
      if (hasError) emitError(outcome, method as Method, durationMs);
      if (durationMs > slowQueryMs) {
        analytics.capture(
          'slow_query',
          { route, method: method as Method, duration_ms: durationMs, threshold_ms: slowQueryMs },
          context,
        );
      }
    },
    recordError(outcome) {
      const method = outcome.method.toUpperCase();
      if (METHODS.has(method)) emitError(outcome, method as Method, durationOf(outcome));
    },
  };
}
