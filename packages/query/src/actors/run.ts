import { queryContext } from '../query-context.js';
import { runStatements } from '../run.js';
import type { RunQueryOptions } from '../run-query.js';
import type { ActorsQuery } from '../spec/insights.js';
import type { Dialect } from '../sql/dialect.js';
import { planActors } from './plan.js';
import { type ActorsResult, shapeActors } from './shape.js';

// Actors' pipeline (drill-down: the persons or tenants behind one data point of an insight; or,
// without source, every person of the project): parse (spec/insights.ts) -> plan (the insight's
// own normalize + plan, then the point; actors/all.ts without source) -> sql
// (sql/duckdb/actors.ts over the insight's CTEs, or the persons table) -> run -> shape.

export interface ActorsResponse extends ActorsResult {
  readonly kind: 'ActorsQuery';
  readonly timezone: string;
}

export async function runActors(
  query: ActorsQuery,
  options: RunQueryOptions,
  dialect: Dialect,
): Promise<ActorsResponse> {
  const insight = query.source?.source;
  const dateFrom =
    insight !== undefined && 'dateRange' in insight ? insight.dateRange?.date_from : undefined;
  const ctx = await queryContext(options, dialect, dateFrom);
  const plan = planActors(query, ctx);
  const [rows] = await runStatements([dialect.actors(plan)], options.runner);
  return { kind: 'ActorsQuery', ...shapeActors(plan, rows ?? []), timezone: options.timezone };
}
