import type { LifecycleStatement } from '../../lifecycle/plan.js';
import { type ParamList, paramList, type RenderedSql } from '../params.js';
import { countedActorExpr } from './counted-actor.js';
import { joinClauses, noJoins, predicateSql, timestampLiteral } from './expressions.js';
import { periodIndexExpr } from './periods.js';

// Stage 3 of lifecycle, DuckDB dialect: rows `(p, status, n)`. Per actor its active periods
// (from period -1) and its creation period (person or group created_at); an active period
// p >= 0 is new (= creation period), returning (active in p - 1) or resurrecting; p + 1 is
// dormant when the actor is not active then (periods inside the range only).

export function renderLifecycleStatement(plan: LifecycleStatement): RenderedSql {
  const { ctes, params } = lifecycleCtes(plan);
  const sql = `WITH ${ctes.join(',\n')}
SELECT p, status, count(*) AS n FROM statuses GROUP BY ALL`;
  return { sql, params: params.values };
}

/**
 * Up to `statuses (actor, p, status)`: every (actor, period, status) the chart counts. The actors
 * stage lists one period's and status's rows from the same CTEs.
 */
export function lifecycleCtes(plan: LifecycleStatement): { ctes: string[]; params: ParamList } {
  const { lifecycle } = plan;
  const params = paramList();
  const needs = noJoins();
  const project = params.add(lifecycle.projectId);
  const actor = countedActorExpr(lifecycle.actor, needs);
  const where = [
    `e.project_id = CAST(${project} AS INTEGER)`,
    `e.timestamp >= ${timestampLiteral(plan.lookbackMs)}`,
    `e.timestamp < ${timestampLiteral(plan.toMs)}`,
  ];
  if (lifecycle.event !== null) where.push(`e.event = ${params.add(lifecycle.event)}`);
  if (lifecycle.where !== null) where.push(predicateSql(lifecycle.where, params, needs));
  const created =
    lifecycle.actor.kind === 'person'
      ? `SELECT id AS actor, ${periodIndexExpr('created_at', plan.axis, true)} AS cp FROM persons WHERE project_id = CAST(${project} AS INTEGER)`
      : `SELECT group_key AS actor, ${periodIndexExpr('created_at', plan.axis, true)} AS cp FROM groups WHERE project_id = CAST(${project} AS INTEGER) AND group_type_index = ${lifecycle.actor.index}`;
  const ctes = [
    `active AS (
  SELECT actor, p, count(*) AS events FROM (
    SELECT ${actor} AS actor, ${periodIndexExpr('e.timestamp', plan.axis, true)} AS p
    FROM events e
    ${joinClauses(needs)}
    WHERE ${where.join('\n      AND ')}
  ) WHERE actor IS NOT NULL GROUP BY actor, p
)`,
    `created AS (${created})`,
    `ordered AS (
  SELECT actor, p, events, lag(p) OVER w AS prev, lead(p) OVER w AS next
  FROM active WINDOW w AS (PARTITION BY actor ORDER BY p)
)`,
    `statuses AS (
  SELECT o.actor, o.p, CASE WHEN o.p = c.cp THEN 'new' WHEN o.prev = o.p - 1 THEN 'returning' ELSE 'resurrecting' END AS status, o.events
  FROM ordered o LEFT JOIN created c ON c.actor = o.actor
  WHERE o.p >= 0
  UNION ALL
  SELECT actor, p + 1, 'dormant', 0 FROM ordered WHERE (next IS NULL OR next > p + 1) AND p + 1 < ${plan.periods}
)`,
  ];
  return { ctes, params };
}
