import type { RetentionEvent } from '../../retention/normalize.js';
import type { RetentionStatement } from '../../retention/plan.js';
import { type ParamList, paramList, type RenderedSql } from '../params.js';
import { countedActorExpr } from './counted-actor.js';
import {
  eventInSql,
  type JoinNeeds,
  joinClauses,
  noJoins,
  predicateSql,
  timestampLiteral,
} from './expressions.js';
import { type PeriodAxis, periodIndexExpr } from './periods.js';
import { breakdownCells, breakdownColumns, breakdownCtes } from './retention-breakdown.js';

// Stage 3 of retention, DuckDB dialect: rows `(kind, cohort, k, n)`. kind 'size' is a cohort's
// size (k = 0); 'cell' the actors of cohort p that returned in period p + k; 'last' (cumulative)
// the actors whose last return is in period p + k, summed from the right by the shape stage.
// Periods are indexes from cohort 0: local calendar days/weeks/months, real hours.
// Broken down by a property: retention-breakdown.ts, rows `(kind, bucket, breakdown_value, rank,
// cohort, k, n)` over the same `base` and `returns`.

export function renderRetentionStatement(plan: RetentionStatement): RenderedSql {
  const { retention } = plan;
  const { ctes, params } = retentionCtes(plan);
  if (retention.breakdown !== null)
    return {
      sql: `WITH ${ctes.join(',\n')}\n${breakdownCells(plan, returnsJoin(plan, 's', 'r'))}`,
      params: params.values,
    };
  if (isMaskable(plan))
    return { sql: `WITH ${ctes.join(',\n')},\n${maskedCells(plan)}`, params: params.values };
  const cells = retention.cumulative
    ? `SELECT 'last' AS kind, cohort, k, count(*) AS n FROM (
  SELECT s.p AS cohort, max(r.p) - s.p AS k FROM starts s JOIN returns r ON ${returnsJoin(plan, 's', 'r')} GROUP BY s.actor, s.p
) GROUP BY ALL`
    : `SELECT 'cell' AS kind, s.p AS cohort, r.p - s.p AS k, count(*) AS n
FROM starts s JOIN returns r ON ${returnsJoin(plan, 's', 'r')} GROUP BY ALL`;
  const sql = `WITH ${ctes.join(',\n')}
SELECT 'size' AS kind, p AS cohort, 0 AS k, count(*) AS n FROM starts GROUP BY ALL
UNION ALL
${cells}`;
  return { sql, params: params.values };
}

/** One cohort per actor and at most 64 periods: the cells fit one bit mask per actor. */
function isMaskable(plan: RetentionStatement): boolean {
  const { retention } = plan;
  return (
    retention.retentionType === 'first_time' &&
    !retention.cumulative &&
    retention.windowMs === null &&
    retention.minimumOccurrences === 1 &&
    retention.starts.length <= 64
  );
}

/**
 * First-time retention from one aggregate per actor, no (actor, period) groups and no join:
 * the cohort is the period of the actor's first start event (periods grow with time, so it is
 * the period of min(ts)), and bit p of `m` says it returned in period p. Cell (cohort, k) counts
 * the cohort's actors with bit cohort + k set. Same rows as the `starts`/`returns` join.
 */
function maskedCells(plan: RetentionStatement): string {
  const periods = plan.retention.starts.length;
  const bits = Array.from({ length: periods }, (_, j) => `sum(((m >> ${j}) & 1)::BIGINT)`);
  return `per_actor AS (
  SELECT ${periodIndexExpr('t0', axisOf(plan))} AS cohort, m FROM (
    SELECT min(ts) FILTER (WHERE s) AS t0,
      bit_or(1::UBIGINT << p::UBIGINT) FILTER (WHERE r AND p IS NOT NULL) AS m
    FROM base GROUP BY actor
  ) WHERE t0 IS NOT NULL
)
SELECT 'size' AS kind, cohort, 0 AS k, count(*) AS n FROM per_actor WHERE cohort IS NOT NULL GROUP BY ALL
UNION ALL
SELECT 'cell' AS kind, cohort, j - cohort AS k, n FROM (
  SELECT cohort, unnest(range(${periods})) AS j, unnest([${bits.join(', ')}]) AS n
  FROM per_actor WHERE cohort IS NOT NULL AND m IS NOT NULL GROUP BY cohort
) WHERE j > cohort AND n > 0`;
}

/**
 * `base (actor, ts, p, s, r, ...)`: the start and return events with their period; `starts
 * (actor, p)`: the cohorts each actor is in; `returns (actor, p)`: periods an actor returned in
 * (at least minimumOccurrences times). The actors stage reads the same CTEs for one cell.
 */
export function retentionCtes(plan: RetentionStatement): { ctes: string[]; params: ParamList } {
  const { retention } = plan;
  const params = paramList();
  const needs = noJoins();
  const actor = countedActorExpr(retention.actor, needs);
  const start = eventTest(retention.start, params, needs);
  const ret = eventTest(retention.returning, params, needs);
  const columns = [
    `${actor} AS actor`,
    'e.timestamp AS ts',
    `${periodIndexExpr('e.timestamp', axisOf(plan))} AS p`,
  ];
  // With rolling windows, returns are read past the last period, where no cohort starts.
  const startTest =
    plan.returnsEndMs > plan.endMs
      ? `(${start} AND e.timestamp < ${timestampLiteral(plan.endMs)})`
      : start;
  columns.push(`${startTest} AS s`, `${ret} AS r`, ...breakdownColumns(plan, needs));
  const where = [
    `e.project_id = CAST(${params.add(retention.projectId)} AS INTEGER)`,
    `e.timestamp < ${timestampLiteral(plan.returnsEndMs)}`,
  ];
  if (!plan.scansHistory) where.push(`e.timestamp >= ${timestampLiteral(plan.firstMs)}`);
  const names = [retention.start.event, retention.returning.event];
  let keep = 's OR r';
  if (retention.retentionType === 'first_ever') {
    columns.push('e.uuid', `${nameTest(retention.start.event, params)} AS c`);
    keep = 's OR r OR c';
  }
  const named = names.filter((name) => name !== null);
  if (named.length === names.length) where.push(eventInSql([...new Set(named)], params));
  const base = `SELECT * FROM (
  SELECT ${columns.join(', ')}
  FROM events e
  ${joinClauses(needs)}
  WHERE ${where.join('\n    AND ')}
) WHERE actor IS NOT NULL AND (${keep})`;

  const ctes = [
    `base AS (\n${base}\n)`,
    ...(retention.breakdown === null
      ? [`starts AS (${startsSql(plan)})`]
      : breakdownCtes(plan, params)),
    ...returnsCtes(plan),
  ];
  return { ctes, params };
}

/**
 * `returns (actor, p)`: the periods an actor returned in (at least minimumOccurrences times).
 * With rolling windows a period is relative to a cohort's start, so the rows are `(actor, c, p)`:
 * cohort c's actor returned in its window p - c, and `rhits (actor, c, p, ts)` are those return
 * events. Join them with {@link returnsJoin}.
 */
function returnsCtes(plan: RetentionStatement): string[] {
  const { minimumOccurrences, windowMs, totalIntervals } = plan.retention;
  if (windowMs === null)
    return [
      `returns AS (SELECT actor, p FROM base WHERE r AND p IS NOT NULL GROUP BY actor, p HAVING count(*) >= ${minimumOccurrences})`,
    ];
  return [
    // Each cohort's start: the actor's first start event in the period (for first-time types the
    // one event that made the cohort, the first of them all).
    `t0s AS (SELECT actor, p, min(ts) AS t0 FROM base WHERE s AND p IS NOT NULL GROUP BY actor, p)`,
    `rhits AS (
  SELECT * FROM (
    SELECT t.actor, t.p AS c, t.p + (epoch_ms(b.ts) - epoch_ms(t.t0)) // ${windowMs} AS p, b.ts
    FROM t0s t JOIN base b
      ON b.actor = t.actor AND b.r AND epoch_ms(b.ts) >= epoch_ms(t.t0) + ${windowMs}
  ) WHERE p < ${totalIntervals}
)`,
    `returns AS (SELECT actor, c, p FROM rhits GROUP BY ALL HAVING count(*) >= ${minimumOccurrences})`,
  ];
}

/** How `returns` alias `r` joins the cohort entries alias `s` (`actor`, `p`), later periods only. */
export function returnsJoin(plan: RetentionStatement, s: string, r: string): string {
  const join = `${r}.actor = ${s}.actor AND ${r}.p > ${s}.p`;
  return plan.retention.windowMs === null ? join : `${join} AND ${r}.c = ${s}.p`;
}

/** Distinct `(actor, p)`: the cohorts each actor is in. */
function startsSql(plan: RetentionStatement): string {
  switch (plan.retention.retentionType) {
    case 'recurring':
      return 'SELECT DISTINCT actor, p FROM base WHERE s AND p IS NOT NULL';
    case 'first_time':
      // arg_min_null: a first start event before cohort 0 has p NULL and puts the actor nowhere.
      return `SELECT actor, p FROM (SELECT actor, arg_min_null(p, ts) FILTER (WHERE s) AS p FROM base GROUP BY actor) WHERE p IS NOT NULL`;
    case 'first_ever':
      // The first event with the start name (ties by uuid) must itself pass the filters.
      return `SELECT actor, p FROM (SELECT actor, arg_min_null(CASE WHEN s THEN p END, (ts, uuid)) FILTER (WHERE c) AS p FROM base GROUP BY actor) WHERE p IS NOT NULL`;
  }
}

function nameTest(event: string | null, params: ParamList): string {
  return event === null ? 'true' : `e.event = ${params.add(event)}`;
}

function eventTest(event: RetentionEvent, params: ParamList, needs: JoinNeeds): string {
  const parts = [nameTest(event.event, params)];
  if (event.where !== null) parts.push(predicateSql(event.where, params, needs));
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' AND ')})`;
}

function axisOf(plan: RetentionStatement): PeriodAxis {
  const firstWall = plan.retention.starts[0];
  if (firstWall === undefined) throw new Error('retention without cohorts');
  return { period: plan.retention.period, firstMs: plan.firstMs, firstWall, offsets: plan.offsets };
}
