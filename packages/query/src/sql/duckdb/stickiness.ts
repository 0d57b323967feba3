import type { StickinessStatement } from '../../stickiness/plan.js';
import { paramList, type RenderedSql } from '../params.js';
import { countedActorExpr } from './counted-actor.js';
import { joinClauses, noJoins, predicateSql, timestampLiteral } from './expressions.js';
import { periodIndexExpr } from './periods.js';

// Stage 3 of stickiness, DuckDB dialect: rows `(active, n)`, n actors active in exactly
// `active` units of the range (a unit = `intervalsPerUnit` intervals from the first bucket).

const CMP = { gte: '>=', lte: '<=', exact: '=' } as const;

export function renderStickinessStatement(plan: StickinessStatement): RenderedSql {
  const { sql: perActor, params } = stickinessActiveSql(plan);
  return { sql: `SELECT active, count(*) AS n FROM (\n  ${perActor}\n) GROUP BY active`, params };
}

/**
 * `(actor, active)`: each counted actor with its number of active units; the chart counts these
 * rows per `active`, the actors stage lists them.
 */
export function stickinessActiveSql(plan: StickinessStatement): RenderedSql {
  const params = paramList();
  const needs = noJoins();
  const actor = countedActorExpr(plan.series.actor, needs);
  const unit = `${periodIndexExpr('e.timestamp', plan.axis, true)} // ${plan.intervalsPerUnit}`;
  const where = [
    `e.project_id = CAST(${params.add(plan.projectId)} AS INTEGER)`,
    `e.timestamp >= ${timestampLiteral(plan.axis.firstMs)}`,
    `e.timestamp < ${timestampLiteral(plan.toMs)}`,
  ];
  if (plan.series.event !== null) where.push(`e.event = ${params.add(plan.series.event)}`);
  if (plan.series.where !== null) where.push(predicateSql(plan.series.where, params, needs));
  const { operator, value } = plan.criterion;
  const sql = `SELECT actor, count(*) AS active, sum(n) AS events FROM (
    SELECT actor, unit, count(*) AS n FROM (
      SELECT ${actor} AS actor, ${unit} AS unit
      FROM events e
      ${joinClauses(needs)}
      WHERE ${where.join('\n        AND ')}
    ) WHERE actor IS NOT NULL GROUP BY actor, unit HAVING count(*) ${CMP[operator]} ${value}
  ) GROUP BY actor`;
  return { sql, params: params.values };
}
