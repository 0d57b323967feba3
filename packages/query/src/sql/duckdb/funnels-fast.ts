import {
  FUNNEL_NULL_BUCKET,
  FUNNEL_OTHER_BUCKET,
  type FunnelStatement,
} from '../../funnels/plan.js';

// Stage 3 of funnels, DuckDB dialect, the `greedy_chain` strategy (plan.ts): the same
// `b_best (actor, key, lvl, ms, void_ts)` as the general walk in funnels.ts, from `rel` (an
// actor's step events), with window functions instead of a list walk per attempt.
// In an ordered funnel without exclusions or held properties, the walk of an attempt advances at
// the first event after the previous step's that matches the next step, so the attempt is the
// greedy chain: its step-k time is that of the first step-k event after its step-(k-1) event,
// events ordered by (time, lowest step matched, uuid) as in the walk. The window (from step 1)
// only cuts the chain: times never decrease along it.
// The chain is built from the last step back, one window pass per step: `n{k}_{j}` on a row is
// the time of step j in the chain that needs step k from the first event after the row. As
// chains from later rows are never earlier, the minimum over the following step-k rows is the
// value of the first one (storage-engines.md §8), and a missing value (NULL) stays missing.

export function greedyChainCtes(plan: FunnelStatement): string[] {
  const n = plan.steps.length;
  const W = Math.round(plan.windowMs);
  const bit = (k: number): string => `((mask >> ${k}) & 1) = 1`;
  const ctes = [
    `g_pos AS (
  SELECT actor, ts, mask, row_number() OVER (PARTITION BY actor ORDER BY ts, rnk, uuid) AS pos
  FROM rel
)`,
  ];
  let from = 'g_pos';
  for (let k = n - 1; k >= 1; k--) {
    const cols = [`min(CASE WHEN ${bit(k)} THEN ts END) OVER w AS n${k}_${k}`];
    for (let j = k + 1; j < n; j++)
      cols.push(`min(CASE WHEN ${bit(k)} THEN n${k + 1}_${j} END) OVER w AS n${k}_${j}`);
    // Rows matching only later steps are neither sources nor targets of the passes left.
    ctes.push(`g_${k} AS (
  SELECT *, ${cols.join(',\n    ')}
  FROM ${from} WHERE (mask & ${2 ** (k + 1) - 1}) <> 0
  WINDOW w AS (PARTITION BY actor ORDER BY pos ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)
)`);
    from = `g_${k}`;
  }
  const chain = ['ts', ...Array.from({ length: n - 1 }, (_, j) => `n1_${j + 1}`)];
  // Times never decrease along the chain, so the furthest step inside the window is the level.
  const levels = chain
    .slice(1)
    .map((m, j) => ({ m, lvl: j + 2 }))
    .reverse()
    .map(({ m, lvl }) => `WHEN ${m} - ts <= ${W} THEN ${lvl}`);
  const lvl = levels.length === 0 ? '1' : `CASE ${levels.join(' ')} ELSE 1 END`;
  ctes.push(
    `g_attempts AS (
  SELECT actor, pos AS i, ts AS t0, list_slice([${chain.join(', ')}], 1, lvl) AS ms, lvl
  FROM (SELECT *, ${lvl} AS lvl FROM ${from} WHERE ${bit(0)})
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
