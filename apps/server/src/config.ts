import { z } from 'zod';

export const DEFAULT_PORT = 8787;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_DATA_DIR = './.tally';
export const DEFAULT_MAX_PENDING_ROWS = 200_000;
export const DEFAULT_MAX_BATCH_ROWS = 5_000;
/** How long the writer waits for more requests before committing (bigger commits, +latency). */
export const DEFAULT_COMMIT_WAIT_MS = 5;
export const DEFAULT_RATE_LIMIT_PER_SECOND = 100_000;
export const DEFAULT_RATE_LIMIT_BURST = 500_000;
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 64 * 1_048_576;

/** Everything `tally start` can be told, from flags or env (`TALLY_PORT`, ...). */
export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** Rows waiting for the writer before capture answers 503 + Retry-After. */
  readonly maxPendingRows: number;
  readonly maxBatchRows: number;
  readonly commitWaitMs: number;
  readonly rateLimitPerSecond: number;
  readonly rateLimitBurst: number;
  readonly maxDecompressedBytes: number;
  /** First-start values; generated when absent. 16-64 URL-safe characters each. */
  readonly bootstrap: {
    readonly token?: string;
    readonly apiKey?: string;
    readonly adminEmail?: string;
    readonly adminPassword?: string;
  };
}

const secretish = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'expected 16-64 URL-safe characters');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const schema = z.object({
  port: int(0, 65_535).default(DEFAULT_PORT),
  host: z.string().min(1).default(DEFAULT_HOST),
  dataDir: z.string().min(1).default(DEFAULT_DATA_DIR),
  maxPendingRows: int(1, 10_000_000).default(DEFAULT_MAX_PENDING_ROWS),
  maxBatchRows: int(1, 100_000).default(DEFAULT_MAX_BATCH_ROWS),
  commitWaitMs: int(0, 1_000).default(DEFAULT_COMMIT_WAIT_MS),
  rateLimitPerSecond: int(1, 100_000_000).default(DEFAULT_RATE_LIMIT_PER_SECOND),
  rateLimitBurst: int(1, 1_000_000_000).default(DEFAULT_RATE_LIMIT_BURST),
  maxDecompressedBytes: int(1024, 1_073_741_824).default(DEFAULT_MAX_DECOMPRESSED_BYTES),
  bootstrap: z
    .object({
      token: secretish
        .refine(
          (v) => !v.startsWith('phx_'),
          'a write token must not look like a personal key (phx_)',
        )
        .optional(),
      apiKey: secretish.optional(),
      adminEmail: z.email().optional(),
      adminPassword: z.string().min(12, 'at least 12 characters').max(200).optional(),
    })
    .default({}),
});

/** The env variable each setting can come from (flags win over env). */
export const ENV_NAMES = {
  port: 'TALLY_PORT',
  host: 'TALLY_HOST',
  dataDir: 'TALLY_DATA_DIR',
  maxPendingRows: 'TALLY_MAX_PENDING_ROWS',
  maxBatchRows: 'TALLY_MAX_BATCH_ROWS',
  commitWaitMs: 'TALLY_COMMIT_WAIT_MS',
  rateLimitPerSecond: 'TALLY_RATE_LIMIT_PER_SECOND',
  rateLimitBurst: 'TALLY_RATE_LIMIT_BURST',
  maxDecompressedBytes: 'TALLY_MAX_DECOMPRESSED_BYTES',
  'bootstrap.token': 'TALLY_BOOTSTRAP_TOKEN',
  'bootstrap.apiKey': 'TALLY_BOOTSTRAP_API_KEY',
  'bootstrap.adminEmail': 'TALLY_BOOTSTRAP_ADMIN_EMAIL',
  'bootstrap.adminPassword': 'TALLY_BOOTSTRAP_ADMIN_PASSWORD',
} as const;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Builds the config from flags and env. The error names the flag or env variable at fault and
 * never echoes its value (it may be a secret).
 */
export function resolveConfig(
  flags: Partial<Record<'port' | 'host' | 'dataDir', string>>,
  env: Readonly<Record<string, string | undefined>>,
): ServerConfig {
  const pick = (key: keyof typeof ENV_NAMES, flag?: string) =>
    flag ?? (env[ENV_NAMES[key]] || undefined);
  const input = {
    port: pick('port', flags.port),
    host: pick('host', flags.host),
    dataDir: pick('dataDir', flags.dataDir),
    maxPendingRows: pick('maxPendingRows'),
    maxBatchRows: pick('maxBatchRows'),
    commitWaitMs: pick('commitWaitMs'),
    rateLimitPerSecond: pick('rateLimitPerSecond'),
    rateLimitBurst: pick('rateLimitBurst'),
    maxDecompressedBytes: pick('maxDecompressedBytes'),
    bootstrap: {
      token: pick('bootstrap.token'),
      apiKey: pick('bootstrap.apiKey'),
      adminEmail: pick('bootstrap.adminEmail'),
      adminPassword: pick('bootstrap.adminPassword'),
    },
  };
  const result = schema.safeParse(JSON.parse(JSON.stringify(input)));
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = (issue?.path ?? []).join('.') as keyof typeof ENV_NAMES;
    const source = ['port', 'host', 'dataDir'].includes(key)
      ? `--${key === 'dataDir' ? 'data-dir' : key} / ${ENV_NAMES[key]}`
      : (ENV_NAMES[key] ?? key);
    throw new ConfigError(`invalid ${source}: ${issue?.message ?? 'invalid value'}`);
  }
  return result.data as ServerConfig;
}
