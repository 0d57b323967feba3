import type { FunnelBreakdown } from '../../funnels/normalize.js';
import {
  FUNNEL_NULL_BUCKET,
  FUNNEL_OTHER_BUCKET,
  type FunnelStatement,
} from '../../funnels/plan.js';
import type { Predicate } from '../../plan/predicates.js';
import { type ParamList, paramList, type RenderedSql } from '../params.js';
import {
  eventInSql,
  type JoinNeeds,
  joinClauses,
  noJoins,
  predicateSql,
  propertyExpr,
  timestampLiteral,
} from './expressions.js';
import { type ChainEvents, greedyChainCtes } from './funnels-fast.js';
import { breakdownKeyExpr } from './trends.js';

// Stage 3 of funnels, DuckDB dialect (§2.2). Rows by view: steps -> `(breakdown_value, c{k},
// avg{k}, med{k})` per bucket (one row without a breakdown); time_to_convert -> one row
// `(avg_ms, med_ms, times)`; trends -> `(bucket, entered, converted)` per non-empty entry bucket.
// Per actor, its events sorted by (time, lowest step matched, uuid) become one list; every entry
// event opens an attempt, walked with list_reduce over the events after it (the walk is
// deterministic: an event advances the attempt when it can, window measured from the entry).
// Exclusions void an attempt afterwards from its step times; the best attempt per actor is the
// furthest, then the one that got there first, then the one entered last (the reference's
// bestAttempt), and an actor whose best attempt is void is dropped. No ASOF join is used, so
// the ASOF NULL bug (storage-engines.md §5) cannot bite.
// With a breakdown the walk runs twice: on raw values to rank them (actors at step 1), then on
// values folded into the kept ones + Other, since step-N and all-events attribution walk per bucket.
// The plan's `greedy_chain` strategy replaces the walk with funnels-fast.ts (same `b_best`).

const NO_STEP_RANK = 1_000_000;
const STATE =
  'STRUCT(lvl INTEGER, last BIGINT, gts BIGINT, stop BOOLEAN, filled BIGINT, ms BIGINT[])';

export function renderFunnelStatement(plan: FunnelStatement): RenderedSql {
  const { ctes, params } = funnelCtes(plan);
  return { sql: `WITH ${ctes.join(',\n')}\n${finalSelect(plan)}`, params: params.values };
}

/**
 * The CTEs every view's answer reads: `b_best (actor, key, lvl, ms, void_ts)`, each actor's best
 * attempt per bucket, and (walk strategy) `b_attempts`. The actors stage (sql/duckdb/
 * actors-funnels.ts) selects the actors behind a step from the same `b_best`.
 */
export function funnelCtes(plan: FunnelStatement): { ctes: string[]; params: ParamList } {
  const params = paramList();
  const needs = noJoins();
  const stepConds = plan.steps.map((s) => matcherSql(s.event, s.where, params, needs));
  const exclConds = plan.exclusions.map((x) => matcherSql(x.event, x.where, params, needs));
  const mask = (conds: string[]): string =>
    conds.length === 0
      ? '0::BIGINT'
      : `(${conds.map((c, k) => `CASE WHEN ${c} THEN ${2 ** k} ELSE 0 END`).join(' + ')})::BIGINT`;
  const rank = `CASE ${stepConds.map((c, k) => `WHEN ${c} THEN ${k}`).join(' ')} ELSE ${NO_STEP_RANK} END`;
  const where = [
    `e.project_id = CAST(${params.add(plan.projectId)} AS INTEGER)`,
    `e.timestamp >= ${timestampLiteral(plan.fromMs)}`,
    `e.timestamp < ${timestampLiteral(plan.toMs)}`,
  ];
  if (plan.where !== null) where.push(predicateSql(plan.where, params, needs));
  const relevant = plan.order === 'strict' ? '' : ' AND (mask <> 0 OR xmask <> 0)';
  // Only step and exclusion events matter outside strict funnels; naming them lets the scan
  // skip the others by the event column alone (the CASEs below are not pushed into the scan).
  const matchers = [...plan.steps, ...plan.exclusions];
  const names = new Set(matchers.flatMap((m) => (m.event === null ? [] : [m.event])));
  if (relevant !== '' && matchers.every((m) => m.event !== null))
    where.push(eventInSql([...names], params));
  // The filters' joins, before the actor's: the list chain joins persons per distinct id.
  const chainEvents: ChainEvents = {
    from: `events e\n    ${joinClauses(needs)}`,
    where,
    stepConds,
    stepNames: plan.steps.every((step) => step.where === null)
      ? plan.steps.map((step) => step.event ?? '')
      : null,
    actor:
      plan.actor.kind === 'person' && !needs.person && !needs.personProperties
        ? null
        : actorSql(plan, noJoins()),
    projectId: plan.projectId,
    params,
  };
  const columns = [
    `${actorSql(plan, needs)} AS actor`,
    'epoch_ms(e.timestamp) AS ts',
    // A UUID sorts as its text does, and 16 bytes sort much faster than 36 characters.
    'e.uuid AS uuid',
    `${mask(stepConds)} AS mask`,
    `${mask(exclConds)} AS xmask`,
    `${rank} AS rnk`,
  ];
  const breakdown = plan.breakdown;
  if (breakdown !== null)
    columns.push(
      `coalesce(${funnelBreakdownExpr(breakdown, needs)}, '${FUNNEL_NULL_BUCKET}') AS bv`,
    );
  if (plan.holdConstant.length > 0) {
    const held = plan.holdConstant.map((key) =>
      propertyExpr({ source: { type: 'event' }, key }, needs),
    );
    columns.push(`[${held.join(', ')}]::VARCHAR[] AS h`);
  } else columns.push('NULL::VARCHAR[] AS h');
  const ctes = [
    `ev AS (
  SELECT ${columns.join(',\n    ')}
  FROM events e
  ${joinClauses(needs)}
  WHERE ${where.join('\n    AND ')}
)`,
    `rel AS (SELECT * FROM ev WHERE actor IS NOT NULL${relevant})`,
  ];
  if (plan.strategy === 'greedy_chain') {
    ctes.push(...greedyChainCtes(plan, chainEvents));
  } else if (breakdown === null) {
    ctes.push(`b_ev AS (SELECT *, NULL::VARCHAR AS b FROM rel)`, ...walkCtes(plan, 'b'));
  } else {
    const other = `'${FUNNEL_OTHER_BUCKET}'`;
    const nullBucket = `'${FUNNEL_NULL_BUCKET}'`;
    ctes.push(
      `a_ev AS (SELECT *, bv AS b FROM rel)`,
      ...walkCtes(plan, 'a'),
      `kept AS (
  SELECT key FROM a_best WHERE void_ts IS NULL AND key <> ${nullBucket}
  GROUP BY key ORDER BY count(*) DESC, key LIMIT ${breakdown.limit}
)`,
      `b_ev AS (
  SELECT *, CASE WHEN bv = ${nullBucket} OR bv IN (SELECT key FROM kept) THEN bv ELSE ${other} END AS b
  FROM rel
)`,
      ...walkCtes(plan, 'b'),
    );
  }
  return { ctes, params };
}

/** The statement's answer over `b_best` / `b_attempts`, by view. */
function finalSelect(plan: FunnelStatement): string {
  const view = plan.view;
  if (view.kind === 'time_to_convert') {
    // One row: the times (ms) between the two steps over actors who reached the later one.
    const dt = `(ms[${view.toStep + 1}] - ms[${view.fromStep + 1}])`;
    return `SELECT avg(${dt})::DOUBLE AS avg_ms, median(${dt})::DOUBLE AS med_ms, list(${dt}) AS times
FROM b_best WHERE void_ts IS NULL AND lvl >= ${view.toStep + 1}`;
  }
  if (view.kind === 'trends')
    return `SELECT bucket, count(*) AS entered, count(*) FILTER (WHERE lvl >= ${view.toStep + 1}) AS converted
FROM (
  ${funnelTrendsEntries(plan)}
)
WHERE void_ts IS NULL AND bucket > 0
GROUP BY bucket`;
  const stats = plan.steps.flatMap((_, k) => {
    const reached = `FILTER (WHERE lvl >= ${k + 1})`;
    if (k === 0) return [`count(*) ${reached} AS c0`];
    const dt = `(ms[${k + 1}] - ms[${k}])::DOUBLE`;
    return [
      `count(*) ${reached} AS c${k}`,
      `avg(${dt}) ${reached} AS avg${k}`,
      `median(${dt}) ${reached} AS med${k}`,
    ];
  });
  const keyed = plan.breakdown !== null;
  return `SELECT ${keyed ? 'key' : 'NULL'} AS breakdown_value, ${stats.join(',\n  ')}
FROM b_best WHERE void_ts IS NULL${keyed ? '\nGROUP BY key' : ''}`;
}

/**
 * Funnel trends (over the walk's `b_attempts`): per actor and entry bucket (1-based index into
 * the timeline, 0 before it), the best of the attempts entered in it. Void rows are kept: they
 * count nowhere. The chart and the actors stage (sql/duckdb/actors-points.ts) both read it.
 */
export function funnelTrendsEntries(plan: FunnelStatement): string {
  const view = plan.view;
  if (view.kind !== 'trends') throw new Error('not a funnel trends statement');
  const starts = `[${view.timeline.buckets.map((b) => b.startMs).join(', ')}]::BIGINT[]`;
  return `SELECT *, len(list_filter(${starts}, s -> s <= t0)) AS bucket FROM b_attempts
  QUALIFY row_number() OVER (
    PARTITION BY actor, bucket ORDER BY lvl DESC, ms[lvl] ASC, t0 DESC, i ASC) = 1`;
}

/**
 * The walk over `${p}_ev` (rel plus bucket `b`) -> `${p}_best`: each actor's best attempt
 * `(actor, key, lvl, ms, void_ts)`, `key` being the bucket it counts under.
 */
function walkCtes(plan: FunnelStatement, p: string): string[] {
  const n = plan.steps.length;
  const strict = plan.order === 'strict';
  const unordered = plan.order === 'unordered';
  const W = Math.round(plan.windowMs);
  const full = 2 ** n - 1;
  const attribution = plan.breakdown?.attribution ?? null;
  const nullBucket = `'${FUNNEL_NULL_BUCKET}'`;
  const event = `{'ts': ts, 'mask': mask, 'xmask': xmask, 'b': b, 'h': h, 'e': wend}`;
  const order = 'ORDER BY ts, rnk, uuid';
  // `wend`: the position of the last event inside the window of an attempt entered here, so a
  // walk reads only the events its window can reach (a window frame, not a scan per attempt).
  const byBucket = attribution?.kind === 'all_events' ? ', b' : '';
  const ctes: string[] = [
    `${p}_pos AS (
  SELECT *, count(*) OVER (
    PARTITION BY actor${byBucket} ORDER BY ts RANGE BETWEEN UNBOUNDED PRECEDING AND ${W} FOLLOWING) AS wend
  FROM ${p}_ev
)`,
  ];

  // seq: (actor, key, evs). The key is the bucket the actor's attempts count under.
  if (attribution === null) {
    ctes.push(`${p}_seq AS (
  SELECT actor, any_value(b) AS key, list(${event} ${order}) AS evs FROM ${p}_pos GROUP BY actor
)`);
  } else if (attribution.kind === 'first_touch' || attribution.kind === 'last_touch') {
    // The value on the earliest (latest) step event that has one, events ordered by (time, uuid).
    const touch = attribution.kind === 'first_touch' ? 'arg_min' : 'arg_max';
    ctes.push(`${p}_seq AS (
  SELECT actor,
    coalesce(${touch}(b, (ts, uuid)) FILTER (WHERE mask <> 0 AND b <> ${nullBucket}), ${nullBucket}) AS key,
    list(${event} ${order}) AS evs
  FROM ${p}_pos GROUP BY actor
)`);
  } else if (attribution.kind === 'all_events') {
    // The walk is repeated per value over the events carrying it, for values on step events.
    ctes.push(`${p}_seq AS (
  SELECT actor, b AS key, list(${event} ${order}) AS evs
  FROM ${p}_pos GROUP BY actor, b HAVING bool_or(mask <> 0)
)`);
  } else {
    // Each bucket on the actor's step-N events (unordered: any step event) is tried with step N
    // (unordered: the entry) only fillable by an event in that bucket; none -> the None bucket.
    const step = attribution.kind === 'step' ? attribution.step : 0;
    const fills = unordered ? 'mask <> 0' : `((mask >> ${step}) & 1) = 1`;
    const gate = unordered
      ? 'x'
      : `{'ts': x.ts, 'mask': CASE WHEN x.b = key THEN x.mask ELSE x.mask & ${full - 2 ** step} END, 'xmask': x.xmask, 'b': x.b, 'h': x.h, 'e': x.e}`;
    ctes.push(
      `${p}_raw AS (SELECT actor, list(${event} ${order}) AS evs FROM ${p}_pos GROUP BY actor)`,
      `${p}_cand AS (SELECT DISTINCT actor, b AS key FROM ${p}_pos WHERE ${fills})`,
      `${p}_seq AS (
  SELECT actor, key, list_transform(evs, x -> ${gate}) AS evs
  FROM (
    SELECT r.actor, coalesce(c.key, ${nullBucket}) AS key, r.evs
    FROM ${p}_raw r LEFT JOIN ${p}_cand c ON c.actor = r.actor
  )
)`,
    );
  }

  // The walk's state: level, last step time, current instant, strict stop, filled steps, times.
  const stopNow = strict ? '(acc.stop OR (x.ts > acc.gts AND acc.last < acc.gts))' : 'false';
  const free = `(x.mask & (${full} - acc.filled))`;
  const canStep = unordered ? `${free} <> 0` : '((x.mask >> acc.lvl) & 1) = 1';
  // Hold constant: each held value equals the entry's; a missing value never equals anything.
  const held = plan.holdConstant.map(
    (_, j) => ` AND coalesce(x.h[${j + 1}] = h0[${j + 1}], false)`,
  );
  const adv = `(NOT ${stopNow} AND acc.lvl < ${n} AND x.ts - t0 <= ${W} AND ${canStep}${held.join('')})`;
  const low = `(${free} & (-${free}))`;
  const lambda = `(acc, x) -> {
      'lvl': acc.lvl + CASE WHEN ${adv} THEN 1 ELSE 0 END,
      'last': CASE WHEN ${adv} THEN x.ts ELSE acc.last END,
      'gts': x.ts,
      'stop': ${stopNow},
      'filled': CASE WHEN ${adv} THEN acc.filled | ${unordered ? low : '0'} ELSE acc.filled END,
      'ms': CASE WHEN ${adv} THEN list_append(acc.ms, x.ts) ELSE acc.ms END
    }::${STATE}`;
  const init = `{'lvl': 1, 'last': t0, 'gts': t0, 'stop': false, 'filled': ${unordered ? 'e0 & (-e0)' : '1'}, 'ms': [t0]}::${STATE}`;
  const unorderedEntry =
    attribution?.kind === 'step' ? 'evs[i].mask <> 0 AND evs[i].b = key' : 'evs[i].mask <> 0';
  const entry = unordered ? unorderedEntry : '(evs[i].mask & 1) = 1';

  // Exclusion j voids the attempt at the first excluded event in its window after it reached
  // fromStep (strictly before) and before it reached toStep (a step at the same instant counts).
  const voidConds = plan.exclusions.map((x, j) => {
    const reached = unordered
      ? `t0 < x.ts AND NOT coalesce(ms[${n}] <= x.ts, false)`
      : `ms[${x.fromStep + 1}] < x.ts AND NOT coalesce(ms[${x.toStep + 1}] <= x.ts, false)`;
    return `((x.xmask >> ${j}) & 1 = 1 AND x.ts - t0 <= ${W} AND ${reached})`;
  });
  const voidTs =
    voidConds.length === 0
      ? 'NULL::BIGINT'
      : `list_min(list_transform(list_filter(evs, x -> ${voidConds.join(' OR ')}), x -> x.ts))`;
  // bestAttempt's order; across step-N candidates the smaller bucket wins a tie.
  const partition = attribution?.kind === 'all_events' ? 'actor, key' : 'actor';
  ctes.push(
    `${p}_entries AS (
  SELECT actor, key, list_slice(evs, i + 1, evs[i].e) AS evs, i,
    evs[i].ts AS t0, evs[i].mask AS e0, evs[i].h AS h0
  FROM ${p}_seq, range(1, len(evs) + 1) r(i)
  WHERE ${entry}
)`,
    `${p}_walked AS (
  SELECT actor, key, evs, i, t0, h0,
    list_reduce(evs, ${lambda}, ${init}).ms AS ms
  FROM ${p}_entries
)`,
    `${p}_attempts AS (
  SELECT actor, key, i, t0, ms, void_ts,
    CASE WHEN void_ts IS NULL THEN len(ms) ELSE len(list_filter(ms, m -> m <= void_ts)) END AS lvl
  FROM (SELECT actor, key, i, t0, ms, ${voidTs} AS void_ts FROM ${p}_walked)
)`,
    `${p}_best AS (
  SELECT * FROM ${p}_attempts
  QUALIFY row_number() OVER (
    PARTITION BY ${partition} ORDER BY lvl DESC, ms[lvl] ASC, t0 DESC, key ASC, i ASC) = 1
)`,
  );
  return ctes;
}

/** Personless events have no actor in funnels (the reference's decision, §2.5's rule). */
function actorSql(plan: FunnelStatement, needs: JoinNeeds): string {
  if (plan.actor.kind === 'group') return `nullif(e.group_${plan.actor.index}, '')`;
  needs.person = true;
  return 'CASE WHEN e.process_person THEN pdi.person_id END';
}

function matcherSql(
  event: string | null,
  where: Predicate | null,
  params: ParamList,
  needs: JoinNeeds,
): string {
  const parts: string[] = [];
  if (event !== null) parts.push(`e.event = ${params.add(event)}`);
  if (where !== null) parts.push(predicateSql(where, params, needs));
  return parts.length === 0 ? 'true' : `(${parts.join(' AND ')})`;
}

/**
 * An event's breakdown value, NULL when missing: one property as text ('' is a value), or for
 * several the JSON list of their values as trends keys them (`["high",null]`, NULL when every
 * one is missing), so ranking, Other and the first/last touch work alike on one column.
 */
function funnelBreakdownExpr(breakdown: FunnelBreakdown, needs: JoinNeeds): string {
  const [single] = breakdown.properties;
  if (breakdown.isMultiple || single === undefined) return breakdownKeyExpr(breakdown, needs);
  return propertyExpr(single, needs);
}
