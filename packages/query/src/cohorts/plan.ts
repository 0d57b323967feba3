import { QueryError } from '../errors.js';
import { allOf, type Predicate, toPredicate } from '../plan/predicates.js';
import {
  type BehaviouralLeaf,
  type CohortDefinition,
  type CohortGroupSpec,
  type CohortLeafSpec,
  type CohortTimeInterval,
  parseCohortDefinition,
} from './spec.js';

// Cohort definitions -> a dialect-free plan of who is a member at the query's "now" (§2.7).
// Decisions (test/reference/cohorts.ts states them too, and the engine is checked against it):
// - "In the last D" is `now - D < t <= now`; hour, day, week = 7 days, month = 30 days,
//   year = 365 days (PostHog's realtime rules). Events after now do not exist for a cohort.
// - performed_event_multiple: a count of zero never matches (§2.7), so "at most 2 times" means
//   1-2 times; negate "at least once" for "not in the last D".
// - performed_event_first_time: the person's first matching event ever is in the window.
// - stopped_performing_event: a matching event in (now - D, now - recent], none after.
// - group property: the person has an event (up to now) in a group of that type, stored with
//   matching properties.
// - Negation is relative to the project's persons; personless events belong to no cohort.

export type CohortCountOperator = 'gte' | 'gt' | 'lte' | 'lt' | 'eq';

/** Events a behavioural leaf counts: a name and the event filters they pass. */
export interface CohortEventMatch {
  readonly event: string;
  readonly where: Predicate | null;
}

export type CohortCondition =
  | { readonly kind: 'and' | 'or'; readonly children: readonly CohortCondition[] }
  | { readonly kind: 'person_property'; readonly where: Predicate; readonly negated: boolean }
  | { readonly kind: 'group_property'; readonly where: Predicate; readonly negated: boolean }
  /** Matching events in `(afterMs, now]`: more than zero, and `operator count`. */
  | {
      readonly kind: 'event_count';
      readonly match: CohortEventMatch;
      readonly afterMs: number;
      readonly operator: CohortCountOperator;
      readonly count: number;
      readonly negated: boolean;
    }
  | {
      readonly kind: 'first_time';
      readonly match: CohortEventMatch;
      readonly afterMs: number;
      readonly negated: boolean;
    }
  /** A matching event in `(afterMs, recentAfterMs]` and none in `(recentAfterMs, now]`. */
  | {
      readonly kind: 'stopped';
      readonly match: CohortEventMatch;
      readonly afterMs: number;
      readonly recentAfterMs: number;
      readonly negated: boolean;
    }
  | { readonly kind: 'cohort'; readonly cohort: CohortPlan; readonly negated: boolean };

export type CohortPlan = {
  readonly id: number;
  readonly projectId: number;
  /** Membership is evaluated over the events up to this instant (inclusive). */
  readonly nowMs: number;
} & (
  | {
      readonly kind: 'static';
      readonly personIds: readonly string[];
      readonly distinctIds: readonly string[];
    }
  | { readonly kind: 'dynamic'; readonly condition: CohortCondition }
);

/**
 * Where runQuery finds cohort definitions (PostHog's shape, see CohortDefinition): a map by
 * id, or a loader asked for the ids a query uses. Unknown ids are left out of the answer.
 */
export type CohortSource =
  | ReadonlyMap<number, unknown>
  | ((ids: readonly number[]) => Promise<ReadonlyMap<number, unknown>>);

/** A planned cohort, or why the cohort cannot be used (reported where a query refers to it). */
export type CohortPlans = ReadonlyMap<number, CohortPlan | QueryError>;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
export const COHORT_INTERVAL_MS: Readonly<Record<CohortTimeInterval, number>> = {
  hour: HOUR_MS,
  day: DAY_MS,
  week: 7 * DAY_MS,
  month: 30 * DAY_MS,
  year: 365 * DAY_MS,
};
const MAX_WINDOW_MS = 3650 * DAY_MS;

/** Loads `ids` and every cohort they refer to, and plans each at `nowMs`. */
export async function planCohorts(
  ids: readonly number[],
  source: CohortSource | undefined,
  ctx: { readonly projectId: number; readonly nowMs: number },
): Promise<CohortPlans> {
  const definitions = new Map<number, CohortDefinition | QueryError>();
  let pending = [...new Set(ids)];
  while (pending.length > 0) {
    const found = await load(pending, source);
    const next: number[] = [];
    for (const id of pending) {
      const raw = found.get(id);
      if (raw === undefined) continue;
      let definition: CohortDefinition | QueryError;
      try {
        definition = parseCohortDefinition(raw, `cohort ${id}`);
      } catch (error) {
        if (!(error instanceof QueryError)) throw error;
        definition = error;
      }
      definitions.set(id, definition);
      if (definition instanceof QueryError) continue;
      for (const ref of referencedCohorts(definition))
        if (!definitions.has(ref) && !pending.includes(ref)) next.push(ref);
    }
    pending = [...new Set(next)];
  }
  const plans = new Map<number, CohortPlan | QueryError>();
  const planOf = (id: number, visiting: readonly number[]): CohortPlan => {
    const done = plans.get(id);
    if (done instanceof QueryError) throw done;
    if (done !== undefined) return done;
    const definition = definitions.get(id);
    if (definition === undefined)
      throw new QueryError('invalid_query', `cohort ${visiting.at(-1)}`, `unknown cohort ${id}`);
    if (definition instanceof QueryError) throw definition;
    if (visiting.includes(id))
      throw new QueryError('invalid_query', `cohort ${id}`, 'cohorts refer to each other');
    const plan = planDefinition(id, definition, ctx, (ref) => planOf(ref, [...visiting, id]));
    plans.set(id, plan);
    return plan;
  };
  for (const id of definitions.keys()) {
    try {
      planOf(id, []);
    } catch (error) {
      if (!(error instanceof QueryError)) throw error;
      plans.set(id, error);
    }
  }
  return plans;
}

const isGroup = (node: CohortGroupSpec | CohortLeafSpec): node is CohortGroupSpec =>
  node.type === 'AND' || node.type === 'OR';

async function load(
  ids: readonly number[],
  source: CohortSource | undefined,
): Promise<ReadonlyMap<number, unknown>> {
  if (source === undefined) return new Map();
  if (typeof source === 'function') return source(ids);
  return source;
}

function referencedCohorts(definition: CohortDefinition): number[] {
  const out: number[] = [];
  const walk = (node: CohortGroupSpec | CohortLeafSpec): void => {
    if (isGroup(node)) node.values.forEach(walk);
    else if (node.type === 'cohort') out.push(node.value);
  };
  if (definition.filters) walk(definition.filters.properties);
  return out;
}

function planDefinition(
  id: number,
  definition: CohortDefinition,
  ctx: { readonly projectId: number; readonly nowMs: number },
  planRef: (id: number) => CohortPlan,
): CohortPlan {
  const base = { id, projectId: ctx.projectId, nowMs: ctx.nowMs };
  if (definition.is_static)
    return {
      ...base,
      kind: 'static',
      personIds: (definition.person_ids ?? []).map((personId) => personId.toLowerCase()),
      distinctIds: definition.distinct_ids ?? [],
    };
  const filters = definition.filters?.properties ?? { type: 'AND', values: [] };
  const path = `cohort ${id}: filters.properties`;
  return {
    ...base,
    kind: 'dynamic',
    condition: conditionOf(filters, path, ctx.nowMs, planRef),
  };
}

function conditionOf(
  node: CohortGroupSpec | CohortLeafSpec,
  path: string,
  nowMs: number,
  planRef: (id: number) => CohortPlan,
): CohortCondition {
  if (isGroup(node))
    return {
      kind: node.type === 'AND' ? 'and' : 'or',
      children: node.values.map((child, i) =>
        conditionOf(child, `${path}.values[${i}]`, nowMs, planRef),
      ),
    };
  const negated = node.negation === true;
  switch (node.type) {
    case 'person':
    case 'group': {
      const { negation: _, ...filter } = node;
      const where = toPredicate([filter], path) as Predicate;
      return {
        kind: node.type === 'person' ? 'person_property' : 'group_property',
        where,
        negated,
      };
    }
    case 'cohort':
      return { kind: 'cohort', cohort: planRef(node.value), negated };
    case 'behavioral':
      return behaviouralCondition(node, path, nowMs, negated);
  }
}

function behaviouralCondition(
  leaf: BehaviouralLeaf,
  path: string,
  nowMs: number,
  negated: boolean,
): CohortCondition {
  const windowMs = (value: number, interval: CohortTimeInterval, field: string): number => {
    const ms = value * COHORT_INTERVAL_MS[interval];
    if (ms > MAX_WINDOW_MS)
      throw new QueryError('invalid_query', `${path}.${field}`, 'ten years at most');
    return ms;
  };
  const afterMs = nowMs - windowMs(leaf.time_value, leaf.time_interval, 'time_value');
  const match: CohortEventMatch = {
    event: leaf.key,
    where: allOf(toPredicate(leaf.event_filters, `${path}.event_filters`)),
  };
  switch (leaf.value) {
    case 'performed_event':
      return { kind: 'event_count', match, afterMs, operator: 'gte', count: 1, negated };
    case 'performed_event_first_time':
      return { kind: 'first_time', match, afterMs, negated };
    case 'performed_event_multiple':
      return {
        kind: 'event_count',
        match,
        afterMs,
        operator: leaf.operator === 'exact' ? 'eq' : leaf.operator,
        count: leaf.operator_value,
        negated,
      };
    case 'stopped_performing_event': {
      const recentMs = windowMs(leaf.seq_time_value, leaf.seq_time_interval, 'seq_time_value');
      if (recentMs >= nowMs - afterMs)
        throw new QueryError(
          'invalid_query',
          `${path}.seq_time_value`,
          'the recent window must be shorter than time_value',
        );
      return { kind: 'stopped', match, afterMs, recentAfterMs: nowMs - recentMs, negated };
    }
  }
}
