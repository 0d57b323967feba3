import { randomUUID } from 'node:crypto';
import { StoreError } from '../errors.js';
import { DEFAULT_SCRYPT_COST, type ScryptCost } from './password.js';

export interface DuckDbStoreOptions {
  /** The `.duckdb` file in the data dir (its directory is created if missing), or `:memory:`. */
  readonly path: string;
  /** Read connections on the instance, made on demand; reads beyond this wait. */
  readonly maxReadConnections?: number;
  /**
   * Persons kept in memory so known users need no lookup per commit (least recently used go);
   * as many groups are kept for flag decisions. 0 keeps none.
   */
  readonly maxCachedPersons?: number;
  /** Person ids. */
  readonly randomUUID?: () => string;
  /** Epoch ms for created_at of projects, keys, users and migrations. */
  readonly now?: () => number;
  /** scrypt cost for user passwords; tests lower it. */
  readonly scryptCost?: ScryptCost;
  /**
   * DuckDB configuration options for the instance, e.g. `{ threads: '2', memory_limit: '1GB' }`,
   * on top of DEFAULT_DUCKDB_CONFIG.
   */
  readonly duckdbConfig?: Readonly<Record<string, string>>;
}

/**
 * `checkpoint_threshold`: DuckDB folds the WAL into the file once it passes this size, inside
 * the COMMIT that crossed it. Each checkpoint rewrites the table's last, partly filled row group,
 * so fewer checkpoints mean less rewriting: 1,000-row commits on a 1M-row table ran at 46-51k
 * rows/s with DuckDB's 16MB and 61-63k with 64MB (bench machine, two runs each). The price:
 * a crash leaves up to 64MB of WAL to replay on the next open (61MB replayed in 0.5 s), and
 * one commit in ~130k rows waits for the checkpoint (~0.5 s).
 */
export const DEFAULT_DUCKDB_CONFIG: Readonly<Record<string, string>> = Object.freeze({
  checkpoint_threshold: '64MB',
});

export const DEFAULT_MAX_READ_CONNECTIONS = 4;
export const DEFAULT_MAX_CACHED_PERSONS = 100_000;

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
  const maxCachedPersons = options.maxCachedPersons ?? DEFAULT_MAX_CACHED_PERSONS;
  if (!Number.isInteger(maxCachedPersons) || maxCachedPersons < 0) fail('maxCachedPersons');
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
    maxCachedPersons,
    randomUUID: options.randomUUID ?? randomUUID,
    now: options.now ?? Date.now,
    scryptCost: Object.freeze({ ...scryptCost }),
    duckdbConfig: Object.freeze({ ...DEFAULT_DUCKDB_CONFIG, ...duckdbConfig }),
  });
}
