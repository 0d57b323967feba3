import { queryContext } from '../query-context.js';
import { runStatements } from '../run.js';
import type { RunQueryOptions } from '../run-query.js';
import type { FunnelsQuery } from '../spec/insights.js';
import type { Dialect } from '../sql/dialect.js';
import { normalizeFunnel } from './normalize.js';
import { planFunnel } from './plan.js';
import { type FunnelResults, shapeFunnel } from './shape.js';

// Funnels' pipeline: normalize -> plan -> sql (dialect) -> run -> shape.

export interface FunnelsResponse {
  readonly kind: 'FunnelsQuery';
  /** The steps in order (a list per breakdown value when broken down), PostHog's shape. */
  readonly results: FunnelResults;
  readonly timezone: string;
}

export async function runFunnels(
  query: FunnelsQuery,
  options: RunQueryOptions,
  dialect: Dialect,
): Promise<FunnelsResponse> {
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
