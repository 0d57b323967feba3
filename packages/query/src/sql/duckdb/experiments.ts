import { CUPED_PRE_PERIOD_DAYS } from '../../experiments/definition.js';
import type { ExperimentMetricPlan, ExposurePlan } from '../../experiments/plan.js';
import { type ParamList, paramList, type RenderedSql } from '../params.js';
import {
  actorExpr,
  eventInSql,
  type JoinNeeds,
  joinClauses,
  jsonPath,
  noJoins,
  predicateSql,
  timestampLiteral,
} from './expressions.js';

// Experiment results, DuckDB dialect: one statement for the exposure counts, and one per metric
// that finds each unit's exposure, aggregates the unit's events after it (zeros for units
// without any, through a LEFT JOIN from the units), and sums the per-variant sufficient
// statistics (§3.1). `$multiple` units are counted by the first and left out of the second.

export const MULTIPLE_VARIANTS = '$multiple';
const DAY_MS = 86_400_000;

/** The actor of the unit: the person (personless events have none) or the group key. */
function unitExpr(plan: ExposurePlan, needs: JoinNeeds): string {
  return actorExpr(plan.actor, needs, { skipPersonless: true });
}

/**
 * `units(unit, exposed_at, variant)`: each unit's first `$feature_flag_called` for the flag in
 * [start, end) whose response is one of the experiment's variants; `$multiple` when the unit's
 * responses name more than one.
 */
function unitsCte(plan: ExposurePlan, params: ParamList): string {
  const needs = noJoins();
  const unit = unitExpr(plan, needs);
  const keys = plan.variants.map((key) => params.add(key)).join(', ');
  return `exposure_events AS (
    SELECT ${unit} AS unit, e.timestamp AS ts,
      json_extract_string(e.properties, ${jsonPath('$feature_flag_response')}) AS variant
    FROM events e
    ${joinClauses(needs)}
    WHERE e.project_id = CAST(${params.add(plan.projectId)} AS INTEGER)
      AND ${eventInSql(['$feature_flag_called'], params)}
      AND json_extract_string(e.properties, ${jsonPath('$feature_flag')}) = ${params.add(plan.flagKey)}
      AND e.timestamp >= ${timestampLiteral(plan.startMs)}
      AND e.timestamp < ${timestampLiteral(plan.endMs)}
  ),
  units AS (
    SELECT unit, min(ts) AS exposed_at,
      CASE WHEN count(DISTINCT variant) > 1 THEN ${params.add(MULTIPLE_VARIANTS)} ELSE min(variant) END AS variant
    FROM exposure_events
    WHERE unit IS NOT NULL AND list_contains([${keys}], variant)
    GROUP BY unit
  )`;
}

/** Rows `(variant, n)`: exposed units per variant, `$multiple` included. */
export function renderExposureCounts(plan: ExposurePlan): RenderedSql {
  const params = paramList();
  const sql = `WITH ${unitsCte(plan, params)}
  SELECT variant, count(*) AS n FROM units GROUP BY variant`;
  return { sql, params: params.values };
}

/** A property's numeric value: JSON numbers only (text, booleans and missing are NULL). */
function numericProperty(key: string): string {
  const path = jsonPath(key);
  return `CASE WHEN json_type(e.properties, ${path}) IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN CAST(json_extract_string(e.properties, ${path}) AS DOUBLE) END`;
}

/** `m(unit, ts, event, v, d)`: the metric's events in [start − pre-period, end). */
function metricEventsCte(plan: ExperimentMetricPlan, params: ParamList, preMs: number): string {
  const needs = noJoins();
  const unit = unitExpr(plan, needs);
  const { metric } = plan;
  let names: string[];
  let v = '1';
  let d = 'NULL';
  const where: string[] = [];
  switch (metric.kind) {
    case 'funnel':
      names = [...new Set(metric.steps)];
      break;
    case 'ratio': {
      const side = (s: typeof metric.numerator, filter: string | null) => {
        const test = [`e.event = ${params.add(s.event)}`];
        if (filter !== null) test.push(filter);
        const value = s.property === undefined ? '1' : numericProperty(s.property);
        return `CASE WHEN ${test.join(' AND ')} THEN ${value} END`;
      };
      names = [...new Set([metric.numerator.event, metric.denominator.event])];
      v = side(
        metric.numerator,
        plan.filters.main === null ? null : predicateSql(plan.filters.main, params, needs),
      );
      d = side(
        metric.denominator,
        plan.filters.denominator === null
          ? null
          : predicateSql(plan.filters.denominator, params, needs),
      );
      break;
    }
    default:
      names = [metric.event];
      if (metric.kind === 'mean') v = numericProperty(metric.property);
      if (plan.filters.main !== null) where.push(predicateSql(plan.filters.main, params, needs));
  }
  where.unshift(
    `e.project_id = CAST(${params.add(plan.projectId)} AS INTEGER)`,
    eventInSql(names, params),
    `e.timestamp >= ${timestampLiteral(plan.startMs - preMs)}`,
    `e.timestamp < ${timestampLiteral(plan.endMs)}`,
  );
  return `m AS (
    SELECT ${unit} AS unit, e.timestamp AS ts, e.event AS event, ${v} AS v, ${d} AS d
    FROM events e
    ${joinClauses(needs)}
    WHERE ${where.join('\n      AND ')}
  )`;
}

/** `per_unit(unit, variant, y[, x][, d])` for every exposed unit outside `$multiple`. */
function perUnitCte(plan: ExperimentMetricPlan, params: ParamList, preMs: number): string {
  const { metric } = plan;
  const multiple = params.add(MULTIPLE_VARIANTS);
  if (metric.kind === 'funnel') return funnelPerUnit(plan, params, multiple);
  const after = 'FILTER (WHERE m.ts >= u.exposed_at)';
  const before = 'FILTER (WHERE m.ts < u.exposed_at)';
  const value = (filter: string) => {
    switch (metric.kind) {
      case 'proportion':
        return `CASE WHEN count(m.ts) ${filter} > 0 THEN 1 ELSE 0 END`;
      case 'count':
        return `count(m.ts) ${filter}`;
      default:
        return `coalesce(sum(m.v) ${filter}, 0)`;
    }
  };
  const columns = [`${value(after)} AS y`];
  if (preMs > 0) columns.push(`${value(before)} AS x`);
  if (metric.kind === 'ratio') columns.push(`coalesce(sum(m.d) ${after}, 0) AS d`);
  const from =
    preMs > 0 ? `u.exposed_at - INTERVAL ${Math.round(preMs / DAY_MS)} DAY` : 'u.exposed_at';
  return `per_unit AS (
    SELECT u.unit, u.variant, ${columns.join(', ')}
    FROM units u LEFT JOIN m ON m.unit = u.unit AND m.ts >= ${from}
    WHERE u.variant <> ${multiple}
    GROUP BY u.unit, u.variant
  )`;
}

/**
 * Funnel conversion per unit: from each first-step event after exposure, the earliest next step
 * strictly after the previous one and within the window from the first step (the greedy chain
 * is the best one for its start); converted when some start completes every step.
 */
function funnelPerUnit(plan: ExperimentMetricPlan, params: ParamList, multiple: string): string {
  if (plan.metric.kind !== 'funnel') throw new Error('funnelPerUnit needs a funnel metric');
  const { steps, conversion_window_days: days } = plan.metric;
  const ctes = [
    `s0 AS (
    SELECT u.unit, m.ts AS t0, m.ts AS t
    FROM units u JOIN m ON m.unit = u.unit AND m.ts >= u.exposed_at AND m.event = ${params.add(steps[0] ?? '')}
    WHERE u.variant <> ${multiple}
  )`,
  ];
  for (let k = 1; k < steps.length; k++)
    ctes.push(`s${k} AS (
    SELECT s.unit, s.t0, min(m.ts) AS t
    FROM s${k - 1} s JOIN m ON m.unit = s.unit AND m.event = ${params.add(steps[k] ?? '')}
      AND m.ts > s.t AND m.ts <= s.t0 + INTERVAL ${days} DAY
    GROUP BY s.unit, s.t0
  )`);
  ctes.push(`per_unit AS (
    SELECT u.unit, u.variant, CASE WHEN u.unit IN (SELECT unit FROM s${steps.length - 1}) THEN 1 ELSE 0 END AS y
    FROM units u
    WHERE u.variant <> ${multiple}
  )`);
  return ctes.join(',\n  ');
}

/**
 * Rows `(variant, n, sum_y, sum_y2)`, plus `sum_x, sum_x2, sum_xy` with CUPED and
 * `sum_d, sum_d2, sum_yd` for a ratio: the metric's sufficient statistics per variant.
 */
export function renderMetricStats(plan: ExperimentMetricPlan): RenderedSql {
  const params = paramList();
  const preMs = plan.cuped ? CUPED_PRE_PERIOD_DAYS * DAY_MS : 0;
  const sums = ['count(*) AS n', 'sum(y) AS sum_y', 'sum(y * y) AS sum_y2'];
  if (preMs > 0) sums.push('sum(x) AS sum_x', 'sum(x * x) AS sum_x2', 'sum(x * y) AS sum_xy');
  if (plan.metric.kind === 'ratio')
    sums.push('sum(d) AS sum_d', 'sum(d * d) AS sum_d2', 'sum(y * d) AS sum_yd');
  const sql = `WITH ${unitsCte(plan, params)},
  ${metricEventsCte(plan, params, preMs)},
  ${perUnitCte(plan, params, preMs)}
  SELECT variant, ${sums.join(', ')} FROM per_unit GROUP BY variant`;
  return { sql, params: params.values };
}
