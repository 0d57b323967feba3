import { cohortBuckets } from '../cohorts/breakdown.js';
import { queryContext } from '../query-context.js';
import { runStatements } from '../run.js';
import type { InsightRunOptions } from '../run-query.js';
import type { RetentionQuery } from '../spec/insights.js';
import type { Dialect } from '../sql/dialect.js';
import { normalizeRetention } from './normalize.js';
import { planRetention } from './plan.js';
import { type RetentionResult, shapeRetention } from './shape.js';

// Retention's pipeline: normalize -> plan -> sql (dialect) -> run -> shape.

export interface RetentionResponse {
  readonly kind: 'RetentionQuery';
  readonly results: RetentionResult[];
  readonly timezone: string;
}

export async function runRetention(
  query: RetentionQuery,
  options: InsightRunOptions,
  dialect: Dialect,
): Promise<RetentionResponse> {
  // A cohort breakdown runs the triangle once per cohort (cohorts/breakdown.ts): an actor in
  // several cohorts counts in each. Every cohort keeps its whole triangle, even an empty one.
  const buckets = cohortBuckets(query, options.cohortPlans);
  if (buckets !== null) {
    const answers = await Promise.all(buckets.map((b) => runRetention(b.query, options, dialect)));
    const results = buckets.flatMap((bucket, i) =>
      (answers[i]?.results ?? []).map(
        (result): RetentionResult => ({
          ...result,
          breakdown_value: bucket.value,
          breakdown_bucket: 'value',
        }),
      ),
    );
    return { kind: 'RetentionQuery', results, timezone: options.timezone };
  }
  const normalized = normalizeRetention(query, await queryContext(options, dialect, undefined));
  const plan = planRetention(normalized);
  const [rows] = await runStatements([dialect.retention(plan)], options.runner);
  return {
    kind: 'RetentionQuery',
    results: shapeRetention(plan, rows ?? []),
    timezone: options.timezone,
  };
}
