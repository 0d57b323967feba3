import { cohortBuckets } from '../cohorts/breakdown.js';
import { queryContext } from '../query-context.js';
import { runStatements } from '../run.js';
import type { InsightRunOptions } from '../run-query.js';
import type { FunnelsQuery } from '../spec/insights.js';
import type { Dialect } from '../sql/dialect.js';
import { normalizeFunnel } from './normalize.js';
import { planFunnel } from './plan.js';
import { type FunnelResults, type FunnelStepResult, shapeFunnel } from './shape.js';

// Funnels' pipeline: normalize -> plan -> sql (dialect) -> run -> shape.

export interface FunnelsResponse {
  readonly kind: 'FunnelsQuery';
  /** The steps in order (a list per breakdown value when broken down), PostHog's shape. */
  readonly results: FunnelResults;
  readonly timezone: string;
}

export async function runFunnels(
  query: FunnelsQuery,
  options: InsightRunOptions,
  dialect: Dialect,
): Promise<FunnelsResponse> {
  // Cohort breakdowns run the funnel once per cohort (cohorts/breakdown.ts); only the steps
  // view is broken down (time to convert ignores a breakdown, funnel trends refuse one).
  const isSteps = (query.funnelsFilter?.funnelVizType ?? 'steps') === 'steps';
  const buckets = isSteps ? cohortBuckets(query, options.cohortPlans) : null;
  if (buckets !== null) {
    const answers = await Promise.all(buckets.map((b) => runFunnels(b.query, options, dialect)));
    const results = buckets.map((bucket, i) =>
      ((answers[i]?.results ?? []) as FunnelStepResult[]).map((step) => ({
        ...step,
        breakdown_value: bucket.value,
        breakdown_bucket: 'value' as const,
      })),
    );
    return { kind: 'FunnelsQuery', results, timezone: options.timezone };
  }
  const normalized = normalizeFunnel(
    query,
    await queryContext(options, dialect, query.dateRange?.date_from),
  );
  const plan = planFunnel(normalized);
  const [rows] = await runStatements([dialect.funnels(plan.statement)], options.runner);
  return {
    kind: 'FunnelsQuery',
    results: shapeFunnel(plan, rows ?? []),
    timezone: options.timezone,
  };
}
