import { randomUUID } from 'node:crypto';
import { StoreError } from '../errors.js';
import { DEFAULT_SCRYPT_COST, type ScryptCost } from './password.js';

export interface DuckDbStoreOptions {
  /** The `.duckdb` file in the data dir (its directory is created if missing), or `:memory:`. */
  readonly path: string;
  /** Read connections on the instance, made on demand; reads beyond this wait. */
  readonly maxReadConnections?: number;
  /** Person ids. */
  readonly randomUUID?: () => string;
  /** Epoch ms for created_at of projects, keys, users and migrations. */
  readonly now?: () => number;
  /** scrypt cost for user passwords; tests lower it. */
  readonly scryptCost?: ScryptCost;
  /** DuckDB configuration options for the instance, e.g. `{ threads: '2', memory_limit: '1GB' }`. */
  readonly duckdbConfig?: Readonly<Record<string, string>>;
}

export const DEFAULT_MAX_READ_CONNECTIONS = 4;

export type ParsedStoreOptions = Readonly<Required<DuckDbStoreOptions>>;

/** Parsed once at construction; a bad value names its key and is never clamped. */
export function parseStoreOptions(options: DuckDbStoreOptions): ParsedStoreOptions {
  const fail = (key: string): never => {
    throw new StoreError('invalid_option', key);
  };
  if (typeof options !== 'object' || options === null) fail('options');
  if (typeof options.path !== 'string' || options.path.trim() === '') fail('path');
  const maxReadConnections = options.maxReadConnections ?? DEFAULT_MAX_READ_CONNECTIONS;
  if (!Number.isInteger(maxReadConnections) || maxReadConnections < 1 || maxReadConnections > 64)
    fail('maxReadConnections');
  for (const key of ['randomUUID', 'now'] as const)
    if (options[key] !== undefined && typeof options[key] !== 'function') fail(key);
  const scryptCost = options.scryptCost ?? DEFAULT_SCRYPT_COST;
  if (
    !Number.isInteger(scryptCost.N) ||
    scryptCost.N < 2 ||
    (scryptCost.N & (scryptCost.N - 1)) !== 0 ||
    !Number.isInteger(scryptCost.r) ||
    scryptCost.r < 1 ||
    !Number.isInteger(scryptCost.p) ||
    scryptCost.p < 1
  )
    fail('scryptCost');
  const duckdbConfig = options.duckdbConfig ?? {};
  for (const value of Object.values(duckdbConfig))
    if (typeof value !== 'string') fail('duckdbConfig');
  return Object.freeze({
    path: options.path,
    maxReadConnections,
    randomUUID: options.randomUUID ?? randomUUID,
    now: options.now ?? Date.now,
    scryptCost: Object.freeze({ ...scryptCost }),
    duckdbConfig: Object.freeze({ ...duckdbConfig }),
  });
}
