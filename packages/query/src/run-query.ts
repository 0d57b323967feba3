import { z } from 'zod';
import { type ActorsResponse, runActors } from './actors/run.js';
import { cohortBuckets } from './cohorts/breakdown.js';
import { cohortIdsOfQuery } from './cohorts/filters.js';
import { type CohortPlans, type CohortSource, planCohorts } from './cohorts/plan.js';
import { formatPath, QueryError } from './errors.js';
import { type FunnelsResponse, runFunnels } from './funnels/run.js';
import { type GroupsResponse, runGroups } from './groups/run.js';
import { type LifecycleResponse, runLifecycle } from './lifecycle/run.js';
import { queryContext } from './query-context.js';
import { type RetentionResponse, runRetention } from './retention/run.js';
import { runStatements } from './run.js';
import type { SqlRunner } from './runner.js';
import { parseQuery, type QueryNode } from './spec/parse.js';
import type { TrendsQuery } from './spec/trends.js';
import { type Dialect, DUCKDB } from './sql/dialect.js';
import { runStickiness, type StickinessResponse } from './stickiness/run.js';
import { TestAccountFilters, withTestAccountFilters } from './test-account-filters.js';
import type { WeekStartDay } from './time/calendar.js';
import { normalizeTrends } from './trends/normalize.js';
import { planTrends } from './trends/plan.js';
import { shapeTrends, type TrendsResult } from './trends/shape.js';

// The query pipeline: normalize -> plan -> sql (dialect) -> run -> shape, one file per stage
// (trends/normalize.ts, trends/plan.ts, sql/duckdb/trends.ts, run.ts, trends/shape.ts).

export interface RunQueryOptions {
  readonly projectId: number;
  /** IANA zone the project's dates are in: buckets are local days, DST included. */
  readonly timezone: string;
  /** "Now" for relative dates (`-7d`) and a missing date_to; epoch ms or a Date. */
  readonly now: number | Date;
  readonly runner: SqlRunner;
  /** First day of the week for week buckets and `wStart`: 1 = Monday (default), 0 = Sunday. */
  readonly weekStartDay?: WeekStartDay;
  /**
   * Cohort definitions (PostHog's shape, see CohortDefinition) by id, or a loader asked for the
   * ids the query refers to. Membership is evaluated at `now`; an unknown id is a 400.
   */
  readonly cohorts?: CohortSource;
  /**
   * The project's test-account filters (PostHog's `test_account_filters`, validated here), ANDed
   * into the properties of an insight sent with `filterTestAccounts: true`. Default: none.
   */
  readonly testAccountFilters?: readonly unknown[];
}

/** What each insight's runner gets: the options plus the query's cohorts, planned. */
export interface InsightRunOptions extends RunQueryOptions {
  readonly cohortPlans?: CohortPlans;
}

export { DEFAULT_WEEK_START_DAY } from './query-context.js';

export interface TrendsResponse {
  readonly kind: 'TrendsQuery';
  readonly results: TrendsResult[];
  readonly timezone: string;
}

export type QueryResponse =
  | TrendsResponse
  | RetentionResponse
  | FunnelsResponse
  | StickinessResponse
  | LifecycleResponse
  | ActorsResponse
  | GroupsResponse;

/** The response type of each implemented kind, so a typed query gets a typed answer. */
export interface QueryResponses {
  readonly TrendsQuery: TrendsResponse;
  readonly RetentionQuery: RetentionResponse;
  readonly FunnelsQuery: FunnelsResponse;
  readonly StickinessQuery: StickinessResponse;
  readonly LifecycleQuery: LifecycleResponse;
  readonly ActorsQuery: ActorsResponse;
  readonly GroupsQuery: GroupsResponse;
}

const Options = z.object({
  projectId: z.number().int().min(1),
  timezone: z.string().min(1),
  now: z.union([z.number().finite(), z.date()]),
  runner: z.function(),
  weekStartDay: z.union([z.literal(0), z.literal(1)]).optional(),
  cohorts: z.union([z.map(z.number(), z.unknown()), z.function()]).optional(),
  testAccountFilters: TestAccountFilters.optional(),
});

/**
 * Runs one PostHog-shaped insight query (validated here) against the event store.
 *
 * @example
 * const { results } = await runQuery(
 *   { kind: 'TrendsQuery', series: [{ kind: 'EventsNode', event: 'ticket_created', math: 'dau' }],
 *     trendsFilter: { display: 'BoldNumber' } },
 *   { projectId: 1, timezone: 'Europe/Berlin', now: Date.now(), runner },
 * );
 * results[0]?.aggregated_value; // unique users who created a ticket in the last 7 days
 */
export function runQuery<Q extends { readonly kind: keyof QueryResponses }>(
  query: Q,
  options: RunQueryOptions,
): Promise<QueryResponses[Q['kind']]>;
export function runQuery(query: unknown, options: RunQueryOptions): Promise<QueryResponse>;
export async function runQuery(query: unknown, options: RunQueryOptions): Promise<QueryResponse> {
  const parsedOptions = Options.safeParse(options);
  if (!parsedOptions.success) {
    const issue = parsedOptions.error.issues[0];
    throw new QueryError('invalid_query', `options.${formatPath(issue?.path ?? [])}`);
  }
  const node: QueryNode = withTestAccountFilters(
    parseQuery(query),
    parsedOptions.data.testAccountFilters ?? [],
  );
  const ids = cohortIdsOfQuery(node);
  const run: InsightRunOptions =
    ids.length === 0
      ? options
      : {
          ...options,
          cohortPlans: await planCohorts(ids, options.cohorts, {
            projectId: options.projectId,
            nowMs: typeof options.now === 'number' ? options.now : options.now.getTime(),
          }),
        };
  if (node.kind === 'RetentionQuery') return runRetention(node, run, DUCKDB);
  if (node.kind === 'StickinessQuery') return runStickiness(node, run, DUCKDB);
  if (node.kind === 'LifecycleQuery') return runLifecycle(node, run, DUCKDB);
  if (node.kind === 'FunnelsQuery') return runFunnels(node, run, DUCKDB);
  if (node.kind === 'ActorsQuery') return runActors(node, run, DUCKDB);
  if (node.kind === 'GroupsQuery') return runGroups(node, run, DUCKDB);
  return runTrends(node, run, DUCKDB);
}

async function runTrends(
  query: TrendsQuery,
  options: InsightRunOptions,
  dialect: Dialect,
): Promise<TrendsResponse> {
  const buckets = cohortBuckets(query, options.cohortPlans);
  if (buckets !== null) {
    const answers = await Promise.all(buckets.map((b) => runTrends(b.query, options, dialect)));
    const results = buckets.flatMap((bucket, i) =>
      (answers[i]?.results ?? []).map(
        (result): TrendsResult => ({
          ...result,
          label: `${result.label} - ${bucket.value}`,
          breakdown_value: bucket.value,
          breakdown_bucket: 'value',
        }),
      ),
    );
    return { kind: 'TrendsQuery', results, timezone: options.timezone };
  }
  const normalized = normalizeTrends(
    query,
    await queryContext(options, dialect, query.dateRange?.date_from),
  );
  const plan = planTrends(normalized);
  const rendered = plan.statements.map((statement) => dialect.trends(statement));
  const rows = await runStatements(rendered, options.runner);
  return { kind: 'TrendsQuery', results: shapeTrends(plan, rows), timezone: options.timezone };
}
