import { z } from 'zod';
import { hook, parseOptions, thresholdMs } from '../options.js';

/** Fraction of fast successful requests reported as `api_request`. */
export const DEFAULT_SAMPLE_RATE = 0.1;
/** Above this a request is `is_slow` (and always reported); prior art's 1 s. */
export const DEFAULT_SLOW_REQUEST_MS = 1_000;
/** Above this a request also emits `slow_query`; prior art's 2 s. */
export const DEFAULT_SLOW_QUERY_MS = 2_000;
/** The catalog's lower bound for `sample_rate`. */
export const MIN_SAMPLE_RATE = 0.0001;

/** Who made a request; the ids leave the process keyed-hashed on-premise. */
export interface RequestIdentity {
  readonly distinctId?: string;
  readonly tenantId?: string;
}

/**
 * Reads the user and tenant from the framework's request object, after the handler ran (so an
 * auth middleware has set them): a Hono `Context`, an Express or Fastify request, the Fetch
 * `Request` in Next.js, or node's `IncomingMessage`.
 */
export type Identify<R = never> = (request: R) => RequestIdentity | undefined;

export interface HttpInstrumentationOptions<R = never> {
  /** Default {@link DEFAULT_SAMPLE_RATE}; 1 keeps every request. Between 0.0001 and 1. */
  sampleRate?: number;
  /** Default {@link DEFAULT_SLOW_REQUEST_MS}. */
  slowRequestMs?: number;
  /** Default {@link DEFAULT_SLOW_QUERY_MS}. */
  slowQueryMs?: number;
  /** A request is `has_auth` when this returns an identity. Default: every request anonymous. */
  identify?: Identify<R>;
  /** Uniform in [0, 1); default `Math.random`. */
  random?: () => number;
  /** Milliseconds on a monotonic clock; default `performance.now`. */
  now?: () => number;
  /** Gets what `identify` threw (the request then counts as anonymous). Default: ignored. */
  onError?: (error: unknown) => void;
}

const schema = z.strictObject({
  sampleRate: z.number().min(MIN_SAMPLE_RATE).max(1).default(DEFAULT_SAMPLE_RATE),
  slowRequestMs: thresholdMs().default(DEFAULT_SLOW_REQUEST_MS),
  slowQueryMs: thresholdMs().default(DEFAULT_SLOW_QUERY_MS),
  identify: hook<Identify<unknown>>('identify').optional(),
  random: hook<() => number>('random').default(() => Math.random),
  now: hook<() => number>('now').default(() => () => performance.now()),
  onError: hook<(error: unknown) => void>('onError').default(() => () => {}),
});

export type ResolvedHttpOptions = Readonly<z.output<typeof schema>>;

export function resolveHttpOptions(
  options: HttpInstrumentationOptions<never>,
): ResolvedHttpOptions {
  return parseOptions(schema, options);
}
