import { queryContext } from '../query-context.js';
import { runStatements } from '../run.js';
import type { InsightRunOptions } from '../run-query.js';
import type { LifecycleQuery } from '../spec/insights.js';
import type { Dialect } from '../sql/dialect.js';
import { normalizeLifecycle } from './normalize.js';
import { planLifecycle } from './plan.js';
import { type LifecycleResult, shapeLifecycle } from './shape.js';

// Lifecycle's pipeline: normalize -> plan -> sql (dialect) -> run -> shape.

export interface LifecycleResponse {
  readonly kind: 'LifecycleQuery';
  readonly results: LifecycleResult[];
  readonly timezone: string;
}

export async function runLifecycle(
  query: LifecycleQuery,
  options: InsightRunOptions,
  dialect: Dialect,
): Promise<LifecycleResponse> {
  const plan = planLifecycle(
    normalizeLifecycle(query, await queryContext(options, dialect, query.dateRange?.date_from)),
  );
  const [rows] = await runStatements([dialect.lifecycle(plan)], options.runner);
  return {
    kind: 'LifecycleQuery',
    results: shapeLifecycle(plan, rows ?? []),
    timezone: options.timezone,
  };
}
