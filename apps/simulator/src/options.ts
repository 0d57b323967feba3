// simulate()'s options, parsed once with a schema: an error names the key and never echoes a
// value (the token is a secret).
import { DEPLOYMENTS } from '@tally/catalog';
import { z } from 'zod';

export const DEFAULT_DAYS = 90;
export const DEFAULT_TENANTS = 24;
export const DEFAULT_SEED = 1;
export const MIN_TENANTS = 1;
export const MAX_TENANTS = 500;
export const MAX_DAYS = 3650;
export const DEFAULT_USAGE_STATS_SWITCH = 'ALGA_USAGE_STATS';

export interface SimulateOptions {
  /** Same seed, same run: every choice comes from a PRNG seeded with it. */
  seed?: number;
  days?: number;
  tenants?: number;
  /** Base URL of the Tally server the PSA's SDK sends to. */
  tallyUrl: string;
  /** The project's write token. */
  token: string;
  /**
   * A personal API key that can see the token's project. With it the run sets up the "New
   * ticket form" experiment first (see demo-experiment.ts); without it the PSA serves every
   * tenant the classic form and no experiment runs.
   */
  apiKey?: string;
  /** `on-premise`: the SDK sends user and tenant ids keyed-hashed only. Default `hosted`. */
  deployment?: (typeof DEPLOYMENTS)[number];
  /** First simulated day (UTC midnight is used). Events must not lie in Tally's future. */
  startDate: Date | string;
  /**
   * Environment the SDK reads its switches from (`ALGA_USAGE_STATS=false` opts out, as an
   * on-premise admin would). Default: an empty environment, so the host's env does not leak in.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** Key for the SDK's HMAC of ids; default derived from the seed (reproducible runs). */
  secret?: string;
  /** Called after each simulated day, e.g. for progress output. */
  onDay?: (day: number, days: number) => void;
}

const schema = z.strictObject({
  seed: z.number().int().min(0).max(0xffffffff).default(DEFAULT_SEED),
  days: z.number().int().min(1).max(MAX_DAYS).default(DEFAULT_DAYS),
  tenants: z.number().int().min(MIN_TENANTS).max(MAX_TENANTS).default(DEFAULT_TENANTS),
  tallyUrl: z.url({ protocol: /^https?$/ }),
  token: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'expected 8-64 URL-safe characters'),
  apiKey: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,64}$/, 'expected 16-64 URL-safe characters')
    .optional(),
  deployment: z.enum(DEPLOYMENTS).default('hosted'),
  startDate: z.union([z.date(), z.iso.date(), z.iso.datetime()]),
  env: z.record(z.string(), z.string().optional()).default({}),
  secret: z.string().min(32).optional(),
  onDay: z.custom<(day: number, days: number) => void>((v) => typeof v === 'function').optional(),
});

export type ResolvedSimulateOptions = Readonly<
  Omit<z.output<typeof schema>, 'startDate'> & { startMs: number }
>;

export type SimulatorErrorCode = 'invalid_option' | 'experiment_setup';

export class SimulatorError extends Error {
  readonly code: SimulatorErrorCode;
  constructor(message: string, code: SimulatorErrorCode = 'invalid_option') {
    super(message);
    this.name = 'SimulatorError';
    this.code = code;
  }
}

export function resolveSimulateOptions(options: SimulateOptions): ResolvedSimulateOptions {
  const result = schema.safeParse(options);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = issue?.path.join('.') || 'options';
    throw new SimulatorError(`${key}: ${issue?.message ?? 'invalid'}`);
  }
  const { startDate, ...rest } = result.data;
  const start = startDate instanceof Date ? startDate : new Date(startDate);
  const dayMs = 86_400_000;
  return Object.freeze({ ...rest, startMs: Math.floor(start.getTime() / dayMs) * dayMs });
}
