import { numberOf, runStatements } from '../run.js';
import { DEFAULT_WEEK_START_DAY, type RunQueryOptions } from '../run-query.js';
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
  const nowMs = typeof options.now === 'number' ? options.now : options.now.getTime();
  let earliestEventMs: number | null = null;
  if (query.dateRange?.date_from === 'all') {
    const [rows] = await runStatements([dialect.earliestEvent(options.projectId)], options.runner);
    const earliest = rows?.[0]?.earliest_ms;
    earliestEventMs = earliest === null || earliest === undefined ? null : numberOf(earliest);
  }
  const normalized = normalizeFunnel(query, {
    projectId: options.projectId,
    timezone: options.timezone,
    nowMs,
    weekStartDay: options.weekStartDay ?? DEFAULT_WEEK_START_DAY,
    earliestEventMs,
  });
  const plan = planFunnel(normalized);
  const [rows] = await runStatements([dialect.funnels(plan.statement)], options.runner);
  return {
    kind: 'FunnelsQuery',
    results: shapeFunnel(plan, rows ?? []),
    timezone: options.timezone,
  };
}
