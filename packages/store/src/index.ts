// @tally/store: where Tally keeps events, persons, groups and its metadata. DuckDB embedded
// (one file, one process) implements the contract in types.ts; a cluster store implements the
// same interfaces later, without server changes.

/// DuckDB store
export { HOT_COLUMNS } from './duckdb/hot-columns.js';
export { TENANT_GROUP_TYPE } from './duckdb/metadata-store.js';
export type { Migration } from './duckdb/migrations.js';
export { MIGRATIONS } from './duckdb/migrations.js';
export type { DuckDbStoreOptions } from './duckdb/options.js';
export {
  DEFAULT_DUCKDB_CONFIG,
  DEFAULT_MAX_CACHED_PERSONS,
  DEFAULT_MAX_READ_CONNECTIONS,
} from './duckdb/options.js';
export type { ScryptCost } from './duckdb/password.js';
export { DEFAULT_SCRYPT_COST } from './duckdb/password.js';
export { createDuckDbStore } from './duckdb/store.js';
/// Errors
export type { StoreErrorCode } from './errors.js';
export { isStoreError, STORE_ERRORS, StoreError } from './errors.js';
/// Group commit
export type { GroupCommitOptions, GroupCommitStats, GroupCommitter } from './group-commit.js';
export {
  createGroupCommitter,
  DEFAULT_MAX_BATCH_ROWS,
  DEFAULT_MAX_PENDING_ROWS,
  DEFAULT_MAX_WAIT_MS,
} from './group-commit.js';
/// Contract
export type {
  AppendResult,
  Cohort,
  CohortInput,
  CohortMembers,
  CohortPatch,
  EncodedEvents,
  EventPage,
  EventQuery,
  EventStore,
  Experiment,
  ExperimentInput,
  ExperimentPatch,
  FeatureFlag,
  FeatureFlagInput,
  FeatureFlagPatch,
  Group,
  IdentityChange,
  IngestEvent,
  MetadataStore,
  Person,
  Project,
  ProjectPatch,
  Store,
  StoredEvent,
} from './types.js';
export { MAX_GROUP_TYPES } from './types.js';
