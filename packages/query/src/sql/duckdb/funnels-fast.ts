import {
  FUNNEL_NULL_BUCKET,
  FUNNEL_OTHER_BUCKET,
  type FunnelStatement,
} from '../../funnels/plan.js';
import type { ParamList } from '../params.js';

// Stage 3 of funnels, DuckDB dialect, the `greedy_chain` strategy (plan.ts): the same
// `b_best (actor, key, lvl, ms, void_ts)` as the general walk in funnels.ts, from `rel` (an
// actor's step events), without a list walk per attempt.
// In an ordered funnel without exclusions or held properties, the walk of an attempt advances at
// the first event after the previous step's that matches the next step, so the attempt is the
// greedy chain: its step-k time is that of the first step-k event after its step-(k-1) event,
// events ordered by (time, lowest step matched, uuid) as in the walk. The window (from step 1)
// only cuts the chain: times never decrease along it. Two ways to find the chains: list
// arithmetic when each event matches one step (listChainCtes), a window pass and joins otherwise
// (windowChainCtes).

/**
 * Low bits of a packed `ts * 2^bits + rnk` key holding an event's one step, or null when an
 * event may match several steps (a repeated or missing event name). With distinct step events an
 * event matches one step only, and events tied on the key are events of one step at one
 * instant: any order of them gives the same chain times and levels, so the uuid can be left out.
 */
function stepBits(plan: FunnelStatement): number | null {
  const names = plan.steps.map((step) => step.event);
  const oneStep = names.every((name) => name !== null) && new Set(names).size === names.length;
  return oneStep ? rankBits(plan) : null;
}

/** Bits that hold a step rank (< n) in the low end of a packed `ts * 2^bits + rnk` key. */
function rankBits(plan: FunnelStatement): number {
  return Math.max(1, Math.ceil(Math.log2(plan.steps.length)));
}

/**
 * What the list chain reads instead of `rel`: the step events, filtered, before any join for the
 * actor. funnels.ts renders the filters into `params`; the chain adds its own parameters there
 * only when it uses them (DuckDB refuses a parameter the statement does not name).
 */
export interface ChainEvents {
  /** `events e` and the joins the filters need (not the person join for the actor). */
  readonly from: string;
  readonly where: readonly string[];
  /** Per step, the condition an event meets to match it. */
  readonly stepConds: readonly string[];
  /** The steps' event names, in step order, when no step has a property filter. */
  readonly stepNames: readonly string[] | null;
  /** The actor; null when it is the event's person, which the chain joins per distinct id. */
  readonly actor: string | null;
  readonly projectId: number;
  readonly params: ParamList;
}

/** `g_best (actor, best {lvl, ms})`: each actor's best attempt, by the walk's order. */
export function greedyChainCtes(plan: FunnelStatement, events: ChainEvents): string[] {
  const bits = stepBits(plan);
  const ctes = bits === null ? windowChainCtes(plan) : listChainCtes(plan, bits, events);
  return [...ctes, ...attributionCtes(plan)];
}

/**
 * One step per event: per actor, one list of packed keys `ts * 2^bits + step`, sorted, then
 * list arithmetic with no window and no join. s{j}: the step-j keys, in order. p{j}: where each
 * step-j event sits among the step-j and step-(j+1) events, so p{j}[x] - x step-(j+1) events
 * precede the x-th step-j event and the chain's next link is s{j+1}[p{j}[x] - x + 1] (NULL past
 * the end). x{j}: per attempt (one per step-0 event, in order), the index of its step-j event in
 * s{j}. A hash aggregate and one sort per actor's list replace the partitioned window sort and
 * the n - 1 hash joins of windowChainCtes (issue 4: funnel <= 1 s at 10M events).
 *
 * Person actors: the events are grouped by distinct id first and the lists joined to persons
 * after, one row per distinct id instead of one per event (about 150 ms less at 10M events).
 * Keys stay packed to the end: a step-j key minus a step-0 key is 2^bits * dt + j.
 */
function listChainCtes(plan: FunnelStatement, bits: number, events: ChainEvents): string[] {
  const n = plan.steps.length;
  const W = Math.round(plan.windowMs);
  const slots = 2 ** bits;
  const mask = slots - 1;
  const stepOf = (x: string): string => `(${x} & ${mask})`;
  // A step rank for every event read, or NULL for one failing its step's property filter.
  const rank =
    events.stepNames === null
      ? `CASE ${events.stepConds.map((c, k) => `WHEN ${c} THEN ${k}`).join(' ')} END`
      : `list_position([${events.stepNames.map((name) => events.params.add(name)).join(', ')}], e.event) - 1`;
  const keep = [
    ...(events.stepNames === null ? ['r IS NOT NULL'] : []),
    ...(events.actor === null ? [] : ['k IS NOT NULL']),
  ];
  const where = [...events.where, ...(events.actor === null ? ['e.process_person'] : [])];
  const ctes = [
    `g_e AS (
  SELECT k, ts * ${slots} + r AS x FROM (
    SELECT ${events.actor ?? 'e.distinct_id'} AS k, epoch_ms(e.timestamp) AS ts, ${rank} AS r
    FROM ${events.from}
    WHERE ${where.join('\n      AND ')}
  )${keep.length === 0 ? '' : ` WHERE ${keep.join(' AND ')}`}
)`,
  ];
  // Actors with a step-0 event only: an attempt starts there. (A filter on a value computed
  // from the lists below would be pushed down with the list expressions inlined into it,
  // recomputing every list: 5x slower.)
  if (events.actor === null) {
    // A person with one distinct id (the usual case) takes that id's list as it is; only the
    // persons with several (g_m) regroup their lists, which saves a hash aggregate of every
    // actor's list (about 40 ms at 10M events).
    const project = events.params.add(events.projectId);
    ctes.push(
      `g_d AS (
  SELECT k, list(x) AS l, count(*) FILTER (WHERE ${stepOf('x')} = 0) AS c0 FROM g_e GROUP BY k
)`,
      `g_j AS (
  SELECT pdi.person_id AS actor, d.l, d.c0
  FROM g_d d JOIN person_distinct_ids pdi
    ON pdi.project_id = CAST(${project} AS INTEGER) AND pdi.distinct_id = d.k
)`,
      'g_m AS (SELECT actor FROM g_j GROUP BY actor HAVING count(*) > 1)',
      `g_l AS (
  SELECT actor, list_sort(l) AS l FROM g_j ANTI JOIN g_m USING (actor) WHERE c0 > 0
  UNION ALL
  SELECT actor, list_sort(flatten(list(l))) AS l FROM g_j SEMI JOIN g_m USING (actor)
  GROUP BY actor HAVING sum(c0) > 0
)`,
    );
  } else
    ctes.push(`g_l AS (
  SELECT k AS actor, list_sort(list(x)) AS l FROM g_e
  GROUP BY k HAVING count(*) FILTER (WHERE ${stepOf('x')} = 0) > 0
)`);
  // pr{j}: the step-j and step-(j+1) keys in order. Each step's keys are filtered from the
  // shortest list holding them, and positions by filtering indexes rather than transforming
  // keys and filtering again (together about 7% of the query at 10M events).
  const stepList = (j: number): string => (n === 1 ? 'l' : `pr${Math.max(j - 1, 0)}`);
  const pairs = Array.from(
    { length: n - 1 },
    (_, j) => `list_filter(l, x -> ${stepOf('x')} IN (${j}, ${j + 1})) AS pr${j}`,
  );
  if (n > 1) ctes.push(`g_pr AS (SELECT actor, ${pairs.join(',\n    ')} FROM g_l)`);
  const byStep = Array.from(
    { length: n },
    (_, j) => `list_filter(${stepList(j)}, x -> ${stepOf('x')} = ${j}) AS s${j}`,
  );
  const positions = Array.from(
    { length: n - 1 },
    (_, j) => `list_filter(range(1, len(pr${j}) + 1), i -> ${stepOf(`pr${j}[i]`)} = ${j}) AS p${j}`,
  );
  ctes.push(
    `g_s AS (SELECT actor, ${[...byStep, ...positions].join(',\n    ')} FROM ${n === 1 ? 'g_l' : 'g_pr'})`,
  );
  // x1 from p0 (the attempts are s0's events in order); x{j+1} from x{j}.
  const links = Array.from({ length: n - 1 }, (_, j) =>
    j === 0
      ? 'list_transform(p0, (p, i) -> p - i + 1) AS x1'
      : `list_transform(x${j}, x -> p${j}[x] - x + 1) AS x${j + 1}`,
  );
  let from = 'g_s';
  for (const [j, link] of links.entries()) {
    ctes.push(`g_x${j + 1} AS (SELECT *, ${link} FROM ${from})`);
    from = `g_x${j + 1}`;
  }
  // at(j, i): the key of attempt i's step-j event (NULL when its chain stops before).
  const at = (j: number, i: string): string => (j === 0 ? `s0[${i}]` : `s${j}[x${j}[${i}]]`);
  const steps = Array.from({ length: n }, (_, j) => j);
  const lists = [...steps.map((j) => `s${j}`), ...steps.slice(1).map((j) => `x${j}`)].join(', ');
  // Keys never decrease along a chain, so the furthest step inside the window is the level.
  const level = steps
    .slice(1)
    .reverse()
    .map((j) => `WHEN ${at(j, 'i')} - t <= ${W * slots + j} THEN ${j + 1}`)
    .join(' ');
  const reached = steps
    .slice(1)
    .reverse()
    .map((j) => `WHEN ${j + 1} THEN x${j}`)
    .join(' ');
  ctes.push(
    `g_lv AS (
  SELECT actor, ${lists},
    list_transform(s0, (t, i) -> ${n > 1 ? `CASE ${level} ELSE 1 END` : '1'}) AS lv
  FROM ${from}
)`,
    // The walk's bestAttempt: furthest (lvl), then reached there first, then entered last. A
    // later attempt's chain is never earlier, link by link, so the attempts at the furthest step
    // reach it no earlier than the first of them, f; those that reach it at the same event as f
    // (the same index in x{lvl-1}) follow f, and the last of them was entered last. At level 1
    // that is f itself: equal entry keys give equal chains. Builtins, no struct per attempt.
    `g_top AS (SELECT actor, ${lists}, list_max(lv) AS lvl, list_position(lv, list_max(lv)) AS f FROM g_lv)`,
    `g_reach AS (
  SELECT actor, ${lists}, lvl, f, ${n > 1 ? `CASE lvl ${reached} END` : 'NULL::BIGINT[]'} AS xe
  FROM g_top
)`,
    `g_pick AS (
  SELECT actor, ${lists}, lvl,
    CASE WHEN lvl = 1 THEN f ELSE len(xe) + 1 - list_position(list_reverse(xe), xe[f]) END AS bi
  FROM g_reach
)`,
    `g_best AS (
  SELECT actor, {'lvl': lvl, 'ms': list_slice([${steps.map((j) => `${at(j, 'bi')} >> ${bits}`).join(', ')}], 1, lvl)} AS best
  FROM g_pick
)`,
  );
  return ctes;
}

/**
 * Events that may match several steps: one window pass numbers each actor's step-k events in the
 * walk's order, (time, lowest step matched, uuid) (`c{k}` on a row: how many step-k events up
 * to and including it), so "the first step-k event after row r" is the step-k event numbered
 * c{k}(r) + 1: the chain is n - 1 equi-joins on (actor, number), each step-k event carrying
 * c{k+1} for the next link. (time, rank) is one BIGINT `k`: DuckDB sorts one wide key much
 * faster than two narrow ones.
 */
function windowChainCtes(plan: FunnelStatement): string[] {
  const n = plan.steps.length;
  const W = Math.round(plan.windowMs);
  const bit = (k: number): string => `((mask >> ${k}) & 1) = 1`;
  const slots = 2 ** rankBits(plan);
  const counts = Array.from(
    { length: n - 1 },
    (_, j) => `count(*) FILTER (WHERE ${bit(j + 1)}) OVER w AS c${j + 1}`,
  );
  const ctes = [
    `g_pos AS (
  SELECT actor, ts, mask, row_number() OVER w AS pos${counts.map((c) => `,\n    ${c}`).join('')}
  FROM (SELECT *, ts * ${slots} + rnk AS k FROM rel)
  WINDOW w AS (PARTITION BY actor ORDER BY k, uuid ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
)`,
  ];
  const joins: string[] = [];
  for (let k = 1; k < n; k++) {
    const next = k + 1 < n ? `, c${k + 1} AS nxt` : '';
    ctes.push(`g_s${k} AS (SELECT actor, c${k} AS idx, ts${next} FROM g_pos WHERE ${bit(k)})`);
    const from = k === 1 ? 'e.c1' : `s${k - 1}.nxt`;
    joins.push(`LEFT JOIN g_s${k} s${k} ON s${k}.actor = e.actor AND s${k}.idx = ${from} + 1`);
  }
  const chain = ['e.ts', ...Array.from({ length: n - 1 }, (_, j) => `s${j + 1}.ts`)];
  const entry = n > 1 ? 'actor, pos, ts, c1' : 'actor, pos, ts';
  ctes.push(`g_chain AS (
  SELECT e.actor, e.pos AS i, ${chain.map((c, j) => `${c} AS m${j}`).join(', ')}
  FROM (SELECT ${entry} FROM g_pos WHERE ${bit(0)}) e
  ${joins.join('\n  ')}
)`);
  const ms = chain.map((_, j) => `m${j}`);
  const levels = ms
    .slice(1)
    .map((m, j) => ({ m, lvl: j + 2 }))
    .reverse()
    .map(({ m, lvl }) => `WHEN ${m} - m0 <= ${W} THEN ${lvl}`);
  const lvl = levels.length === 0 ? '1' : `CASE ${levels.join(' ')} ELSE 1 END`;
  ctes.push(
    `g_attempts AS (
  SELECT actor, i, m0 AS t0, list_slice([${ms.join(', ')}], 1, lvl) AS ms, lvl
  FROM (SELECT *, ${lvl} AS lvl FROM g_chain)
)`,
    `g_best AS (
  SELECT actor, arg_min({'lvl': lvl, 'ms': ms}, (-lvl, ms[lvl], -t0, i)) AS best
  FROM g_attempts GROUP BY actor
)`,
  );
  return ctes;
}

/** `b_best (actor, key, lvl, ms, void_ts)` from g_best, with the first/last touch key if any. */
function attributionCtes(plan: FunnelStatement): string[] {
  const ctes: string[] = [];
  const attribution = plan.breakdown?.attribution.kind ?? null;
  const nullBucket = `'${FUNNEL_NULL_BUCKET}'`;
  if (attribution !== 'first_touch' && attribution !== 'last_touch') {
    ctes.push(`b_best AS (
  SELECT actor, NULL::VARCHAR AS key, best.lvl AS lvl, best.ms AS ms, NULL::BIGINT AS void_ts
  FROM g_best
)`);
    return ctes;
  }
  // The value on the actor's earliest (latest) step event that has one, by (time, uuid), as the
  // walk's first/last touch; folding values into kept + Other commutes with that choice.
  const touch = attribution === 'first_touch' ? 'arg_min' : 'arg_max';
  ctes.push(
    `g_touch AS (
  SELECT actor, coalesce(${touch}(bv, (ts, uuid)) FILTER (WHERE bv <> ${nullBucket}), ${nullBucket}) AS raw
  FROM rel GROUP BY actor
)`,
    `g_keyed AS (
  SELECT g.actor, t.raw, g.best.lvl AS lvl, g.best.ms AS ms
  FROM g_best g JOIN g_touch t ON t.actor = g.actor
)`,
    `kept AS (
  SELECT raw AS key FROM g_keyed WHERE raw <> ${nullBucket}
  GROUP BY raw ORDER BY count(*) DESC, raw LIMIT ${plan.breakdown?.limit ?? 0}
)`,
    `b_best AS (
  SELECT actor, CASE WHEN raw = ${nullBucket} OR raw IN (SELECT key FROM kept) THEN raw
    ELSE '${FUNNEL_OTHER_BUCKET}' END AS key, lvl, ms, NULL::BIGINT AS void_ts
  FROM g_keyed
)`,
  );
  return ctes;
}
