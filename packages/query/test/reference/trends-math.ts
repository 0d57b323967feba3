// The per-bucket arithmetic of the trends reference (§2.1), on plain arrays: each "unit" is one
// event (or, for first-time math, one actor's counted first event), already filtered.

export type RefMath =
  | { kind: 'total' }
  | { kind: 'unique_actors' }
  | { kind: 'unique_sessions' }
  | { kind: 'property'; fn: Fn }
  | { kind: 'count_per_actor'; fn: Fn }
  | { kind: 'active'; days: number }
  | { kind: 'first_time'; firstMatching: boolean }
  | { kind: 'cumulative_unique' };

export type Fn = { name: 'sum' | 'avg' | 'min' | 'max' } | { name: 'quantile'; q: number };

export interface Unit {
  ts: number;
  /** Local wall time `YYYY-MM-DD HH:mm:ss.SSS`, comparable as a string. */
  wall: string;
  actor: string | null;
  session: string | null;
  value: number | undefined;
  breakdown: string | null;
}

export function parseMath(math: string | undefined): RefMath {
  const quantiles: Record<string, number> = {
    median: 0.5,
    p75: 0.75,
    p90: 0.9,
    p95: 0.95,
    p99: 0.99,
  };
  const fnOf = (name: string): Fn =>
    quantiles[name] !== undefined
      ? { name: 'quantile', q: quantiles[name] }
      : { name: name as 'sum' | 'avg' | 'min' | 'max' };
  switch (math ?? 'total') {
    case 'total':
      return { kind: 'total' };
    case 'dau':
    case 'unique_group':
      return { kind: 'unique_actors' };
    case 'unique_session':
      return { kind: 'unique_sessions' };
    case 'weekly_active':
      return { kind: 'active', days: 7 };
    case 'monthly_active':
      return { kind: 'active', days: 30 };
    case 'first_time_for_user':
      return { kind: 'first_time', firstMatching: false };
    case 'first_matching_event_for_user':
      return { kind: 'first_time', firstMatching: true };
  }
  const name = math ?? 'total';
  if (name.endsWith('_count_per_actor'))
    return { kind: 'count_per_actor', fn: fnOf(name.replace('_count_per_actor', '')) };
  return { kind: 'property', fn: fnOf(name) };
}

/** The math over the units of one bucket (or of the whole range for total value). */
export function measureUnits(math: RefMath, units: readonly Unit[]): number {
  switch (math.kind) {
    case 'total':
    case 'first_time':
      return units.length;
    case 'unique_actors':
    case 'cumulative_unique':
      return distinct(units.map((u) => u.actor));
    case 'unique_sessions':
      return distinct(units.map((u) => u.session));
    case 'property':
      return apply(
        math.fn,
        units.map((u) => u.value).filter((v): v is number => v !== undefined),
      );
    case 'count_per_actor': {
      const counts = new Map<string, number>();
      for (const u of units)
        if (u.actor !== null) counts.set(u.actor, (counts.get(u.actor) ?? 0) + 1);
      return apply(math.fn, [...counts.values()]);
    }
    case 'active':
      return distinct(units.map((u) => u.actor));
  }
}

function distinct(values: ReadonlyArray<string | null>): number {
  return new Set(values.filter((v) => v !== null)).size;
}

/** Empty -> 0 (PostHog: formulas never see nulls). Quantiles interpolate linearly. */
export function apply(fn: Fn, values: readonly number[]): number {
  if (values.length === 0) return 0;
  switch (fn.name) {
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'avg':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    case 'quantile': {
      const sorted = [...values].sort((a, b) => a - b);
      const position = fn.q * (sorted.length - 1);
      const low = Math.floor(position);
      const high = Math.ceil(position);
      const a = sorted[low] ?? 0;
      const b = sorted[high] ?? 0;
      return a + (b - a) * (position - low);
    }
  }
}

/** A property value as a number the way SQL's TRY_CAST reads its text; else undefined. */
export function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

/** Formulas the random tests use, written out by hand (no parser shared with the engine). */
export const REF_FORMULAS: Readonly<Record<string, (v: readonly number[]) => number>> = {
  'A+B': (v) => at(v, 0) + at(v, 1),
  'A/B': (v) => div(at(v, 0), at(v, 1)),
  'A-B*2': (v) => at(v, 0) - at(v, 1) * 2,
  '(A+B)/2': (v) => div(at(v, 0) + at(v, 1), 2),
  'A*100/(A+B)': (v) => div(at(v, 0) * 100, at(v, 0) + at(v, 1)),
  '-A+3': (v) => -at(v, 0) + 3,
};

const at = (values: readonly number[], i: number): number => values[i] ?? 0;
const div = (a: number, b: number): number => (b === 0 ? 0 : a / b);
