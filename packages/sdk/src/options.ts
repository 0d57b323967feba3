import {
  type Catalog,
  DEPLOYMENTS,
  type Deployment,
  ENVIRONMENTS,
  type Environment,
} from '@tally/catalog';
import { z } from 'zod';
import type { CaptureContext } from './context.js';
import { SdkError } from './errors.js';
import { uuidv7 } from './ids.js';

export type UsageStatsMode = 'off' | 'local' | 'on';

export const DEFAULT_USAGE_STATS_SWITCH = 'TALLY_USAGE_STATS';
export const DEFAULT_TENANT_GROUP_TYPE = 'tenant';
export const DEFAULT_FLUSH_AT = 100;
export const DEFAULT_FLUSH_INTERVAL_MS = 5_000;
export const DEFAULT_MAX_QUEUE_SIZE = 10_000;
export const DEFAULT_MAX_BATCH_SIZE = 100;
export const DEFAULT_MAX_BATCH_BYTES = 1_048_576;
export const DEFAULT_MAX_RETRIES = 5;
export const DEFAULT_RETRY_BASE_MS = 500;
export const DEFAULT_RETRY_MAX_MS = 30_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_SPOOL_BYTES = 50 * 1_048_576;
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 30_000;
export const MIN_SECRET_LENGTH = 32;
export const DEFAULT_FLAG_POLL_INTERVAL_MS = 30_000;
/** posthog-node's per-attempt timeout for `/flags` (wire protocol §3.5). */
export const DEFAULT_FLAG_REQUEST_TIMEOUT_MS = 3_000;
/** Where `dataDir` keeps the last flag definitions seen (for offline starts). */
export const FLAG_DEFINITIONS_FILE = 'flag-definitions.json';

/** Feature flags; see `getFeatureFlag`. */
export interface FlagsOptions {
  /** How often definitions are polled (with `personalApiKey`). Default 30 s. */
  pollIntervalMs?: number;
  /** Cache of the last definitions; default `<dataDir>/flag-definitions.json`, none without `dataDir`. */
  definitionsFile?: string;
  /** Never ask the server to evaluate: a flag local evaluation cannot decide is `undefined`. */
  localOnly?: boolean;
  /** Per-attempt timeout of `/flags` and `/flags/definitions` requests. Default 3 s. */
  requestTimeoutMs?: number;
}

/** Side effects the SDK performs; each has a real default and can be replaced in tests. */
export interface AnalyticsHooks {
  fetch?: typeof globalThis.fetch;
  /** The capture clock: event timestamps. Default `Date.now`. */
  now?: () => number;
  /**
   * The sending clock: each batch's `sent_at`, Retry-After dates, spool order. Default `now`. Set it apart
   * only when `now` is not the wall clock (a replay or a simulation with historical timestamps):
   * the collector re-anchors events by (timestamp - sent_at), which is then their true age.
   */
  sendNow?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Event ids; default a UUIDv7 of the capture time. Must return a UUID. */
  uuid?: (nowMs: number) => string;
  /** Where runtime switches (`usageStatsSwitch`, `DO_NOT_TRACK`) are read; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Where debug mode prints events and where switch warnings go; default `console.error`. */
  log?: (line: string) => void;
}

export interface AnalyticsOptions<C extends Catalog = Catalog> extends AnalyticsHooks {
  /** The event catalog; `psaCatalog` or a vendor's `extendCatalog(psaCatalog, ...)`. */
  catalog: C;
  /** Collector base URL (a Tally server or PostHog), e.g. `https://tally.example.com`. */
  host: string;
  /** Project write token (`phc_...` works too). */
  token: string;
  /** Version of the host app, sent as `app_version`. */
  appVersion: string;
  /** Default `hosted`. On-premise, user and tenant ids leave the process only keyed-hashed. */
  deployment?: Deployment;
  /** Name of an env variable that overrides `deployment` at runtime (`hosted` or `on-premise`). */
  deploymentSwitch?: string;
  environment?: Environment;
  /** Default `on` when hosted, `local` on-premise (nothing is uploaded until an admin opts in). */
  usageStats?: UsageStatsMode;
  /** Env variable read at runtime to override `usageStats`, e.g. `ALGA_USAGE_STATS`. */
  usageStatsSwitch?: string;
  /** Print each event through `log` and send nothing. Also on when `<usageStatsSwitch>_DEBUG` is truthy. */
  debug?: boolean;
  /** Throw from capture() on unknown events and bad properties (for tests); otherwise drop and count. */
  strict?: boolean;
  /** Key for HMAC-SHA256 of ids (>= 32 characters). Default: a random key kept in `dataDir`. */
  secret?: string;
  /** Folder for the install secret, the disk spool and the local usage file. */
  dataDir?: string;
  /** NDJSON file for `local` mode; default `<dataDir or cwd>/tally-usage.ndjson`. */
  localFile?: string;
  /** Per-tenant or per-user opt-out, checked on every capture. */
  isCaptureAllowed?: (context: CaptureContext) => boolean;
  /** Group type that tenant ids are sent as (group type index 0 on a Tally server). */
  tenantGroupType?: string;
  flushAt?: number;
  flushIntervalMs?: number;
  maxQueueSize?: number;
  maxBatchSize?: number;
  maxBatchBytes?: number;
  gzip?: boolean;
  maxRetries?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  requestTimeoutMs?: number;
  maxSpoolBytes?: number;
  /** Background failures; never thrown into the host. */
  onError?: (error: SdkError) => void;
  /**
   * Personal API key (`phx_...`) with flag read access: flags are then evaluated locally from
   * polled definitions. Without it every flag call asks the server (`/flags`).
   */
  personalApiKey?: string;
  flags?: FlagsOptions;
}

const fn = z.custom<(...args: never[]) => unknown>(
  (v) => typeof v === 'function',
  'expected a function',
);
const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();
const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name');

const schema = z.strictObject({
  catalog: z.custom<Catalog>(
    (v) => typeof v === 'object' && v !== null && 'events' in v && 'person' in v && 'tenant' in v,
    'expected a catalog from defineCatalog or extendCatalog',
  ),
  host: z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, '')),
  token: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'expected 8-64 URL-safe characters'),
  appVersion: z.string().regex(/^[0-9A-Za-z.+-]{1,40}$/, 'expected a version such as 1.42.0'),
  deployment: z.enum(DEPLOYMENTS).default('hosted'),
  deploymentSwitch: envName.optional(),
  environment: z.enum(ENVIRONMENTS).default('production'),
  usageStats: z.enum(['off', 'local', 'on']).optional(),
  usageStatsSwitch: envName.default(DEFAULT_USAGE_STATS_SWITCH),
  debug: z.boolean().default(false),
  strict: z.boolean().default(false),
  secret: z.string().min(MIN_SECRET_LENGTH).optional(),
  dataDir: z.string().min(1).optional(),
  localFile: z.string().min(1).optional(),
  isCaptureAllowed: fn.optional(),
  tenantGroupType: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,39}$/)
    .default(DEFAULT_TENANT_GROUP_TYPE),
  flushAt: positiveInt.default(DEFAULT_FLUSH_AT),
  flushIntervalMs: positiveInt.default(DEFAULT_FLUSH_INTERVAL_MS),
  maxQueueSize: positiveInt.default(DEFAULT_MAX_QUEUE_SIZE),
  maxBatchSize: positiveInt.default(DEFAULT_MAX_BATCH_SIZE),
  maxBatchBytes: z.number().int().min(1024).default(DEFAULT_MAX_BATCH_BYTES),
  gzip: z.boolean().default(true),
  maxRetries: nonNegativeInt.default(DEFAULT_MAX_RETRIES),
  retryBaseMs: positiveInt.default(DEFAULT_RETRY_BASE_MS),
  retryMaxMs: positiveInt.default(DEFAULT_RETRY_MAX_MS),
  requestTimeoutMs: positiveInt.default(DEFAULT_REQUEST_TIMEOUT_MS),
  maxSpoolBytes: z.number().int().min(1024).default(DEFAULT_MAX_SPOOL_BYTES),
  onError: fn.optional(),
  personalApiKey: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,128}$/, 'expected 8-128 URL-safe characters')
    .optional(),
  flags: z
    .strictObject({
      pollIntervalMs: z.number().int().min(1_000).default(DEFAULT_FLAG_POLL_INTERVAL_MS),
      definitionsFile: z.string().min(1).optional(),
      localOnly: z.boolean().default(false),
      requestTimeoutMs: positiveInt.default(DEFAULT_FLAG_REQUEST_TIMEOUT_MS),
    })
    .default({
      pollIntervalMs: DEFAULT_FLAG_POLL_INTERVAL_MS,
      localOnly: false,
      requestTimeoutMs: DEFAULT_FLAG_REQUEST_TIMEOUT_MS,
    }),
  fetch: fn.optional(),
  now: fn.optional(),
  sendNow: fn.optional(),
  sleep: fn.optional(),
  random: fn.optional(),
  uuid: fn.optional(),
  env: z.record(z.string(), z.string().optional()).optional(),
  log: fn.optional(),
});

type Parsed = z.output<typeof schema>;

/** Options after validation and defaults; frozen. */
export interface ResolvedOptions<C extends Catalog = Catalog>
  extends Omit<
    Parsed,
    'catalog' | 'usageStats' | keyof AnalyticsHooks | 'onError' | 'isCaptureAllowed'
  > {
  readonly catalog: C;
  /** The configured default, before env switches. */
  readonly usageStats: UsageStatsMode;
  readonly localFile: string;
  /** The flag definitions cache; undefined without `dataDir` or `flags.definitionsFile`. */
  readonly definitionsFile: string | undefined;
  readonly onError: (error: SdkError) => void;
  readonly isCaptureAllowed: ((context: CaptureContext) => boolean) | undefined;
  readonly hooks: Required<AnalyticsHooks>;
}

/**
 * Validates options once, at construction. The error names the first bad key and never
 * echoes its value (a token or secret could be in it).
 */
export function resolveOptions<C extends Catalog>(
  options: AnalyticsOptions<C>,
): ResolvedOptions<C> {
  const result = schema.safeParse(options);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = issue?.path.join('.') || 'options';
    const why =
      issue?.code === 'unrecognized_keys'
        ? `unknown option ${issue.keys.join(', ')}`
        : issue?.message;
    throw new SdkError('invalid_option', `${key}: ${why ?? 'invalid'}`);
  }
  const o = result.data;
  const dataDirOrCwd = o.dataDir ?? process.cwd();
  return Object.freeze({
    ...o,
    catalog: options.catalog,
    usageStats: o.usageStats ?? (o.deployment === 'on-premise' ? 'local' : 'on'),
    localFile: o.localFile ?? `${dataDirOrCwd}/tally-usage.ndjson`,
    definitionsFile:
      o.flags.definitionsFile ??
      (o.dataDir === undefined ? undefined : `${o.dataDir}/${FLAG_DEFINITIONS_FILE}`),
    flags: Object.freeze({ ...o.flags }),
    onError: options.onError ?? (() => {}),
    isCaptureAllowed: options.isCaptureAllowed,
    hooks: Object.freeze({
      fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
      now: options.now ?? Date.now,
      sendNow: options.sendNow ?? options.now ?? Date.now,
      sleep: options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref())),
      random: options.random ?? Math.random,
      uuid: options.uuid ?? uuidv7,
      env: options.env ?? process.env,
      log: options.log ?? ((line: string) => console.error(line)),
    }),
  });
}
