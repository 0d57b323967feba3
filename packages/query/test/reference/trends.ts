// Brute-force trends (§2.1) over plain arrays, for comparison with the SQL engine. It reads the
// same TrendsQuery JSON (absolute `YYYY-MM-DD` dates only) and shares no code with src/: its own
// dates (reference/time.ts), filters (reference/filters.ts) and arithmetic (trends-math.ts).
//
// Decisions it encodes (the engine must match):
// - actor: the event's person; a personless event counts as its own distinct id; by group, the
//   group key (empty or missing: not counted);
// - a breakdown value is the property's string form; missing, null and '' are "None";
// - several breakdowns: a combination is one value, written as the JSON list of the values (null
//   where missing), None when every one is missing; ties between combinations go by that text;
// - the top `breakdown_limit` values by the sum of their per-bucket values (total value: by the
//   aggregate), rounded to 6 decimals, ties by value ascending; the rest are recomputed as "Other".

import type { Dataset, RefEvent } from '../dataset.js';
import { indexDataset } from './filters.js';
import { type WeekStart, zonedParts, zonedToUtc } from './time.js';
import { breakdownOf, matchesTree } from './trends-filters.js';
import {
  measureUnits,
  numberOf,
  parseMath,
  REF_FORMULAS,
  type RefMath,
  type Unit,
} from './trends-math.js';
import {
  dayString,
  type Period,
  periodOf,
  previousOf,
  wallString,
  windowOf,
} from './trends-time.js';

export interface RefFilter {
  type: 'event' | 'person' | 'group';
  key: string;
  operator: string;
  value?: string | number | boolean | Array<string | number | boolean>;
  group_type_index?: number;
}
export interface RefFilterGroup {
  type: 'AND' | 'OR';
  values: Array<RefFilter | RefFilterGroup>;
}

export interface RefTrendsQuery {
  kind: 'TrendsQuery';
  series: Array<{
    kind: 'EventsNode';
    event: string | null;
    math?: string;
    math_property?: string;
    math_group_type_index?: number;
    properties?: RefFilter[];
    custom_name?: string;
  }>;
  dateRange: { date_from: string; date_to: string };
  interval?: 'hour' | 'day' | 'week' | 'month';
  properties?: RefFilter[] | RefFilterGroup;
  breakdownFilter?: {
    breakdown?: string;
    /** Several breakdowns: a combination of values is one breakdown value (trends-filters.ts). */
    breakdowns?: Array<{
      property: string;
      type?: 'event' | 'person' | 'group';
      group_type_index?: number;
    }>;
    breakdown_type?: 'event' | 'person' | 'group';
    breakdown_group_type_index?: number;
    breakdown_limit?: number;
    breakdown_hide_other_aggregation?: boolean;
  };
  trendsFilter?: { display?: string; formula?: string };
  compareFilter?: { compare?: boolean };
  aggregation_group_type_index?: number;
}

export interface RefTrendsResult {
  label: string;
  data: number[];
  days: string[];
  count: number;
  aggregated_value?: number;
  breakdown_value?: string | string[];
  breakdown_bucket?: 'value' | 'none' | 'other';
  compare_label?: 'current' | 'previous';
}

interface Line {
  key: string;
  bucket: 'value' | 'none' | 'other';
  value: string | null;
  values: number[];
}

const TOTAL_DISPLAYS = new Set([
  'BoldNumber',
  'ActionsPie',
  'ActionsBarValue',
  'ActionsTable',
  'WorldMap',
]);
const ORDER = { value: 0, none: 1, other: 2 } as const;

export function referenceTrends(
  dataset: Dataset,
  query: RefTrendsQuery,
  ctx: { timezone: string; weekStart: WeekStart },
): RefTrendsResult[] {
  const interval = query.interval ?? 'day';
  const isTotal = TOTAL_DISPLAYS.has(query.trendsFilter?.display ?? '');
  const isCumulative = query.trendsFilter?.display === 'ActionsLineGraphCumulative' && !isTotal;
  const results: RefTrendsResult[] = [];

  for (const [label, period] of referencePeriods(query, ctx)) {
    const linesBySeries = referenceSeriesUnits(dataset, query, period, ctx).map(({ math, units }) =>
      linesOf(math, units, period, query, isTotal, isCumulative, ctx.timezone),
    );
    const name = (i: number): string => {
      const s = query.series[i];
      return s?.custom_name ?? s?.event ?? 'All events';
    };
    const formula = query.trendsFilter?.formula;
    const emitted: Array<[string, Line]> = [];
    if (formula === undefined) {
      for (const [i, lines] of linesBySeries.entries())
        for (const line of lines) emitted.push([name(i), line]);
    } else {
      const fn = REF_FORMULAS[formula];
      if (fn === undefined) throw new Error(`reference has no formula ${formula}`);
      const union = new Map<string, Line>();
      for (const lines of linesBySeries)
        for (const l of lines) if (!union.has(l.key)) union.set(l.key, l);
      const width = isTotal ? 1 : period.starts.length;
      for (const line of [...union.values()].sort((a, b) => ORDER[a.bucket] - ORDER[b.bucket])) {
        const per = linesBySeries.map(
          (lines) => lines.find((l) => l.key === line.key)?.values ?? Array(width).fill(0),
        );
        const values = Array.from({ length: width }, (_, b) => {
          const r = fn(per.map((v) => v[b] ?? 0));
          return Number.isFinite(r) ? r : 0;
        });
        emitted.push([`Formula (${formula})`, { ...line, values }]);
      }
    }
    for (const [seriesLabel, line] of emitted) {
      const result: RefTrendsResult = { label: seriesLabel, data: [], days: [], count: 0 };
      if (query.breakdownFilter !== undefined) {
        const shown = shownBreakdown(line, query.breakdownFilter.breakdowns?.length);
        result.label = `${seriesLabel} - ${Array.isArray(shown) ? shown.join('::') : shown}`;
        result.breakdown_value = shown;
        result.breakdown_bucket = line.bucket;
      }
      if (query.compareFilter?.compare) result.compare_label = label;
      if (isTotal) {
        result.aggregated_value = line.values[0] ?? 0;
        result.count = result.aggregated_value;
      } else {
        result.data = line.values;
        result.days = period.starts.map((s) => dayString(s, interval, ctx.timezone));
        result.count = line.values.reduce((a, b) => a + b, 0);
      }
      results.push(result);
    }
  }
  return results;
}

/**
 * A line's breakdown value: the value, None or Other; with `count` breakdowns the list of the
 * combination's values (None where missing), or `count` times None or Other.
 */
function shownBreakdown(line: Line, count: number | undefined): string | string[] {
  const label = line.bucket === 'none' ? 'None' : 'Other';
  if (count === undefined) return line.bucket === 'value' ? (line.value ?? '') : label;
  if (line.bucket !== 'value') return Array<string>(count).fill(label);
  return (JSON.parse(line.value ?? '[]') as Array<string | null>).map((v) => v ?? 'None');
}

/** The current period, and the previous one when comparing. */
export function referencePeriods(
  query: RefTrendsQuery,
  ctx: { timezone: string; weekStart: WeekStart },
): Array<['current' | 'previous', Period]> {
  const interval = query.interval ?? 'day';
  const current = periodOf(query, interval, ctx);
  const periods: Array<['current' | 'previous', Period]> = [['current', current]];
  if (query.compareFilter?.compare) periods.push(['previous', previousOf(current, interval, ctx)]);
  return periods;
}

/** Per series, its math and the units (events, or first-time events) it measures in `period`. */
export function referenceSeriesUnits(
  dataset: Dataset,
  query: RefTrendsQuery,
  period: Period,
  ctx: { timezone: string },
): Array<{ math: RefMath; units: Unit[] }> {
  const index = indexDataset(dataset);
  const owner = new Map<string, string>();
  for (const person of dataset.persons)
    for (const id of person.distinctIds) owner.set(id, person.id);
  const walls = new Map<RefEvent, string>();
  const wallOf = (e: RefEvent): string => {
    const known = walls.get(e);
    if (known !== undefined) return known;
    const wall = wallString(e.timestampMs, ctx.timezone);
    walls.set(e, wall);
    return wall;
  };
  const isTotal = TOTAL_DISPLAYS.has(query.trendsFilter?.display ?? '');
  const isCumulative = query.trendsFilter?.display === 'ActionsLineGraphCumulative' && !isTotal;
  return query.series.map((series) => {
    let math = parseMath(series.math);
    if (isCumulative && math.kind === 'unique_actors') math = { kind: 'cumulative_unique' };
    const groupIndex =
      series.math === 'unique_group'
        ? series.math_group_type_index
        : query.aggregation_group_type_index;
    const actorOf = (e: RefEvent): string | null =>
      groupIndex === undefined
        ? e.personId === null
          ? `distinct:${e.distinctId}`
          : (owner.get(e.distinctId) ?? `distinct:${e.distinctId}`)
        : e.groups[groupIndex] || null;
    const matches = (e: RefEvent): boolean =>
      matchesTree(index, e, query.properties) && matchesTree(index, e, series.properties);
    const unitOf = (e: RefEvent): Unit => ({
      ts: e.timestampMs,
      wall: wallOf(e),
      actor: actorOf(e),
      session:
        typeof e.properties.$session_id === 'string' && e.properties.$session_id !== ''
          ? e.properties.$session_id
          : null,
      value:
        series.math_property === undefined
          ? undefined
          : numberOf(e.properties[series.math_property]),
      breakdown: breakdownOf(index, e, query),
    });
    const named = dataset.events.filter((e) => series.event === null || e.event === series.event);
    const units =
      math.kind === 'first_time'
        ? firstTimeUnits(
            named.filter((e) => e.timestampMs < period.toMs),
            math.firstMatching,
            matches,
            unitOf,
            period,
          )
        : named.filter((e) => e.timestampMs < period.toMs && matches(e)).map(unitOf);
    return { math, units };
  });
}

/** Per actor, its first event of the series; kept if it matches (or: first matching one). */
function firstTimeUnits(
  events: RefEvent[],
  firstMatching: boolean,
  matches: (e: RefEvent) => boolean,
  unitOf: (e: RefEvent) => Unit,
  period: Period,
): Unit[] {
  const byActor = new Map<string, { t0: number; best: RefEvent | undefined }>();
  for (const e of events) {
    const actor = unitOf(e).actor;
    if (actor === null) continue;
    const entry = byActor.get(actor) ?? { t0: e.timestampMs, best: undefined };
    entry.t0 = Math.min(entry.t0, e.timestampMs);
    if (matches(e)) {
      const b = entry.best;
      if (
        b === undefined ||
        e.timestampMs < b.timestampMs ||
        (e.timestampMs === b.timestampMs && e.uuid < b.uuid)
      )
        entry.best = e;
    }
    byActor.set(actor, entry);
  }
  const units: Unit[] = [];
  for (const { t0, best } of byActor.values()) {
    if (best === undefined || best.timestampMs < (period.starts[0] ?? period.fromMs)) continue;
    if (firstMatching || best.timestampMs === t0) units.push(unitOf(best));
  }
  return units;
}

/** One line per breakdown bucket (one line without breakdown), values per bucket or the total. */
function linesOf(
  math: RefMath,
  units: Unit[],
  period: Period,
  query: RefTrendsQuery,
  isTotal: boolean,
  isCumulative: boolean,
  timezone: string,
): Line[] {
  // Ranked on the per-bucket values; the cumulative display only changes what is shown.
  const measure = (subset: Unit[]): { values: number[]; hasRows: boolean } =>
    isTotal ? totalOf(math, subset, period, timezone) : perBucket(math, subset, period, timezone);
  const shown = (values: number[]): number[] => {
    const out = [...values];
    if (isCumulative)
      for (let i = 1; i < out.length; i++) out[i] = (out[i] ?? 0) + (out[i - 1] ?? 0);
    return out;
  };
  if (query.breakdownFilter === undefined)
    return [{ key: 'v', bucket: 'value', value: null, values: shown(measure(units).values) }];
  const byValue = new Map<string, Unit[]>();
  for (const u of units)
    if (u.breakdown !== null) byValue.set(u.breakdown, [...(byValue.get(u.breakdown) ?? []), u]);
  const ranked = rankValues(byValue, measure, query.breakdownFilter.breakdown_limit ?? 25);
  const lines: Line[] = ranked.map((r) => ({
    key: `value:${r.value}`,
    bucket: 'value',
    value: r.value,
    values: shown(r.values),
  }));
  const none = measure(units.filter((u) => u.breakdown === null));
  if (none.hasRows)
    lines.push({ key: 'none', bucket: 'none', value: null, values: shown(none.values) });
  const kept = new Set(ranked.map((r) => r.value));
  const rest = units.filter((u) => u.breakdown !== null && !kept.has(u.breakdown));
  const other = measure(rest);
  if (
    rest.length > 0 &&
    other.hasRows &&
    query.breakdownFilter.breakdown_hide_other_aggregation !== true
  )
    lines.push({ key: 'other', bucket: 'other', value: null, values: shown(other.values) });
  return lines;
}

/**
 * The kept breakdown values of one series and period, in rank order (the rest is "Other"):
 * by the sum of their per-bucket values (total value: the aggregate), ties by value.
 */
export function keptValues(
  math: RefMath,
  units: Unit[],
  period: Period,
  query: RefTrendsQuery,
  timezone: string,
): string[] {
  const isTotal = TOTAL_DISPLAYS.has(query.trendsFilter?.display ?? '');
  const byValue = new Map<string, Unit[]>();
  for (const u of units)
    if (u.breakdown !== null) byValue.set(u.breakdown, [...(byValue.get(u.breakdown) ?? []), u]);
  const measure = (subset: Unit[]) =>
    isTotal ? totalOf(math, subset, period, timezone) : perBucket(math, subset, period, timezone);
  return rankValues(byValue, measure, query.breakdownFilter?.breakdown_limit ?? 25).map(
    (r) => r.value,
  );
}

function rankValues(
  byValue: Map<string, Unit[]>,
  measure: (subset: Unit[]) => { values: number[]; hasRows: boolean },
  limit: number,
): Array<{ value: string; values: number[]; hasRows: boolean }> {
  return [...byValue.entries()]
    .map(([value, subset]) => ({ value, ...measure(subset) }))
    .filter((r) => r.hasRows)
    .map((r) => ({ ...r, weight: Math.round(r.values.reduce((a, b) => a + b, 0) * 1e6) / 1e6 }))
    .sort((a, b) => b.weight - a.weight || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
    .slice(0, limit);
}

function perBucket(
  math: RefMath,
  units: Unit[],
  period: Period,
  timezone: string,
): { values: number[]; hasRows: boolean } {
  const { starts, toMs } = period;
  if (math.kind === 'active') {
    let hasRows = false;
    const values = starts.map((s) => {
      const [from, to] = windowOf(s, math.days, timezone);
      const inside = units.filter((u) => u.actor !== null && u.wall >= from && u.wall < to);
      hasRows ||= inside.length > 0;
      return measureUnits(math, inside);
    });
    return { values, hasRows };
  }
  const inRange = units.filter((u) => u.ts >= (starts[0] ?? toMs) && u.ts < toMs);
  const bucketOf = (ts: number): number => {
    let i = 0;
    while (i + 1 < starts.length && (starts[i + 1] ?? Infinity) <= ts) i++;
    return i;
  };
  const grouped: Unit[][] = starts.map(() => []);
  if (math.kind === 'cumulative_unique') {
    const first = new Map<string, Unit>();
    for (const u of inRange)
      if (u.actor !== null && (first.get(u.actor)?.ts ?? Infinity) > u.ts) first.set(u.actor, u);
    for (const u of first.values()) grouped[bucketOf(u.ts)]?.push(u);
    return { values: grouped.map((g) => g.length), hasRows: first.size > 0 };
  }
  for (const u of inRange) grouped[bucketOf(u.ts)]?.push(u);
  const needsActor = math.kind === 'count_per_actor';
  return {
    values: grouped.map((g) => measureUnits(math, g)),
    hasRows: inRange.some((u) => !needsActor || u.actor !== null),
  };
}

function totalOf(
  math: RefMath,
  units: Unit[],
  period: Period,
  timezone: string,
): { values: number[]; hasRows: boolean } {
  if (math.kind === 'active') {
    const last = zonedParts(period.toMs - 1, timezone);
    const lastDay = zonedToUtc({ year: last.year, month: last.month, day: last.day }, timezone);
    const [from, to] = windowOf(lastDay, math.days, timezone);
    const inside = units.filter(
      (u) => u.actor !== null && u.wall >= from && u.wall < to && u.ts < period.toMs,
    );
    return { values: [measureUnits(math, inside)], hasRows: inside.length > 0 };
  }
  const inRange = units.filter(
    (u) => u.ts >= (period.starts[0] ?? period.toMs) && u.ts < period.toMs,
  );
  const needsActor = math.kind === 'count_per_actor';
  return {
    values: [measureUnits(math, inRange)],
    hasRows: inRange.some((u) => !needsActor || u.actor !== null),
  };
}
