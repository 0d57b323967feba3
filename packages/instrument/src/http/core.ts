import { HTTP_METHODS, STATUS_CLASSES } from '@tally/catalog';
import type { CaptureClient } from '../analytics.js';
import { errorTypeOf } from '../error-type.js';
import type { Identify, RequestIdentity, ResolvedHttpOptions } from './options.js';
import { normalizeTemplate, templateRawPath } from './route.js';

type Method = (typeof HTTP_METHODS)[number];
type StatusClass = (typeof STATUS_CLASSES)[number];
const METHODS: ReadonlySet<string> = new Set(HTTP_METHODS);
const MAX_CACHED_TEMPLATES = 1_000;

/**
 * What an adapter observed about one request; the core decides which events it becomes. The
 * route and the identity are worked out only for a request that emits (most are sampled out).
 */
export interface RequestOutcome {
  readonly method: string;
  /** The framework's route template when a route matched, else undefined. */
  readonly template: string | undefined;
  /** The raw path (a query is fine); templated only when no route matched. */
  readonly rawPath: string;
  /** The status sent; for a thrown error the adapter passes the error response's status. */
  readonly status: number;
  readonly durationMs: number;
  /** The framework's request object, handed to `identify`. */
  readonly request: unknown;
  /** The adapter's own `identify`; default the instrumentation's. */
  readonly identify?: Identify<never> | undefined;
  readonly hasError: boolean;
  readonly error?: unknown;
}

/**
 * Which events a finished request emits, as bits ({@link EMITS_REQUEST} and the like); 0 for
 * none, the fate of most fast successful requests.
 */
export type Emits = number;
export const EMITS_REQUEST = 1;
/** `api_request` with `sample_rate` 1: an error, a status >= 400 or a slow request. */
export const EMITS_KEPT_REQUEST = 2;
export const EMITS_SLOW_QUERY = 4;

export interface HttpCore {
  readonly options: ResolvedHttpOptions;
  /** The framework's template when a route matched, else the raw path with its ids replaced. */
  route(template: string | undefined, rawPath: string): string;
  /**
   * Classifies and samples a finished request from three numbers, so an adapter builds its
   * {@link RequestOutcome} only for a request that emits (a sampled-out request costs no object:
   * in bench/middleware that was about 1 us of Express's ~115 us per request). Draws `random`
   * once per call.
   */
  emits(status: number, durationMs: number, hasError: boolean): Emits;
  /** Emits the request's events; `emits` defaults to a fresh draw for the outcome. */
  record(outcome: RequestOutcome, emits?: Emits): void;
  /** Only the `api_error` of an outcome: for an error that surfaced after `record` ran. */
  recordError(outcome: RequestOutcome): void;
}

/**
 * The one place that turns a request into events (classify -> sample -> emit):
 * - `api_request` for every error (thrown, or status >= 400) and slow request, with
 *   `sample_rate` 1; for the fast successful rest with probability `sampleRate`, recorded as
 *   `sample_rate`, so sum(1 / sample_rate) estimates the total;
 * - `api_error` when the handler threw: error class and status, never the message;
 * - `slow_query` above `slowQueryMs` (never sampled; measures the whole request).
 * A method outside the catalog's list (`PROPFIND`, `TRACE`) is not recorded. A throwing
 * `identify` makes the request anonymous and goes to `onError`.
 */
export function createHttpCore(analytics: CaptureClient, options: ResolvedHttpOptions): HttpCore {
  const { sampleRate, slowRequestMs, slowQueryMs, random, onError } = options;
  const templates = new Map<string, string>();

  function route(template: string | undefined, rawPath: string): string {
    if (template === undefined) return templateRawPath(rawPath);
    let normalized = templates.get(template);
    if (normalized === undefined) {
      normalized = normalizeTemplate(template);
      if (templates.size < MAX_CACHED_TEMPLATES) templates.set(template, normalized);
    }
    return normalized;
  }

  function identityOf(outcome: RequestOutcome): RequestIdentity | undefined {
    const identify = (outcome.identify ?? options.identify) as Identify<unknown> | undefined;
    if (identify === undefined) return undefined;
    try {
      return identify(outcome.request);
    } catch (error) {
      onError(error);
      return undefined;
    }
  }

  function methodOf(outcome: RequestOutcome): Method | undefined {
    if (METHODS.has(outcome.method)) return outcome.method as Method;
    const upper = outcome.method.toUpperCase();
    return METHODS.has(upper) ? (upper as Method) : undefined;
  }

  /** Everything the events share, computed once for a request that emits. */
  function common(outcome: RequestOutcome, method: Method) {
    const identity = identityOf(outcome);
    const context =
      identity === undefined
        ? undefined
        : {
            ...(identity.distinctId === undefined ? {} : { userId: identity.distinctId }),
            ...(identity.tenantId === undefined ? {} : { tenantId: identity.tenantId }),
          };
    return {
      route: route(outcome.template, outcome.rawPath),
      method,
      durationMs: Math.max(0, Math.round(outcome.durationMs * 100) / 100),
      hasAuth: identity !== undefined,
      context,
    };
  }

  function emitError(outcome: RequestOutcome, shared: ReturnType<typeof common>): void {
    const { status } = outcome;
    analytics.capture(
      'api_error',
      {
        route: shared.route,
        method: shared.method,
        status: isStatus(status) ? status : 500,
        error_type: errorTypeOf(outcome.error),
        duration_ms: shared.durationMs,
        has_auth: shared.hasAuth,
      },
      shared.context,
    );
  }

  function emits(status: number, durationMs: number, hasError: boolean): Emits {
    const isKept = hasError || status >= 400 || durationMs > slowRequestMs;
    const slow = durationMs > slowQueryMs ? EMITS_SLOW_QUERY : 0;
    if (isKept) return EMITS_KEPT_REQUEST | slow;
    return (sampleRate >= 1 || random() < sampleRate ? EMITS_REQUEST : 0) | slow;
  }

  return {
    options,
    route,
    emits,
    record(outcome, emitted = emits(outcome.status, outcome.durationMs, outcome.hasError)) {
      if (emitted === 0) return;
      const method = methodOf(outcome);
      if (method === undefined) return;
      const { status } = outcome;
      const shared = common(outcome, method);
      if ((emitted & (EMITS_REQUEST | EMITS_KEPT_REQUEST)) !== 0 && isStatus(status)) {
        const isKept = (emitted & EMITS_KEPT_REQUEST) !== 0;
        analytics.capture(
          'api_request',
          {
            route: shared.route,
            method,
            status,
            status_class: STATUS_CLASSES[Math.floor(status / 100) - 1] as StatusClass,
            duration_ms: shared.durationMs,
            has_auth: shared.hasAuth,
            is_slow: outcome.durationMs > slowRequestMs,
            sample_rate: isKept ? 1 : sampleRate,
          },
          shared.context,
        );
      }
      if (outcome.hasError) emitError(outcome, shared);
      if ((emitted & EMITS_SLOW_QUERY) !== 0) {
        analytics.capture(
          'slow_query',
          {
            route: shared.route,
            method,
            duration_ms: shared.durationMs,
            threshold_ms: slowQueryMs,
          },
          shared.context,
        );
      }
    },
    recordError(outcome) {
      const method = methodOf(outcome);
      if (method !== undefined) emitError(outcome, common(outcome, method));
    },
  };
}

function isStatus(status: number): boolean {
  return Number.isInteger(status) && status >= 100 && status <= 599;
}
