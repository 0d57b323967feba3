// Brute-force experiment statistics over a dataset's events, written from the definition (issue
// 6 item 3, README "Experiments") without SQL: the reference the DuckDB statements are checked
// against. Also adds random exposures to a generated dataset.

import type { ExperimentMetric } from '../../src/index.js';
import type { Dataset, RefEvent } from '../dataset.js';
import { chance, int, pick, uuid } from '../dataset-psa.js';

const DAY_MS = 86_400_000;
const CUPED_DAYS = 14;
export const FLAG = 'exp';

export interface ReferenceInput {
  readonly unit: 'tenant' | 'person';
  readonly variants: readonly string[];
  readonly startMs: number;
  readonly endMs: number;
  readonly cuped: boolean;
}

export type Sums = Record<string, number>;

const unitOf = (e: RefEvent, unit: ReferenceInput['unit']): string | null =>
  unit === 'tenant' ? e.groups[0] || null : e.personId;

/** Each unit's exposure time and variant (`$multiple` for several). */
export function referenceExposures(
  events: readonly RefEvent[],
  input: ReferenceInput,
): Map<string, { at: number; variant: string }> {
  const seen = new Map<string, { at: number; variants: Set<string> }>();
  for (const e of events) {
    if (e.event !== '$feature_flag_called' || e.properties.$feature_flag !== FLAG) continue;
    if (e.timestampMs < input.startMs || e.timestampMs >= input.endMs) continue;
    const unit = unitOf(e, input.unit);
    const variant = String(e.properties.$feature_flag_response);
    if (unit === null || !input.variants.includes(variant)) continue;
    const entry = seen.get(unit) ?? { at: e.timestampMs, variants: new Set<string>() };
    entry.at = Math.min(entry.at, e.timestampMs);
    entry.variants.add(variant);
    seen.set(unit, entry);
  }
  const out = new Map<string, { at: number; variant: string }>();
  for (const [unit, { at, variants }] of seen)
    out.set(unit, { at, variant: variants.size > 1 ? '$multiple' : ([...variants][0] ?? '') });
  return out;
}

const numeric = (value: unknown): number => (typeof value === 'number' ? value : 0);

function matches(e: RefEvent, metric: ExperimentMetric): boolean {
  if (!('properties' in metric) || metric.properties === undefined) return true;
  // The random metrics use one `exact` filter on an event property.
  const [filter] = metric.properties as Array<{ key: string; value: string }>;
  return filter === undefined || String(e.properties[filter.key]) === filter.value;
}

/** y (and d for a ratio) of one unit over its events in [from, to). */
function unitValue(
  events: readonly RefEvent[],
  metric: ExperimentMetric,
  from: number,
  to: number,
): { y: number; d: number } {
  const inRange = events.filter((e) => e.timestampMs >= from && e.timestampMs < to);
  switch (metric.kind) {
    case 'proportion': {
      const hit = inRange.some((e) => e.event === metric.event && matches(e, metric));
      return { y: hit ? 1 : 0, d: 0 };
    }
    case 'count':
      return { y: inRange.filter((e) => e.event === metric.event).length, d: 0 };
    case 'mean': {
      const values = inRange.filter((e) => e.event === metric.event);
      return { y: values.reduce((a, e) => a + numeric(e.properties[metric.property]), 0), d: 0 };
    }
    case 'ratio': {
      const side = (s: typeof metric.numerator) =>
        inRange
          .filter((e) => e.event === s.event)
          .reduce(
            (a, e) => a + (s.property === undefined ? 1 : numeric(e.properties[s.property])),
            0,
          );
      return { y: side(metric.numerator), d: side(metric.denominator) };
    }
    case 'funnel': {
      const windowMs = metric.conversion_window_days * DAY_MS;
      const starts = inRange.filter((e) => e.event === metric.steps[0]);
      const converted = starts.some((first) => {
        let t = first.timestampMs;
        for (const step of metric.steps.slice(1)) {
          const next = inRange
            .filter(
              (e) =>
                e.event === step &&
                e.timestampMs > t &&
                e.timestampMs <= first.timestampMs + windowMs,
            )
            .reduce((min, e) => Math.min(min, e.timestampMs), Number.POSITIVE_INFINITY);
          if (next === Number.POSITIVE_INFINITY) return false;
          t = next;
        }
        return true;
      });
      return { y: converted ? 1 : 0, d: 0 };
    }
  }
}

/** Per variant: n, sum_y, sum_y2 (+ sum_x, sum_x2, sum_xy with CUPED; sum_d, sum_d2, sum_yd). */
export function referenceStats(
  events: readonly RefEvent[],
  input: ReferenceInput,
  metric: ExperimentMetric,
): Map<string, Sums> {
  const exposures = referenceExposures(events, input);
  const byUnit = new Map<string, RefEvent[]>();
  for (const e of events) {
    const unit = unitOf(e, input.unit);
    if (unit === null || e.event === '$feature_flag_called') continue;
    byUnit.set(unit, [...(byUnit.get(unit) ?? []), e]);
  }
  const cuped = input.cuped && (metric.kind === 'count' || metric.kind === 'mean');
  const out = new Map<string, Sums>();
  for (const [unit, { at, variant }] of exposures) {
    if (variant === '$multiple') continue;
    const own = byUnit.get(unit) ?? [];
    const { y, d } = unitValue(own, metric, at, input.endMs);
    const s = out.get(variant) ?? { n: 0, sum_y: 0, sum_y2: 0 };
    const add = (key: string, v: number) => {
      s[key] = (s[key] ?? 0) + v;
    };
    add('n', 1);
    add('sum_y', y);
    add('sum_y2', y * y);
    if (cuped) {
      const { y: x } = unitValue(own, metric, at - CUPED_DAYS * DAY_MS, at);
      add('sum_x', x);
      add('sum_x2', x * x);
      add('sum_xy', x * y);
    }
    if (metric.kind === 'ratio') {
      add('sum_d', d);
      add('sum_d2', d * d);
      add('sum_yd', y * d);
    }
    out.set(variant, s);
  }
  return out;
}

/**
 * Exposure events for the dataset's persons: 0-3 each at random times around the experiment
 * (some before it, some exactly at its bounds), mostly one variant, sometimes another; plus
 * `false` answers, another flag's exposures and personless ones.
 */
export function withExposures(dataset: Dataset, rng: () => number, input: ReferenceInput): Dataset {
  const tenants = dataset.groups.map((g) => g.groupKey);
  const added: RefEvent[] = [];
  const make = (
    personId: string | null,
    distinctId: string,
    at: number,
    response: unknown,
    flag = FLAG,
  ) =>
    added.push({
      uuid: uuid(rng),
      event: '$feature_flag_called',
      distinctId,
      personId,
      timestampMs: at,
      properties: { $feature_flag: flag, $feature_flag_response: response },
      groups: [chance(rng, 0.9) ? pick(rng, tenants) : null, null, null, null, null],
    });
  const span = input.endMs - input.startMs;
  const times = () => {
    const roll = rng();
    if (roll < 0.05) return input.startMs;
    if (roll < 0.1) return input.endMs - (roll < 0.075 ? 1 : 0);
    return input.startMs + Math.floor((rng() * 1.3 - 0.15) * span);
  };
  const own = new Map<string, number[]>();
  for (const e of dataset.events)
    if (e.personId !== null) own.set(e.personId, [...(own.get(e.personId) ?? []), e.timestampMs]);
  for (const person of dataset.persons) {
    const home = pick(rng, input.variants);
    // Some exposures at the instant of one of the person's events: the event counts (>=).
    const tied = own.get(person.id) ?? [];
    for (let k = int(rng, 0, 3); k > 0; k--) {
      const distinctId = pick(rng, person.distinctIds);
      const variant = chance(rng, 0.1) ? pick(rng, input.variants) : home;
      const at = tied.length > 0 && chance(rng, 0.3) ? pick(rng, tied) : times();
      make(person.id, distinctId, at, chance(rng, 0.05) ? false : variant);
      if (chance(rng, 0.05)) make(person.id, distinctId, times(), variant, 'other');
    }
  }
  for (let k = 0; k < 5; k++) make(null, `anon-${k}`, times(), pick(rng, input.variants));
  return { ...dataset, events: [...dataset.events, ...added] };
}
