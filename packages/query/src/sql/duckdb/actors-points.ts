import type { ActorsPoint, TrendsBreakdownSelection } from '../../actors/point.js';
import { FUNNEL_NULL_BUCKET, FUNNEL_OTHER_BUCKET } from '../../funnels/plan.js';
import type { Actor } from '../../plan/actor.js';
import { type ParamList, paramList } from '../params.js';
import { funnelCtes, funnelTrendsEntries } from './funnels.js';
import { lifecycleCtes } from './lifecycle.js';
import { retentionCtes } from './retention.js';
import { stickinessActiveSql } from './stickiness.js';
import { bucketFormat, trendsCtes } from './trends.js';

// Stage 3 of actors, DuckDB dialect, per insight: the insight's own CTEs (the ones its chart is
// computed from) and a SELECT over them of the actors in one data point, one row each:
// `(actor, n)`, n being the actor's events behind the point (funnels: steps filled). Without a
// source (`all`): every person (tenant) row of the project, `(actor, n = 0, created)`.

export interface PointSql {
  readonly ctes: readonly string[];
  readonly params: ParamList;
  readonly points: string;
}

export function pointSql(point: ActorsPoint, actor: Actor): PointSql {
  switch (point.kind) {
    case 'trends':
      return trendsPoints(point, actor);
    case 'funnels': {
      const { ctes, params } = funnelCtes(point.statement);
      if (point.entry !== null) {
        // Funnel trends: the actors entered in one bucket, converted or not, as the chart counts.
        const converted = `lvl >= ${point.funnelStep}`;
        return {
          ctes,
          params,
          points: `SELECT actor, max(lvl) AS n FROM (
  ${funnelTrendsEntries(point.statement)}
) WHERE void_ts IS NULL AND bucket = ${point.entry.bucket} AND ${point.entry.dropOff ? `NOT (${converted})` : converted}
GROUP BY actor`,
        };
      }
      const n = Math.abs(point.funnelStep);
      // PostHog: step N > 0 = level >= N; -N = level N - 1 (reached N - 1, not N).
      const conds = ['void_ts IS NULL', point.funnelStep > 0 ? `lvl >= ${n}` : `lvl = ${n - 1}`];
      if (point.breakdown !== null) conds.push(funnelBucketSql(point.breakdown, params));
      return {
        ctes,
        params,
        points: `SELECT actor, max(lvl) AS n FROM b_best WHERE ${conds.join(' AND ')} GROUP BY actor`,
      };
    }
    case 'retention':
      return retentionPoints(point);
    case 'stickiness': {
      const rendered = stickinessActiveSql(point.statement);
      const params = paramList();
      for (const value of rendered.params) params.add(value);
      const op = point.orMore ? '>=' : '=';
      return {
        ctes: [`sticky AS (\n${rendered.sql}\n)`],
        params,
        points: `SELECT actor, events AS n FROM sticky WHERE active ${op} ${point.active}`,
      };
    }
    case 'all':
      return allPoints(point, actor);
    case 'lifecycle': {
      const { ctes, params } = lifecycleCtes(point.statement);
      return {
        ctes,
        params,
        points: `SELECT actor, sum(events) AS n FROM statuses WHERE p = ${point.period} AND status = ${params.add(point.status)} GROUP BY actor`,
      };
    }
  }
}

/** Every person, or every group of one type; `created` is what the list orders by by default. */
function allPoints(point: Extract<ActorsPoint, { kind: 'all' }>, actor: Actor): PointSql {
  const params = paramList();
  const project = `CAST(${params.add(point.projectId)} AS INTEGER)`;
  const points =
    actor.kind === 'group'
      ? `SELECT group_key AS actor, 0 AS n, created_at AS created FROM groups
WHERE project_id = ${project} AND group_type_index = ${actor.index}`
      : `SELECT id AS actor, 0 AS n, created_at AS created FROM persons WHERE project_id = ${project}`;
  return { ctes: [], params, points };
}

/** Trends: the rows of one bucket (up to it, cumulative) and one breakdown bucket. */
function trendsPoints(point: Extract<ActorsPoint, { kind: 'trends' }>, actor: Actor): PointSql {
  const plan = point.statement;
  const { ctes, rows, params } = trendsCtes(plan, { actor });
  const bucket = `${bucketFormat(plan)} ${point.upTo ? '<=' : '='} ${params.add(point.bucketKey)}`;
  const bv = breakdownSql(point.breakdown, plan.breakdown?.hideOther === true, params);
  const { math } = plan;
  if (math.kind === 'active_actors') {
    // The windows the point's bucket counts, joined as the chart joins them.
    return {
      ctes,
      params,
      points: `SELECT actor, count(*) AS n FROM (
  SELECT s.actor, w.bucket FROM windows w JOIN (
    SELECT actor, date_trunc('${plan.windowSlot}', local) AS slot FROM base WHERE actor IS NOT NULL AND ${bv}
  ) s ON s.slot >= w.wfrom AND s.slot < w.wto
) WHERE ${bucket} GROUP BY actor`,
    };
  }
  const conds = ['actor IS NOT NULL', bucket, bv];
  // Rows that add nothing to the value are not behind it: no number, no session.
  if (math.kind === 'property') conds.push('val IS NOT NULL');
  if (math.kind === 'unique_sessions') conds.push('session IS NOT NULL');
  return {
    ctes,
    params,
    points: `SELECT actor, count(*) AS n FROM ${rows} WHERE ${conds.join(' AND ')} GROUP BY actor`,
  };
}

/**
 * A funnel's breakdown bucket over `b_best.key` (the kept value, or the None / Other bucket key;
 * several breakdowns: the JSON list of the values, compared position by position).
 */
function funnelBucketSql(selection: TrendsBreakdownSelection, params: ParamList): string {
  switch (selection.bucket) {
    case 'value':
      return `key = ${params.add(selection.value)}`;
    case 'none':
      return `key = '${FUNNEL_NULL_BUCKET}'`;
    case 'other':
      return `key = '${FUNNEL_OTHER_BUCKET}'`;
    case 'combination':
      return `(key NOT IN ('${FUNNEL_NULL_BUCKET}', '${FUNNEL_OTHER_BUCKET}') AND ${combinationSql('key', selection.values, params)})`;
  }
}

/** Each position of the JSON list in `column` equals `values` (null: missing there). */
function combinationSql(
  column: string,
  values: ReadonlyArray<string | null>,
  params: ParamList,
): string {
  return values
    .map((value, i) => {
      const at = `json_extract_string(${column}, '$[${i}]')`;
      return value === null ? `${at} IS NULL` : `${at} = ${params.add(value)}`;
    })
    .join(' AND ');
}

/** The chart's breakdown buckets: kept values are those in `top`, None is NULL, Other the rest. */
function breakdownSql(
  selection: TrendsBreakdownSelection | null,
  hideOther: boolean,
  params: ParamList,
): string {
  if (selection === null) return 'true';
  switch (selection.bucket) {
    case 'value':
      return `(bv = ${params.add(selection.value)} AND bv IN (SELECT bv FROM top))`;
    case 'combination':
      // bv is the JSON list of the values (sql/duckdb/trends.ts).
      return `(bv IN (SELECT bv FROM top) AND ${combinationSql('bv', selection.values, params)})`;
    case 'none':
      return 'bv IS NULL';
    case 'other':
      return hideOther ? 'false' : '(bv IS NOT NULL AND bv NOT IN (SELECT bv FROM top))';
  }
}

/**
 * Retention cell (cohort p, offset k): k = 0 is the cohort; k > 0 the cohort's actors who
 * returned in period p + k (cumulative: in p + k or later), as the triangle counts them.
 */
function retentionPoints(point: Extract<ActorsPoint, { kind: 'retention' }>): PointSql {
  const { ctes, params } = retentionCtes(point.statement);
  const { cohort: p, offset: k } = point;
  let points: string;
  if (k === 0)
    points = `SELECT st.actor, count(b.actor) AS n FROM starts st
  LEFT JOIN base b ON b.actor = st.actor AND b.s AND b.p = st.p
WHERE st.p = ${p} GROUP BY st.actor`;
  else if (point.statement.retention.cumulative)
    points = `SELECT st.actor, count(*) AS n FROM starts st
  JOIN base b ON b.actor = st.actor AND b.r AND b.p >= st.p + ${k}
WHERE st.p = ${p} AND EXISTS (SELECT 1 FROM returns r WHERE r.actor = st.actor AND r.p >= st.p + ${k})
GROUP BY st.actor`;
  else if (point.statement.retention.windowMs !== null)
    // Rolling windows: the return events in the cohort's window k.
    points = `SELECT st.actor, count(*) AS n FROM starts st
  JOIN returns r ON r.actor = st.actor AND r.c = st.p AND r.p = st.p + ${k}
  JOIN rhits h ON h.actor = st.actor AND h.c = st.p AND h.p = r.p
WHERE st.p = ${p} GROUP BY st.actor`;
  else
    points = `SELECT st.actor, count(*) AS n FROM starts st
  JOIN returns r ON r.actor = st.actor AND r.p = st.p + ${k}
  JOIN base b ON b.actor = st.actor AND b.r AND b.p = r.p
WHERE st.p = ${p} GROUP BY st.actor`;
  return { ctes, params, points };
}
