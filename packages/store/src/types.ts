// The store contract the server codes against. DuckDB implements it now; a ClickHouse event
// store + PostgreSQL metadata store implement the same interfaces later, without server changes.

/** Group type 0 is the tenant (customer company) unless a project maps it otherwise. */
export const MAX_GROUP_TYPES = 5;

/** An event ready to store: decoded, validated, scrubbed and enriched by the server. */
export interface IngestEvent {
  readonly projectId: number;
  readonly uuid: string;
  readonly event: string;
  readonly distinctId: string;
  /** Epoch milliseconds, after clock-skew correction. */
  readonly timestampMs: number;
  readonly receivedAtMs: number;
  /** Scrubbed properties, `$set`/`$set_once`/`$groups` included as sent. */
  readonly properties: Readonly<Record<string, unknown>>;
  /** Group keys by group type index 0..4 (from `$groups` through the project's type mapping). */
  readonly groups: readonly (string | null)[];
  readonly sessionId: string | null;
  /** False for `$process_person_profile: false`: no person is created or updated. */
  readonly processPerson: boolean;
}

/**
 * Person and group changes that travel with a batch and commit in the same transaction as its
 * events, in order. Derived by the server from `$identify`, `$create_alias`, `$set`,
 * `$set_once`, `$unset` and `$groupidentify`.
 */
export type IdentityChange =
  | {
      readonly kind: 'person_seen';
      readonly projectId: number;
      readonly distinctId: string;
      readonly set?: Readonly<Record<string, unknown>>;
      readonly setOnce?: Readonly<Record<string, unknown>>;
      readonly unset?: readonly string[];
      readonly atMs: number;
    }
  | {
      /**
       * `$identify` with `$anon_distinct_id`, or `$create_alias`: `otherId`'s person (and its
       * history) joins `distinctId`'s person. If only one of them has a person, the other id is
       * attached to it; if neither has, one person is created for both. Two persons that are
       * both identified are not merged (PostHog's rule), and the attempt is counted.
       */
      readonly kind: 'merge';
      readonly projectId: number;
      readonly distinctId: string;
      readonly otherId: string;
      readonly atMs: number;
    }
  | {
      readonly kind: 'group_set';
      readonly projectId: number;
      readonly groupTypeIndex: number;
      readonly groupKey: string;
      readonly set: Readonly<Record<string, unknown>>;
      readonly atMs: number;
    };

export interface AppendResult {
  readonly inserted: number;
  /** Events whose (project, uuid) was already stored: a client retry. Not stored again. */
  readonly duplicates: number;
  /** Merges refused because both persons were already identified (counted, not applied). */
  readonly refusedMerges?: number;
  /**
   * Positions in `events` of the duplicates (stored before, or repeated earlier in the batch:
   * the first occurrence is the one stored). Lets a group committer give each caller its own
   * counts; a store that cannot tell may leave it out.
   */
  readonly duplicateIndexes?: readonly number[];
  /** Positions in `changes` of the refused merges. */
  readonly refusedMergeIndexes?: readonly number[];
}

export interface StoredEvent {
  readonly uuid: string;
  readonly event: string;
  readonly distinctId: string;
  /** The person the distinct id belongs to now (merges included); null for personless events. */
  readonly personId: string | null;
  readonly properties: Record<string, unknown>;
  readonly timestamp: string;
  readonly receivedAt: string;
}

export interface EventQuery {
  readonly projectId: number;
  readonly event?: string;
  readonly distinctId?: string;
  /** Inclusive lower and exclusive upper bounds on the event timestamp, epoch ms. */
  readonly afterMs?: number;
  readonly beforeMs?: number;
  readonly limit: number;
  /** Opaque cursor from a previous page (newest first). */
  readonly cursor?: string;
}

export interface EventPage {
  readonly results: StoredEvent[];
  /** Cursor for the next (older) page, or undefined when this is the last one. */
  readonly nextCursor: string | undefined;
}

export interface Person {
  readonly id: string;
  readonly distinctIds: string[];
  readonly properties: Record<string, unknown>;
  readonly createdAt: string;
  readonly isIdentified: boolean;
}

export interface Group {
  readonly groupTypeIndex: number;
  readonly groupType: string;
  readonly groupKey: string;
  readonly properties: Record<string, unknown>;
  readonly createdAt: string;
}

/**
 * Events checked and encoded by a store for its `append`: per event, its dedup key (project and
 * uuid) and its row in the store's own text form. Batches concatenate (keys with keys, rows with
 * rows). Encoding when a request arrives, not when its commit runs, takes the work off the
 * commit path and lets the request's event objects be collected while it waits: what waits is
 * two strings per event.
 */
export interface EncodedEvents {
  readonly keys: readonly string[];
  readonly rows: readonly string[];
}

/** Where events live. */
export interface EventStore {
  /**
   * Checks and encodes events for `append`. Throws StoreError `invalid_input` (naming the field)
   * for an event the store cannot hold; the server validates first, so this guards the contract.
   */
  encode(events: readonly IngestEvent[]): EncodedEvents;
  /**
   * Stores events and identity changes in one transaction. Resolves only after the commit is
   * durable; duplicates by (project, uuid) are skipped, within the batch and against the table.
   */
  append(
    events: readonly IngestEvent[] | EncodedEvents,
    changes: readonly IdentityChange[],
  ): Promise<AppendResult>;
  listEvents(query: EventQuery): Promise<EventPage>;
  countEvents(projectId: number): Promise<number>;
  getPerson(projectId: number, distinctId: string): Promise<Person | undefined>;
  /**
   * The id and properties of the person of `distinctId`, from memory when ingestion has seen it
   * lately: what a flag decision reads on every call, without the person's other ids.
   */
  getPersonProperties(
    projectId: number,
    distinctId: string,
  ): Promise<{ id: string; properties: Record<string, unknown> } | undefined>;
  listPersons(
    projectId: number,
    options: { limit: number; cursor?: string },
  ): Promise<{ results: Person[]; nextCursor: string | undefined }>;
  getGroup(projectId: number, groupTypeIndex: number, groupKey: string): Promise<Group | undefined>;
  listGroups(
    projectId: number,
    groupTypeIndex: number,
    options: { limit: number; cursor?: string },
  ): Promise<{ results: Group[]; nextCursor: string | undefined }>;
  /**
   * Runs one read-only statement with positional `$1..$n` parameters on a reader connection:
   * how the query engine reaches the data without the store importing it.
   */
  readSql(
    sql: string,
    params: readonly (string | number | boolean | null)[],
  ): Promise<Record<string, unknown>[]>;
}

export interface Project {
  readonly id: number;
  readonly name: string;
  /** Public write token (`phc_...` style accepted). */
  readonly token: string;
  /** Strict projects drop events outside the catalog instead of storing them as uncatalogued. */
  readonly isStrict: boolean;
  readonly timezone: string;
  readonly createdAt: string;
  /**
   * PostHog's `test_account_filters`: property filters (as the query engine validated them)
   * that insights sent with `filterTestAccounts: true` must also match. Empty by default.
   */
  readonly testAccountFilters: readonly unknown[];
}

/** Project settings to change; absent fields keep their value. */
export interface ProjectPatch {
  readonly name?: string;
  readonly timezone?: string;
  readonly isStrict?: boolean;
  readonly testAccountFilters?: readonly unknown[];
}

/**
 * A saved cohort (PostHog's shape, §2.7). `filters` is the dynamic definition as the query
 * engine validated it (`{properties: {type, values}}`); static cohorts keep a member list.
 */
export interface Cohort {
  readonly id: number;
  readonly projectId: number;
  readonly name: string;
  readonly description: string;
  readonly isStatic: boolean;
  readonly filters: unknown;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A static cohort's list: persons by id, and distinct ids resolved to persons at query time. */
export interface CohortMembers {
  readonly personIds: readonly string[];
  readonly distinctIds: readonly string[];
}

export interface CohortInput {
  readonly projectId: number;
  readonly name: string;
  readonly description: string;
  readonly isStatic: boolean;
  readonly filters: unknown;
  readonly members?: CohortMembers;
}

/** Fields to change; `members` replaces the whole list. */
export interface CohortPatch {
  readonly name?: string;
  readonly description?: string;
  readonly isStatic?: boolean;
  readonly filters?: unknown;
  readonly members?: CohortMembers;
}

/**
 * A feature flag (PostHog's shape). `filters` is the definition as @tally/flags validated it;
 * `version` starts at 1 and grows with every update.
 */
export interface FeatureFlag {
  readonly id: number;
  readonly projectId: number;
  readonly key: string;
  readonly name: string;
  readonly active: boolean;
  readonly deleted: boolean;
  readonly ensureExperienceContinuity: boolean;
  readonly filters: unknown;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface FeatureFlagInput {
  readonly projectId: number;
  readonly key: string;
  readonly name: string;
  readonly active: boolean;
  readonly ensureExperienceContinuity: boolean;
  readonly filters: unknown;
}

/** Fields to change. */
export interface FeatureFlagPatch {
  readonly key?: string;
  readonly name?: string;
  readonly active?: boolean;
  readonly deleted?: boolean;
  readonly ensureExperienceContinuity?: boolean;
  readonly filters?: unknown;
}

/**
 * An experiment: a feature flag's variants bound to metrics. `parameters` and `metrics` are the
 * definition as @tally/query validated it; dates are ISO strings, null while not set.
 */
export interface Experiment {
  readonly id: number;
  readonly projectId: number;
  readonly name: string;
  readonly description: string;
  readonly featureFlagId: number;
  readonly parameters: unknown;
  readonly metrics: unknown;
  readonly startDate: string | null;
  readonly endDate: string | null;
  readonly archived: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export type ExperimentInput = Pick<
  Experiment,
  'projectId' | 'name' | 'description' | 'featureFlagId' | 'parameters' | 'metrics'
>;

/** Fields to change; a date is epoch milliseconds, null clears it. */
export interface ExperimentPatch {
  readonly name?: string;
  readonly description?: string;
  readonly parameters?: unknown;
  readonly metrics?: unknown;
  readonly startMs?: number | null;
  readonly endMs?: number | null;
  readonly archived?: boolean;
}

/** Projects, keys, users, group type mapping, ingestion counters cohorts and feature flags. */
export interface MetadataStore {
  createProject(input: { name: string; token: string; timezone?: string }): Promise<Project>;
  getProject(id: number): Promise<Project | undefined>;
  getProjectByToken(token: string): Promise<Project | undefined>;
  listProjects(): Promise<Project[]>;
  /** The updated project; undefined when it does not exist. */
  updateProject(id: number, patch: ProjectPatch): Promise<Project | undefined>;
  /** Personal API keys are stored as SHA-256 hashes; the plain key is shown once at creation. */
  createApiKey(input: {
    key: string;
    label: string;
    projectIds: readonly number[] | 'all';
  }): Promise<void>;
  /** The projects a personal API key may read, or undefined for an unknown key. */
  resolveApiKey(key: string): Promise<{ projectIds: readonly number[] | 'all' } | undefined>;
  createUser(input: { email: string; password: string }): Promise<void>;
  verifyUser(email: string, password: string): Promise<boolean>;
  /** Group type index for a type name, assigned on first sight (`tenant` is 0); undefined when all 5 are taken. */
  groupTypeIndex(projectId: number, groupType: string): Promise<number | undefined>;
  groupTypes(projectId: number): Promise<Array<{ index: number; groupType: string }>>;
  /** Adds to per-project, per-name ingestion counters (uncatalogued events, violations, drops). */
  addCounters(
    projectId: number,
    counts: ReadonlyArray<{ kind: string; name: string; count: number }>,
  ): Promise<void>;
  getCounters(projectId: number): Promise<Array<{ kind: string; name: string; count: number }>>;
  createCohort(input: CohortInput): Promise<Cohort>;
  /** Undefined when the cohort does not exist or belongs to another project. */
  getCohort(projectId: number, id: number): Promise<Cohort | undefined>;
  listCohorts(projectId: number): Promise<Cohort[]>;
  /** The updated cohort; undefined when it does not exist in that project. */
  updateCohort(projectId: number, id: number, patch: CohortPatch): Promise<Cohort | undefined>;
  /** False when there was no such cohort in that project. */
  deleteCohort(projectId: number, id: number): Promise<boolean>;
  /** A static cohort's list (empty for a dynamic or unknown cohort). */
  getCohortMembers(projectId: number, id: number): Promise<CohortMembers>;
  /** A `conflict` StoreError when a flag that is not deleted has the key in that project. */
  createFeatureFlag(input: FeatureFlagInput): Promise<FeatureFlag>;
  /** Undefined when the flag does not exist or belongs to another project. */
  getFeatureFlag(projectId: number, id: number): Promise<FeatureFlag | undefined>;
  /** The project's flags, oldest first; deleted ones only with `includeDeleted`. */
  listFeatureFlags(
    projectId: number,
    options?: { includeDeleted?: boolean },
  ): Promise<FeatureFlag[]>;
  /** The updated flag (version + 1); undefined when there is no such flag; `conflict` as create. */
  updateFeatureFlag(
    projectId: number,
    id: number,
    patch: FeatureFlagPatch,
  ): Promise<FeatureFlag | undefined>;
  createExperiment(input: ExperimentInput): Promise<Experiment>;
  /** Undefined when the experiment does not exist or belongs to another project. */
  getExperiment(projectId: number, id: number): Promise<Experiment | undefined>;
  /** The project's experiments, oldest first. */
  listExperiments(projectId: number): Promise<Experiment[]>;
  /** The updated experiment; undefined when there is no such experiment in that project. */
  updateExperiment(
    projectId: number,
    id: number,
    patch: ExperimentPatch,
  ): Promise<Experiment | undefined>;
}

export interface Store {
  readonly events: EventStore;
  readonly metadata: MetadataStore;
  close(): Promise<void>;
}
