import {
  FUNNEL_NULL_BUCKET,
  FUNNEL_OTHER_BUCKET,
  type FunnelStatement,
} from '../../funnels/plan.js';

// Stage 3 of funnels, DuckDB dialect, the `greedy_chain` strategy (plan.ts): the same
// `b_best (actor, key, lvl, ms, void_ts)` as the general walk in funnels.ts, from `rel` (an
// actor's step events), with one window pass and hash joins instead of a list walk per attempt.
// In an ordered funnel without exclusions or held properties, the walk of an attempt advances at
// the first event after the previous step's that matches the next step, so the attempt is the
// greedy chain: its step-k time is that of the first step-k event after its step-(k-1) event,
// events ordered by (time, lowest step matched, uuid) as in the walk. The window (from step 1)
// only cuts the chain: times never decrease along it.
// One sort numbers each actor's step-k events in that order (`c{k}` on a row: how many step-k
// events up to and including it), so "the first step-k event after row r" is the step-k event
// numbered c{k}(r) + 1: the chain is n - 1 equi-joins on (actor, number), each step-k event
// carrying c{k+1} for the next link. The previous version ran one window pass per step plus one
// for the position, each a sort of the step events: 2.5x slower at 10M events (issue 4).

/**
 * The window's input and its order: the walk's (time, lowest step matched, uuid). (time, rank)
 * is one BIGINT `k` (rel's rnk is < n <= slots): DuckDB sorts one wide key much faster than two
 * narrow ones. When the steps are distinct event names, an event matches one step only, and
 * events tied on `k` are then events of one step at one instant: any order of them gives the
 * same chain times and levels. The uuid (16 more bytes per sort key, 2-3x the sort) is then left
 * out, and the rows carry `k` alone (the time is k >> bits, the one step k's low bits): a
 * narrower sort payload, 1.46 s against 1.78 s for the funnel at 10M events.
 */
function windowInput(plan: FunnelStatement): {
  readonly from: string;
  readonly order: string;
  /** Low bits of `k` holding the one step of each event; null when events may match several. */
  readonly stepBits: number | null;
} {
  const names = plan.steps.map((step) => step.event);
  const oneStep = names.every((name) => name !== null) && new Set(names).size === names.length;
  const bits = Math.max(1, Math.ceil(Math.log2(plan.steps.length)));
  const k = `ts * ${2 ** bits} + rnk AS k`;
  return oneStep
    ? { from: `(SELECT actor, ${k} FROM rel)`, order: 'k', stepBits: bits }
    : { from: `(SELECT *, ${k} FROM rel)`, order: 'k, uuid', stepBits: null };
}

export function greedyChainCtes(plan: FunnelStatement): string[] {
  const n = plan.steps.length;
  const W = Math.round(plan.windowMs);
  const bit = (k: number): string => `((mask >> ${k}) & 1) = 1`;
  const input = windowInput(plan);
  const bits = input.stepBits;
  // A row's steps: its mask, or with one step per event the low bits of k (then also the mask).
  const step = bits === null ? '' : `(k & ${2 ** bits - 1})`;
  const inWindow = (j: number): string => (bits === null ? bit(j) : `${step} = ${j}`);
  const counts = Array.from(
    { length: n - 1 },
    (_, j) => `count(*) FILTER (WHERE ${inWindow(j + 1)}) OVER w AS c${j + 1}`,
  );
  const rowCols =
    bits === null ? 'actor, ts, mask' : `actor, k >> ${bits} AS ts, 1::BIGINT << ${step} AS mask`;
  const ctes = [
    `g_pos AS (
  SELECT ${rowCols}, row_number() OVER w AS pos${counts.map((c) => `,\n    ${c}`).join('')}
  FROM ${input.from}
  WINDOW w AS (PARTITION BY actor ORDER BY ${input.order} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
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
  // Times never decrease along the chain, so the furthest step inside the window is the level.
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
    // The walk's bestAttempt: furthest, then reached there first, then entered last, then first.
    `g_best AS (
  SELECT actor, arg_min({'lvl': lvl, 'ms': ms}, (-lvl, ms[lvl], -t0, i)) AS best
  FROM g_attempts GROUP BY actor
)`,
  );
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
