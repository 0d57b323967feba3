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
  const normalized = normalizeRetention(query, await queryContext(options, dialect, undefined));
  const plan = planRetention(normalized);
  const [rows] = await runStatements([dialect.retention(plan)], options.runner);
  return {
    kind: 'RetentionQuery',
    results: shapeRetention(plan, rows ?? []),
    timezone: options.timezone,
  };
}
