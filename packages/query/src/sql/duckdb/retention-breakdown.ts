import type { RetentionStatement } from '../../retention/plan.js';
import type { ParamList } from '../params.js';
import { type JoinNeeds, propertyExpr } from './expressions.js';

// Retention broken down by a property (§2.1 breakdown rules on §2.3), DuckDB dialect. The value
// is read on the start event that puts the actor in cohort p, so an actor can sit in cohort p
// under several values (recurring, start events with different values in one period). Values
// rank by their cohort entries over all cohorts (PostHog: the sum of their cohort sizes), ties
// by value; the top `limit` keep their bucket, missing and '' are None (outside the limit), the
// rest fold into Other, where an actor counts once per cohort however many values it folds.
//
// CTEs, after retention.ts's `base`: `entries (actor, p, bv)`, `top (bv, rank)`, `bstarts
// (actor, p, bucket, breakdown_value, rank)` and `starts (actor, p)`, the cohorts' actors (one
// bucket's, for a drill-down), which the actors stage reads as without a breakdown.

/** The columns `base` needs: `bv` (NULL when missing or ''), and `uuid` to break time ties. */
export function breakdownColumns(plan: RetentionStatement, needs: JoinNeeds): string[] {
  const { breakdown, retentionType } = plan.retention;
  if (breakdown === null) return [];
  const columns = [`nullif(${propertyExpr(breakdown.property, needs)}, '') AS bv`];
  // first_ever adds uuid itself (it breaks ties for the cohort too).
  if (retentionType === 'first_time') columns.push('e.uuid');
  return columns;
}

export function breakdownCtes(plan: RetentionStatement, params: ParamList): string[] {
  const { breakdown } = plan.retention;
  if (breakdown === null) throw new Error('retention breakdown CTEs without a breakdown');
  const bucket = `CASE WHEN e.bv IS NULL THEN 'none' WHEN t.bv IS NULL THEN 'other' ELSE 'value' END`;
  const bstarts = `SELECT DISTINCT e.actor, e.p, ${bucket} AS bucket, t.bv AS breakdown_value, t.rank
  FROM entries e LEFT JOIN top t ON t.bv = e.bv${breakdown.hideOther ? '\n  WHERE e.bv IS NULL OR t.bv IS NOT NULL' : ''}`;
  return [
    `entries AS (${entriesSql(plan)})`,
    `top AS (SELECT bv, row_number() OVER (ORDER BY count(*) DESC, bv) AS rank FROM entries WHERE bv IS NOT NULL GROUP BY bv QUALIFY rank <= ${breakdown.limit})`,
    `bstarts AS (\n${bstarts}\n)`,
    `starts AS (SELECT DISTINCT actor, p FROM bstarts WHERE ${bucketTest(plan, params)})`,
  ];
}

/**
 * Rows `(kind, bucket, breakdown_value, rank, cohort, k, n)` over retention.ts's CTEs; `join`
 * joins `returns r` to `bstarts s` (retention.ts's returnsJoin).
 */
export function breakdownCells(plan: RetentionStatement, join: string): string {
  const cells = plan.retention.cumulative
    ? `SELECT 'last' AS kind, bucket, breakdown_value, rank, cohort, k, count(*) AS n FROM (
  SELECT s.bucket, s.breakdown_value, s.rank, s.p AS cohort, max(r.p) - s.p AS k
  FROM bstarts s JOIN returns r ON ${join}
  GROUP BY s.actor, s.p, s.bucket, s.breakdown_value, s.rank
) GROUP BY ALL`
    : `SELECT 'cell' AS kind, s.bucket, s.breakdown_value, s.rank, s.p AS cohort, r.p - s.p AS k, count(*) AS n
FROM bstarts s JOIN returns r ON ${join} GROUP BY ALL`;
  return `SELECT 'size' AS kind, bucket, breakdown_value, rank, p AS cohort, 0 AS k, count(*) AS n FROM bstarts GROUP BY ALL
UNION ALL
${cells}`;
}

/** `(actor, p, bv)`: each cohort entry with the value of the start event behind it. */
function entriesSql(plan: RetentionStatement): string {
  switch (plan.retention.retentionType) {
    case 'recurring':
      return 'SELECT DISTINCT actor, p, bv FROM base WHERE s AND p IS NOT NULL';
    case 'first_time':
      // The first matching start event (ties by uuid) gives the cohort and the value.
      return `SELECT actor, p, bv FROM (SELECT actor, arg_min_null(p, (ts, uuid)) FILTER (WHERE s) AS p, arg_min_null(bv, (ts, uuid)) FILTER (WHERE s) AS bv FROM base GROUP BY actor) WHERE p IS NOT NULL`;
    case 'first_ever':
      // The first event with the start name, which must pass the filters (§2.3: "breakdown
      // value taken from that first event").
      return `SELECT actor, p, bv FROM (SELECT actor, arg_min_null(CASE WHEN s THEN p END, (ts, uuid)) FILTER (WHERE c) AS p, arg_min_null(bv, (ts, uuid)) FILTER (WHERE c) AS bv FROM base GROUP BY actor) WHERE p IS NOT NULL`;
  }
}

function bucketTest(plan: RetentionStatement, params: ParamList): string {
  const selected = plan.bucket;
  if (selected === null) return 'true';
  switch (selected.bucket) {
    case 'value':
      return `bucket = 'value' AND breakdown_value = ${params.add(selected.value)}`;
    case 'none':
      return `bucket = 'none'`;
    case 'other':
      return `bucket = 'other'`;
  }
}
