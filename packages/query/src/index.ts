// @tally/query: PostHog-shaped insight queries (trends, funnels, retention, stickiness,
// lifecycle; cohorts as filters and breakdowns; the actors behind any of their points)
// validated with zod, planned, rendered to SQL per dialect, run on the store through a
// SqlRunner, and shaped like PostHog's results.

/// Actors (drill-down) results
export type { ActorColumn } from './actors/page.js';
export { ACTOR_COLUMNS, DEFAULT_ACTORS_LIMIT } from './actors/page.js';
export type { ActorsResponse } from './actors/run.js';
export type { ActorObject, GroupActor, PersonActor } from './actors/shape.js';
/// Cohorts
export { ALL_USERS_BREAKDOWN } from './cohorts/breakdown.js';
export type {
  CohortPerson,
  CohortPersonsOptions,
  CohortPersonsPage,
} from './cohorts/persons.js';
export {
  countCohortPersons,
  DEFAULT_COHORT_PERSONS_LIMIT,
  isCohortMember,
  queryCohortPersons,
} from './cohorts/persons.js';
export type { CohortPlan, CohortSource } from './cohorts/plan.js';
export {
  COHORT_COUNT_OPERATORS,
  COHORT_TIME_INTERVALS,
  CohortDefinition,
  MAX_STATIC_COHORT_IDS,
  parseCohortDefinition,
} from './cohorts/spec.js';
/// Errors
export type { QueryErrorCode } from './errors.js';
export { isQueryError, QUERY_ERRORS, QueryError } from './errors.js';
/// Experiments (definition, results)
export type { Comparison, ComparisonVerdict } from './experiments/compare.js';
export type { FlagBinding, VariantWeight } from './experiments/definition.js';
export {
  CUPED_PRE_PERIOD_DAYS,
  controlIndex,
  DEFAULT_CONVERSION_WINDOW_DAYS,
  ExperimentDefinition,
  ExperimentMetric,
  ExperimentParameters,
  flagBinding,
  parseExperimentDefinition,
  parseExperimentMetrics,
  parseExperimentParameters,
  resolveVariants,
} from './experiments/definition.js';
export type {
  ExperimentResults,
  ExperimentResultsInput,
  MetricResult,
  VariantResult,
} from './experiments/results.js';
export { runExperimentResults } from './experiments/results.js';
/// Experiment statistics (pure functions on sufficient statistics, §3)
export * as experimentStats from './experiments/stats/index.js';
/// Funnels results
export type { FunnelsResponse } from './funnels/run.js';
export type {
  FunnelResults,
  FunnelStepResult,
  FunnelTrendsResult,
  TimeToConvertResult,
} from './funnels/shape.js';
export type { GroupsResponse } from './groups/run.js';
/// Lifecycle results
export type { LifecycleResponse } from './lifecycle/run.js';
export type { LifecycleResult } from './lifecycle/shape.js';
/// Planner building blocks (for the next insights and dialects)
export type { Actor } from './plan/actor.js';
export type { Predicate, PropertyRef, PropertySource, ValueTest } from './plan/predicates.js';
export { toPredicate } from './plan/predicates.js';
/// Retention results
export type { RetentionResponse } from './retention/run.js';
export type { RetentionResult, RetentionValue } from './retention/shape.js';
/// Running queries
export type {
  InsightRunOptions,
  QueryResponse,
  QueryResponses,
  RunQueryOptions,
  TrendsResponse,
} from './run-query.js';
export { DEFAULT_WEEK_START_DAY, runQuery } from './run-query.js';
export type { SqlDialect, SqlParam, SqlRow, SqlRunner } from './runner.js';
/// Query specs
export type { AnyPropertyFilter, PropertiesInput, PropertyOperator } from './spec/filters.js';
export { PROPERTY_OPERATORS } from './spec/filters.js';
export { GroupsQuery } from './spec/groups.js';
export {
  ActorsQuery,
  FunnelsActorsQuery,
  FunnelsQuery,
  InsightActorsQuery,
  LifecycleQuery,
  RetentionQuery,
  StickinessQuery,
} from './spec/insights.js';
export type {
  BreakdownFilter,
  CompareFilter,
  DateRange,
  EventsNode,
  Interval,
  MathType,
} from './spec/nodes.js';
export { DEFAULT_BREAKDOWN_LIMIT, INTERVALS, MATHS } from './spec/nodes.js';
export type { QueryKind, QueryNode } from './spec/parse.js';
export { parseQuery } from './spec/parse.js';
export type { TrendsDisplay, TrendsFilter, TrendsQuery } from './spec/trends.js';
export { TOTAL_VALUE_DISPLAYS, TRENDS_DISPLAYS } from './spec/trends.js';
export { MULTIPLE_VARIANTS } from './sql/duckdb/experiments.js';
export { HOT_PROPERTY_COLUMNS } from './sql/duckdb/expressions.js';
/// Stickiness results
export type { StickinessResponse } from './stickiness/run.js';
export type { StickinessResult } from './stickiness/shape.js';
/// Test-account filters (a project setting)
export {
  MAX_TEST_ACCOUNT_FILTERS,
  parseTestAccountFilters,
  TestAccountFilters,
} from './test-account-filters.js';
/// Time zones (the project's `timezone`)
export { isValidTimeZone } from './time/zone.js';
export type { TrendsAction } from './trends/series.js';
/// Trends results
export type { BreakdownBucket, TrendsResult } from './trends/shape.js';
export { BREAKDOWN_NONE, BREAKDOWN_OTHER } from './trends/shape.js';
