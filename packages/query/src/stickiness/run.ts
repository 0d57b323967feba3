import { queryContext } from '../query-context.js';
import { runStatements } from '../run.js';
import type { InsightRunOptions } from '../run-query.js';
import type { StickinessQuery } from '../spec/insights.js';
import type { Dialect } from '../sql/dialect.js';
import { normalizeStickiness } from './normalize.js';
import { planStickiness } from './plan.js';
import { type StickinessResult, shapeStickiness } from './shape.js';

// Stickiness's pipeline: normalize -> plan -> sql (dialect) -> run -> shape.

export interface StickinessResponse {
  readonly kind: 'StickinessQuery';
  readonly results: StickinessResult[];
  readonly timezone: string;
}

export async function runStickiness(
  query: StickinessQuery,
  options: InsightRunOptions,
  dialect: Dialect,
): Promise<StickinessResponse> {
  const normalized = normalizeStickiness(
    query,
    await queryContext(options, dialect, query.dateRange?.date_from),
  );
  const plan = planStickiness(normalized);
  const rows = await runStatements(
    plan.statements.map((s) => dialect.stickiness(s)),
    options.runner,
  );
  return {
    kind: 'StickinessQuery',
    results: shapeStickiness(plan, rows),
    timezone: options.timezone,
  };
}
