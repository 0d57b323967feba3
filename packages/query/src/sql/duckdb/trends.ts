import type { Actor } from '../../plan/actor.js';
import type { TrendsBreakdown } from '../../trends/breakdowns.js';
import type { TrendsStatement } from '../../trends/plan.js';
import type { TrendsMath } from '../../trends/series.js';
import { type ParamList, paramList, type RenderedSql } from '../params.js';
import {
  actorExpr,
  type JoinNeeds,
  joinClauses,
  localTimeExpr,
  noJoins,
  predicateSql,
  propertyExpr,
  timestampLiteral,
  wallLiteral,
} from './expressions.js';

// Stage 3 of trends, DuckDB dialect: one statement -> SQL returning rows
// `(kind, breakdown_value, rank, bucket, value)`: kind is 'value', 'none' or 'other' (or
// 'value' without breakdown), bucket the bucket key (see time/buckets.ts), '' for total value.

export function renderTrendsStatement(plan: TrendsStatement): RenderedSql {
  const { ctes, rows, params } = trendsCtes(plan);
  const format = bucketFormat(plan);
  const keyed = plan.breakdown !== null;
  let body: string;
  if (!keyed) {
    body = `SELECT 'value' AS kind, NULL AS breakdown_value, NULL AS rank, ${format} AS bucket, value\nFROM (${pipeline(plan, rows, false)})`;
  } else {
    const parts = [
      `SELECT 'value' AS kind, p.bv AS breakdown_value, t.rank, ${format} AS bucket, p.value FROM per_value p JOIN top t ON p.bv = t.bv`,
      `SELECT 'none', NULL, NULL, ${format}, value FROM per_value WHERE bv IS NULL`,
    ];
    if (plan.breakdown?.hideOther !== true) {
      const folded = `bv IS NOT NULL AND bv NOT IN (SELECT bv FROM top)`;
      // Counts add up exactly, so Other is the sum of the folded values' counts; other maths
      // (distinct actors, averages, quantiles) are recomputed over the folded events.
      const other = isCount(plan.math)
        ? `SELECT bucket, sum(value) AS value FROM per_value WHERE ${folded} GROUP BY bucket`
        : pipeline(plan, `(SELECT * FROM ${rows} WHERE ${folded})`, false);
      parts.push(`SELECT 'other', NULL, NULL, ${format}, value FROM (${other})`);
    }
    body = parts.join('\nUNION ALL\n');
  }
  const sql = `WITH ${ctes.join(',\n')}\n${body}`;
  return { sql, params: params.values };
}

/** Maths whose value is a row count per bucket (sums of counts are exact). */
function isCount(math: TrendsMath): boolean {
  return math.kind === 'total' || math.kind === 'first_time';
}

/**
 * The CTEs a statement's values come from: `base` (one row per event), `rows` (first-time math),
 * `windows` (rolling-active math), and with a breakdown `per_value` and `top` (the kept values).
 * The actors stage (sql/duckdb/actors-trends.ts) reads the same CTEs with `actor` set, which adds
 * the actor (and its distinct id) to `base` for maths that do not count actors.
 */
export function trendsCtes(
  plan: TrendsStatement,
  extra: { readonly actor?: Actor } = {},
): { ctes: string[]; rows: string; params: ParamList } {
  const params = paramList();
  const needs = noJoins();
  const ctes: string[] = [`base AS (\n${baseSelect(plan, params, needs, extra.actor)}\n)`];
  let rows = 'base';
  if (plan.math.kind === 'first_time') {
    ctes.push(`rows AS (\n${firstTimeRows(plan)}\n)`);
    rows = 'rows';
  }
  if (plan.math.kind === 'active_actors')
    ctes.push(`windows AS (\n${windowsValues(plan)}\n)`, ...windowSlotCtes(plan));
  if (plan.breakdown !== null) {
    const limit = plan.breakdown.limit;
    ctes.push(`per_value AS (${pipeline(plan, rows, true)})`);
    ctes.push(
      `top AS (SELECT bv, row_number() OVER (ORDER BY round(sum(value), 6) DESC, bv) AS rank FROM per_value WHERE bv IS NOT NULL GROUP BY bv QUALIFY rank <= ${limit})`,
    );
  }
  return { ctes, rows, params };
}

/** The events the statement reads, one row each, with what the math needs. */
function baseSelect(
  plan: TrendsStatement,
  params: ParamList,
  needs: JoinNeeds,
  extraActor?: Actor,
): string {
  const { math } = plan;
  const local = localTimeExpr('e.timestamp', plan.offsets);
  const columns = ['e.timestamp AS ts'];
  const where = [`e.project_id = CAST(${params.add(plan.projectId)} AS INTEGER)`];
  if (plan.scan.fromMs !== null) where.push(`e.timestamp >= ${timestampLiteral(plan.scan.fromMs)}`);
  where.push(`e.timestamp < ${timestampLiteral(plan.scan.toMs)}`);
  if (plan.event !== null) where.push(`e.event = ${params.add(plan.event)}`);
  const filter = plan.where === null ? 'true' : predicateSql(plan.where, params, needs);
  // First-time math needs every event of the series to find each actor's first; the filters
  // then decide whether that first event counts (PostHog's first_time_for_user).
  if (math.kind === 'first_time') columns.push(`${filter} AS m`, 'e.uuid');
  else if (filter !== 'true') where.push(filter);
  if (math.kind !== 'first_time' && math.kind !== 'active_actors')
    columns.push(`${bucketExpr(plan, local, 'e.timestamp')} AS bucket`);
  if (math.kind === 'active_actors') columns.push(`${local} AS local`);
  const actor = actorOf(math) ?? extraActor ?? null;
  if (actor !== null) columns.push(`${actorExpr(actor, needs)} AS actor`);
  if (extraActor !== undefined) columns.push('e.distinct_id AS distinct_id');
  if (math.kind === 'unique_sessions') columns.push(`nullif(e.session_id, '') AS session`);
  if (math.kind === 'property')
    columns.push(`TRY_CAST(${propertyExpr(math.property, needs)} AS DOUBLE) AS val`);
  if (plan.breakdown !== null) columns.push(`${breakdownKeyExpr(plan.breakdown, needs)} AS bv`);
  return `SELECT ${columns.join(', ')}\nFROM events e\n  ${joinClauses(needs)}\nWHERE ${where.join('\n  AND ')}`;
}

/**
 * The breakdown value as one column, so ranking, Other and None are the same for one breakdown
 * or several: a single breakdown's value as text ('' is missing); several breakdowns' values as
 * the JSON list of them (`["high",null]`, null = missing), NULL when every one is missing (the
 * None bucket). Kept combinations tie by that text (trends/breakdowns.ts).
 */
export function breakdownKeyExpr(breakdown: TrendsBreakdown, needs: JoinNeeds): string {
  const values = breakdown.properties.map((p) => `nullif(${propertyExpr(p, needs)}, '')`);
  if (!breakdown.isMultiple) return values[0] ?? 'NULL';
  const allMissing = values.map((v) => `${v} IS NULL`).join(' AND ');
  return `CASE WHEN ${allMissing} THEN NULL ELSE to_json([${values.join(', ')}])::VARCHAR END`;
}

function actorOf(math: TrendsMath) {
  return 'actor' in math ? math.actor : null;
}

/** The bucket's start as a TIMESTAMP (local for day/week/month, UTC for hours); NULL for total. */
function bucketExpr(plan: TrendsStatement, local: string, utc: string): string {
  if (plan.isTotalValue) return 'NULL::TIMESTAMP';
  switch (plan.timeline.interval) {
    case 'hour':
      return `(${utc} - (${local} - date_trunc('hour', ${local})))`;
    case 'day':
      return `date_trunc('day', ${local})`;
    case 'week': {
      // date_trunc('week') starts on Monday; shift so it starts on the project's week start.
      const days = (8 - plan.weekStartDay) % 7;
      return days === 0
        ? `date_trunc('week', ${local})`
        : `(date_trunc('week', ${local} + INTERVAL ${days} DAY) - INTERVAL ${days} DAY)`;
    }
    case 'month':
      return `date_trunc('month', ${local})`;
  }
}

/** The SQL giving a row's bucket key (time/buckets.ts `key`; '' in total value), over `bucket`. */
export function bucketFormat(plan: TrendsStatement): string {
  if (plan.isTotalValue) return `''`;
  return plan.timeline.interval === 'hour'
    ? `strftime(bucket, '%Y-%m-%d %H:%M:%S')`
    : `strftime(bucket, '%Y-%m-%d')`;
}

/** Per actor, its first event of the series; kept when it matches and falls in the range. */
function firstTimeRows(plan: TrendsStatement): string {
  const math = plan.math as Extract<TrendsMath, { kind: 'first_time' }>;
  // arg_min_null: plain arg_min skips rows whose bv is NULL and would take a later event's value.
  const bv = plan.breakdown === null ? '' : ', arg_min_null(bv, (ts, uuid)) FILTER (WHERE m) AS bv';
  const keep = math.firstMatching ? 't1 IS NOT NULL' : 't1 = t0';
  const local = localTimeExpr('t1', plan.offsets);
  return `SELECT actor${plan.breakdown === null ? '' : ', bv'}, ${bucketExpr(plan, local, 't1')} AS bucket
FROM (
  SELECT actor, min(ts) AS t0, min(ts) FILTER (WHERE m) AS t1${bv}
  FROM base WHERE actor IS NOT NULL GROUP BY actor
)
WHERE ${keep} AND t1 >= ${timestampLiteral(plan.timeline.fromMs)}`;
}

function windowsValues(plan: TrendsStatement): string {
  const rows = plan.windows.map(
    (w, i) =>
      `(${plan.isTotalValue ? 'NULL::TIMESTAMP' : bucketKeyLiteral(plan, i)}, ${wallLiteral(w.from)}, ${wallLiteral(w.to)})`,
  );
  return `SELECT * FROM (VALUES ${rows.join(', ')}) w(bucket, wfrom, wto)`;
}

/** The bucket value the window belongs to, as the TIMESTAMP bucketExpr would give. */
function bucketKeyLiteral(plan: TrendsStatement, index: number): string {
  const bucket = plan.timeline.buckets[index];
  if (bucket === undefined) throw new Error('window without bucket');
  return `TIMESTAMP '${bucket.key.length === 10 ? `${bucket.key} 00:00:00` : bucket.key}'`;
}

/**
 * Rolling-active math without a range join: each slot (hour or local day) the windows can hold
 * gets, per chunk of 64 windows, the bit mask of the windows holding it (`window_slots`, from the
 * few slots x windows). An actor's masks are the bit_or over its events' slots, and a window's
 * value is the number of actors with its bit set: exact distinct actors from one hash aggregate
 * (issue 4: the range join and count(DISTINCT) per window took seconds at 10M events).
 */
function windowSlotCtes(plan: TrendsStatement): string[] {
  const first = plan.windows[0];
  const last = plan.windows[plan.windows.length - 1];
  if (first === undefined || last === undefined) throw new Error('active math without windows');
  const masks = windowChunks(plan).map(
    (c) =>
      `bit_or(CASE WHEN w.wfrom <= s.slot AND s.slot < w.wto AND w.wi // 64 = ${c} THEN 1::UBIGINT << (w.wi % 64)::UBIGINT ELSE 0::UBIGINT END) AS m${c}`,
  );
  // Window bounds are whole slots, so the slots from the first start to the last end cover them.
  return [
    `window_ix AS (SELECT bucket, wfrom, wto, row_number() OVER (ORDER BY wfrom, wto) - 1 AS wi FROM windows)`,
    `window_slots AS (
  SELECT s.slot, ${masks.join(',\n    ')}
  FROM range(${wallLiteral(first.from)}, ${wallLiteral(last.to)}, INTERVAL 1 ${plan.windowSlot.toUpperCase()}) s(slot), window_ix w
  GROUP BY s.slot
)`,
  ];
}

/** Chunk numbers 0..ceil(windows / 64) - 1. */
function windowChunks(plan: TrendsStatement): number[] {
  return Array.from({ length: Math.ceil(plan.windows.length / 64) }, (_, c) => c);
}

function activeActorsSql(plan: TrendsStatement, rel: string, keyed: boolean): string {
  const k = keyed ? 'bv, ' : '';
  const chunks = windowChunks(plan);
  const counts = plan.windows.map((_, i) => `sum(((m${i >> 6} >> ${i % 64}) & 1)::BIGINT)`);
  return `SELECT ${keyed ? 'p.bv, ' : ''}w.bucket, p.value::DOUBLE AS value
FROM (
  SELECT ${k}unnest(range(${plan.windows.length})) AS wi, unnest([${counts.join(', ')}]) AS value
  FROM (
    SELECT ${keyed ? 'r.bv, ' : ''}${chunks.map((c) => `bit_or(s.m${c}) AS m${c}`).join(', ')}
    FROM ${rel} r JOIN window_slots s ON s.slot = date_trunc('${plan.windowSlot}', r.local)
    WHERE r.actor IS NOT NULL
    GROUP BY ${keyed ? 'r.bv, ' : ''}r.actor
  )${keyed ? '\n  GROUP BY bv' : ''}
) p JOIN window_ix w ON w.wi = p.wi
WHERE p.value > 0`;
}

/** The math over `rel`, grouped by bucket (and `bv` when keyed): rows `(bv?, bucket, value)`. */
function pipeline(plan: TrendsStatement, rel: string, keyed: boolean): string {
  const k = keyed ? 'bv, ' : '';
  const { math } = plan;
  // One total value without a breakdown: a plain aggregate (its one row is 0 when nothing
  // matched, which shapes as the empty line would) is cheaper than grouping by a NULL bucket.
  const single = plan.isTotalValue && plan.breakdown === null;
  const [b, group] = single ? ['NULL::TIMESTAMP AS bucket', ''] : ['bucket', ' GROUP BY ALL'];
  switch (math.kind) {
    case 'total':
      return `SELECT ${k}${b}, count(*)::DOUBLE AS value FROM ${rel}${group}`;
    case 'unique_actors':
      return `SELECT ${k}${b}, count(DISTINCT actor)::DOUBLE AS value FROM ${rel}${group}`;
    case 'unique_sessions':
      return `SELECT ${k}${b}, count(DISTINCT session)::DOUBLE AS value FROM ${rel}${group}`;
    case 'property':
      return `SELECT ${k}${b}, coalesce(${aggregateSql(math.aggregate, math.quantile, 'val')}, 0)::DOUBLE AS value FROM ${rel}${group}`;
    case 'count_per_actor':
      return `SELECT ${k}bucket, coalesce(${aggregateSql(math.aggregate, math.quantile, 'n')}, 0)::DOUBLE AS value
FROM (SELECT ${k}bucket, actor, count(*) AS n FROM ${rel} WHERE actor IS NOT NULL GROUP BY ALL) GROUP BY ALL`;
    case 'active_actors':
      return activeActorsSql(plan, rel, keyed);
    case 'first_time':
      return `SELECT ${k}bucket, count(*)::DOUBLE AS value FROM ${rel} GROUP BY ALL`;
    case 'first_active_bucket':
      return `SELECT ${k}bucket, count(*)::DOUBLE AS value
FROM (SELECT ${k}actor, min(bucket) AS bucket FROM ${rel} WHERE actor IS NOT NULL GROUP BY ALL) GROUP BY ALL`;
  }
}

function aggregateSql(aggregate: string, quantile: number, column: string): string {
  return aggregate === 'quantile'
    ? `quantile_cont(${column}, ${quantile})`
    : `${aggregate}(${column})`;
}
