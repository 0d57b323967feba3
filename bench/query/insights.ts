// The benchmarked insights: each a Tally query and a hand-written DuckDB query (after
// storage-engines.md §8) that computes the same answer, plus a check that the two agree.
// Persons resolve through person_distinct_ids in both, as merges require.
import type { FunnelStepResult, QueryResponse, RetentionResult, TrendsResult } from '@tally/query';
import { END_MS, PROJECT_ID, START_MS } from './dataset.js';

type Row = Readonly<Record<string, unknown>>;

export interface BenchInsight {
  readonly name: string;
  readonly query: Record<string, unknown>;
  readonly handSql: string;
  /** A description of the first difference, or null when both answers agree. */
  compare(tally: QueryResponse, hand: readonly Row[]): string | null;
}

const DAY_MS = 86_400_000;
const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const ts = (ms: number): string => `TIMESTAMP '${day(ms)}'`;

/** Trends over the last 30 days of data. */
const TRENDS_FROM_MS = END_MS - 30 * DAY_MS;
const TRENDS_RANGE = { date_from: day(TRENDS_FROM_MS), date_to: day(END_MS - DAY_MS) };
const TRENDS_WHERE = `e.project_id = ${PROJECT_ID} AND e.timestamp >= ${ts(TRENDS_FROM_MS)} AND e.timestamp < ${ts(END_MS)}`;
const PDI_JOIN =
  'JOIN person_distinct_ids pdi ON pdi.project_id = e.project_id AND pdi.distinct_id = e.distinct_id';

const num = (value: unknown): number => Number(value);

/** Groups by the TIMESTAMP bucket and formats only the result rows (cheaper than text keys). */
const daily = (sql: string): string =>
  `SELECT * EXCLUDE (day), strftime(day, '%Y-%m-%d') AS bucket FROM (${sql})`;

/** Compares one trends line's daily data with hand rows `(bucket, value)`. */
function compareDaily(line: TrendsResult | undefined, rows: readonly Row[]): string | null {
  if (line === undefined) return 'no result line';
  const byDay = new Map(rows.map((row) => [String(row.bucket), num(row.value)]));
  if (line.days.length !== 30) return `${line.days.length} buckets, expected 30`;
  for (const [i, bucket] of line.days.entries()) {
    const expected = byDay.get(bucket) ?? 0;
    if (line.data[i] !== expected) return `${bucket}: tally ${line.data[i]}, hand ${expected}`;
  }
  return null;
}

function trendsLines(response: QueryResponse): TrendsResult[] {
  if (response.kind !== 'TrendsQuery') throw new Error(`not trends: ${response.kind}`);
  return response.results;
}

const dailyTotal: BenchInsight = {
  name: 'trends: daily total',
  query: {
    kind: 'TrendsQuery',
    series: [{ kind: 'EventsNode', event: 'ticket_created', math: 'total' }],
    interval: 'day',
    dateRange: TRENDS_RANGE,
  },
  handSql: daily(`SELECT date_trunc('day', e.timestamp) AS day, count(*) AS value
FROM events e WHERE ${TRENDS_WHERE} AND e.event = 'ticket_created' GROUP BY ALL`),
  compare: (tally, hand) => compareDaily(trendsLines(tally)[0], hand),
};

const dau: BenchInsight = {
  name: 'trends: dau',
  query: {
    kind: 'TrendsQuery',
    series: [{ kind: 'EventsNode', event: 'feature_used', math: 'dau' }],
    interval: 'day',
    dateRange: TRENDS_RANGE,
  },
  handSql:
    daily(`SELECT date_trunc('day', e.timestamp) AS day, count(DISTINCT pdi.person_id) AS value
FROM events e ${PDI_JOIN} WHERE ${TRENDS_WHERE} AND e.event = 'feature_used' GROUP BY ALL`),
  compare: (tally, hand) => compareDaily(trendsLines(tally)[0], hand),
};

const uniqueTenants: BenchInsight = {
  name: 'trends: unique tenants (BoldNumber)',
  query: {
    kind: 'TrendsQuery',
    series: [
      {
        kind: 'EventsNode',
        event: 'ticket_created',
        math: 'unique_group',
        math_group_type_index: 0,
      },
    ],
    trendsFilter: { display: 'BoldNumber' },
    dateRange: TRENDS_RANGE,
  },
  handSql: `SELECT count(DISTINCT nullif(e.group_0, '')) AS value
FROM events e WHERE ${TRENDS_WHERE} AND e.event = 'ticket_created'`,
  compare: (tally, hand) => {
    const value = trendsLines(tally)[0]?.aggregated_value;
    const expected = num(hand[0]?.value);
    return value === expected ? null : `tally ${value}, hand ${expected}`;
  },
};

const breakdown: BenchInsight = {
  name: 'trends: daily total by priority',
  query: {
    kind: 'TrendsQuery',
    series: [{ kind: 'EventsNode', event: 'ticket_created', math: 'total' }],
    interval: 'day',
    dateRange: TRENDS_RANGE,
    breakdownFilter: { breakdown: 'priority', breakdown_type: 'event' },
  },
  handSql: daily(`SELECT json_extract_string(e.properties, '$."priority"') AS bv,
  date_trunc('day', e.timestamp) AS day, count(*) AS value
FROM events e WHERE ${TRENDS_WHERE} AND e.event = 'ticket_created' GROUP BY ALL`),
  compare: (tally, hand) => {
    const lines = trendsLines(tally);
    const values = new Set(hand.map((row) => String(row.bv)));
    if (lines.length !== values.size) return `${lines.length} lines, hand ${values.size}`;
    for (const line of lines) {
      const rows = hand.filter((row) => String(row.bv) === line.breakdown_value);
      const diff = compareDaily(line, rows);
      if (diff !== null) return `${line.breakdown_value}: ${diff}`;
    }
    return null;
  },
};

/** Rolling 7-day active users per day (analytics-semantics.md §2.1: days d-6..d). */
const weeklyActive: BenchInsight = {
  name: 'trends: weekly active',
  query: {
    kind: 'TrendsQuery',
    series: [{ kind: 'EventsNode', event: 'feature_used', math: 'weekly_active' }],
    interval: 'day',
    dateRange: TRENDS_RANGE,
  },
  // Each day's bucket joined with the distinct (person, day) pairs of the 7 days ending on it.
  handSql: daily(`WITH active AS (
  SELECT DISTINCT pdi.person_id AS actor, date_trunc('day', e.timestamp) AS d
  FROM events e ${PDI_JOIN}
  WHERE e.project_id = ${PROJECT_ID} AND e.event = 'feature_used'
    AND e.timestamp >= ${ts(TRENDS_FROM_MS - 6 * DAY_MS)} AND e.timestamp < ${ts(END_MS)}
), days AS (
  SELECT range AS day FROM range(${ts(TRENDS_FROM_MS)}, ${ts(END_MS)}, INTERVAL 1 DAY)
)
SELECT days.day, count(DISTINCT a.actor) AS value
FROM days JOIN active a ON a.d > days.day - INTERVAL 7 DAY AND a.d <= days.day
GROUP BY ALL`),
  compare: (tally, hand) => compareDaily(trendsLines(tally)[0], hand),
};

const WINDOW_MS = 14 * DAY_MS;
const funnel: BenchInsight = {
  name: 'funnel: 3 steps, 14 days',
  query: {
    kind: 'FunnelsQuery',
    series: ['ticket_created', 'ticket_assigned', 'ticket_resolved'].map((event) => ({
      kind: 'EventsNode',
      event,
    })),
    dateRange: { date_from: day(START_MS), date_to: day(END_MS - DAY_MS) },
    funnelsFilter: {
      funnelOrderType: 'ordered',
      funnelWindowInterval: 14,
      funnelWindowIntervalUnit: 'day',
    },
  },
  // storage-engines.md §8 "funnel with list aggregation"; steps in the date range, the window
  // from step 1 inclusive, ties in time allowed in step order (analytics-semantics.md §2.2).
  handSql: `WITH p AS (
  SELECT pdi.person_id AS actor,
         list(epoch_ms(e.timestamp)) FILTER (e.event = 'ticket_created') AS a,
         list(epoch_ms(e.timestamp)) FILTER (e.event = 'ticket_assigned') AS b,
         list(epoch_ms(e.timestamp)) FILTER (e.event = 'ticket_resolved') AS c
  FROM events e ${PDI_JOIN}
  WHERE e.project_id = ${PROJECT_ID} AND e.event IN ('ticket_created', 'ticket_assigned', 'ticket_resolved')
    AND e.timestamp >= ${ts(START_MS)} AND e.timestamp < ${ts(END_MS)}
  GROUP BY ALL
), chains AS (
  SELECT list_transform(a, t1 -> {'t1': t1, 't2': list_min(list_filter(b, x -> x >= t1))}) AS ch, c
  FROM p WHERE len(a) > 0
), per_actor AS (
  SELECT list_max(list_transform(ch, z ->
           CASE WHEN list_min(list_filter(c, y -> y >= z.t2)) <= z.t1 + ${WINDOW_MS} THEN 3
                WHEN z.t2 <= z.t1 + ${WINDOW_MS} THEN 2 ELSE 1 END)) AS step
  FROM chains
)
SELECT count(*) AS step1, count(*) FILTER (step >= 2) AS step2, count(*) FILTER (step >= 3) AS step3
FROM per_actor`,
  compare: (tally, hand) => {
    if (tally.kind !== 'FunnelsQuery') throw new Error(`not a funnel: ${tally.kind}`);
    const counts = (tally.results as FunnelStepResult[]).map((step) => step.count);
    const row = hand[0] ?? {};
    const expected = [num(row.step1), num(row.step2), num(row.step3)];
    return counts.join() === expected.join() ? null : `tally ${counts}, hand ${expected}`;
  },
};

/** Weekly first-time retention: 8 Monday weeks ending with the data's last week. */
const RETENTION_WEEKS = 8;
const lastMonday = (): number => {
  const last = END_MS - DAY_MS;
  const weekday = (new Date(last).getUTCDay() + 6) % 7;
  return last - weekday * DAY_MS;
};
const RETENTION_FIRST_MS = lastMonday() - (RETENTION_WEEKS - 1) * 7 * DAY_MS;
const RETENTION_END_MS = lastMonday() + 7 * DAY_MS;
const retention: BenchInsight = {
  name: 'retention: weekly, first time',
  query: {
    kind: 'RetentionQuery',
    dateRange: { date_to: day(END_MS - DAY_MS) },
    retentionFilter: {
      targetEntity: { id: 'ticket_created', type: 'events' },
      returningEntity: { id: 'ticket_created', type: 'events' },
      period: 'Week',
      totalIntervals: RETENTION_WEEKS,
      retentionType: 'retention_first_time',
    },
  },
  // storage-engines.md §8 "Weekly retention": the cohort is the week of the first ever event.
  handSql: `WITH a AS (
  SELECT pdi.person_id AS actor, e.timestamp AS ts
  FROM events e ${PDI_JOIN}
  WHERE e.project_id = ${PROJECT_ID} AND e.event = 'ticket_created' AND e.timestamp < ${ts(RETENTION_END_MS)}
), first_seen AS (
  SELECT actor, date_trunc('week', min(ts)) AS cohort FROM a GROUP BY actor
  HAVING cohort >= ${ts(RETENTION_FIRST_MS)}
), activity AS (
  SELECT DISTINCT actor, date_trunc('week', ts) AS wk FROM a WHERE ts >= ${ts(RETENTION_FIRST_MS)}
)
SELECT strftime(f.cohort, '%Y-%m-%d') AS cohort, date_diff('week', f.cohort, w.wk) AS k, count(*) AS n
FROM first_seen f JOIN activity w USING (actor)
WHERE w.wk >= f.cohort
GROUP BY ALL`,
  compare: (tally, hand) => {
    if (tally.kind !== 'RetentionQuery') throw new Error(`not retention: ${tally.kind}`);
    const cells = new Map(hand.map((row) => [`${row.cohort}/${num(row.k)}`, num(row.n)]));
    let seen = 0;
    for (const cohort of tally.results as RetentionResult[]) {
      for (const [k, value] of cohort.values.entries()) {
        const key = `${cohort.date.slice(0, 10)}/${k}`;
        const expected = cells.get(key) ?? 0;
        if (cells.has(key)) seen += 1;
        if (value.count !== expected) return `${key}: tally ${value.count}, hand ${expected}`;
      }
    }
    return seen === cells.size ? null : `hand has ${cells.size - seen} cells tally lacks`;
  },
};

export const INSIGHTS: readonly BenchInsight[] = [
  dailyTotal,
  dau,
  uniqueTenants,
  breakdown,
  weeklyActive,
  funnel,
  retention,
];
