// Seeded random cohort definitions, each twice: in the reference's shape (test/reference/
// cohorts.ts) and in PostHog's JSON that the engine parses, so both judge the same cohort.

import type { Dataset } from '../dataset.js';
import {
  type CohortDefinition,
  type CohortLeaf,
  type CohortNode,
  type CohortWindow,
  type CohortWindowUnit,
  type CountOperator,
  cohortMembers,
} from '../reference/cohorts.js';
import type { FilterOperator, FilterValue, PropertyFilter } from '../reference/filters.js';

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
const chance = (rng: Rng, p: number): boolean => rng() < p;
const int = (rng: Rng, min: number, max: number): number =>
  min + Math.floor(rng() * (max - min + 1));

/** A cohort both sides can evaluate; `json` may refer to other cohorts by id. */
export interface RandomCohort {
  reference: CohortDefinition;
  json: Record<string, unknown>;
}

const EVENTS = [
  'ticket_created',
  'ticket_resolved',
  'ticket_assigned',
  'user_logged_in',
  'feature_used',
  'invoice_generated',
  '$pageview',
] as const;

/** Event filters a behavioural leaf may carry, with the events that have the property. */
const EVENT_FILTERS: ReadonlyArray<[string, PropertyFilter]> = [
  ['user_logged_in', { type: 'event', key: 'method', operator: 'exact', value: 'sso' }],
  ['user_logged_in', { type: 'event', key: 'method', operator: 'is_not', value: 'password' }],
  ['ticket_created', { type: 'event', key: 'priority', operator: 'is_set' }],
  [
    'ticket_created',
    { type: 'event', key: 'priority', operator: 'exact', value: ['high', 'urgent'] },
  ],
  ['feature_used', { type: 'event', key: 'feature', operator: 'icontains', value: 'o' }],
];

const PERSON_LEAVES: ReadonlyArray<(rng: Rng) => [string, FilterOperator, FilterValue?]> = [
  (r) => [
    'plan',
    pick(r, ['exact', 'is_not'] as const),
    pick(r, ['pro', 'free', ['enterprise', 'pro']]),
  ],
  (r) => [
    'user_type',
    pick(r, ['exact', 'is_not', 'icontains'] as const),
    pick(r, ['technician', 'a']),
  ],
  (r) => ['is_admin', 'exact', pick(r, [true, false, 'true'])],
  (r) => ['plan', pick(r, ['is_set', 'is_not_set'] as const)],
  (r) => ['missing_property', pick(r, ['is_set', 'is_not_set', 'is_not'] as const), 'x'],
];
const GROUP_LEAVES: ReadonlyArray<(rng: Rng) => [string, FilterOperator, FilterValue?]> = [
  (r) => ['plan', pick(r, ['exact', 'is_not'] as const), pick(r, ['enterprise', 'free', 'pro'])],
  (r) => ['industry', pick(r, ['exact', 'is_set', 'is_not_set'] as const), 'msp'],
];

/** Short day windows often: "now" is whole days after an event, so bounds land on events. */
const UNITS: ReadonlyArray<[CohortWindowUnit, number, number]> = [
  ['day', 1, 3],
  ['day', 1, 3],
  ['day', 1, 45],
  ['day', 1, 45],
  ['day', 1, 45],
  ['hour', 1, 300],
  ['week', 1, 6],
  ['month', 1, 2],
];

function window(rng: Rng): CohortWindow {
  const [unit, min, max] = pick(rng, UNITS);
  return { count: int(rng, min, max), unit };
}

export interface RandomCohortOptions {
  /** Ids (and reference definitions) of cohorts a leaf may refer to. */
  refs?: ReadonlyArray<{ id: number; definition: CohortDefinition }>;
}

/** A dynamic cohort: one to three leaves, sometimes nested AND/OR, leaves negated at random. */
export function randomDynamicCohort(rng: Rng, options: RandomCohortOptions = {}): RandomCohort {
  const [reference, json] = randomNode(rng, options, 0);
  const properties = 'values' in json ? json : { type: 'AND', values: [json] };
  const filter: CohortNode =
    'values' in reference ? reference : { type: 'AND', values: [reference] };
  return { reference: { kind: 'dynamic', filter }, json: { filters: { properties } } };
}

function randomNode(
  rng: Rng,
  options: RandomCohortOptions,
  depth: number,
): [CohortNode, Record<string, unknown>] {
  if (depth < 2 && chance(rng, depth === 0 ? 0.6 : 0.25)) {
    const type = pick(rng, ['AND', 'OR'] as const);
    const children = Array.from({ length: int(rng, depth === 0 ? 1 : 2, 3) }, () =>
      randomNode(rng, options, depth + 1),
    );
    return [
      { type, values: children.map(([r]) => r) },
      { type, values: children.map(([, j]) => j) },
    ];
  }
  return randomLeaf(rng, options);
}

function randomLeaf(rng: Rng, options: RandomCohortOptions): [CohortLeaf, Record<string, unknown>] {
  const negated = chance(rng, 0.25);
  const negation = negated ? { negation: true } : chance(rng, 0.5) ? { negation: false } : {};
  const refs = options.refs ?? [];
  const roll = rng();
  if (roll < 0.15) {
    const [key, operator, value] = pick(rng, PERSON_LEAVES)(rng);
    return [
      {
        type: 'person_property',
        key,
        operator,
        ...(value === undefined ? {} : { value }),
        negated,
      },
      { type: 'person', key, operator, ...(value === undefined ? {} : { value }), ...negation },
    ];
  }
  if (roll < 0.25) {
    const [key, operator, value] = pick(rng, GROUP_LEAVES)(rng);
    const typeIndex = chance(rng, 0.5) ? { group_type_index: 0 } : {};
    return [
      {
        type: 'group_property',
        groupTypeIndex: 0,
        key,
        operator,
        ...(value === undefined ? {} : { value }),
        negated,
      },
      {
        type: 'group',
        key,
        operator,
        ...(value === undefined ? {} : { value }),
        ...typeIndex,
        ...negation,
      },
    ];
  }
  if (roll < 0.32 && refs.length > 0) {
    const ref = pick(rng, refs);
    return [
      { type: 'in_cohort', cohort: ref.definition, negated },
      { type: 'cohort', key: 'id', value: ref.id, ...negation },
    ];
  }
  let event: string = pick(rng, EVENTS);
  let properties: PropertyFilter[] | undefined;
  if (chance(rng, 0.25)) {
    const [name, filter] = pick(rng, EVENT_FILTERS);
    event = name;
    properties = [filter];
  }
  const within = window(rng);
  const behavioural = {
    type: 'behavioral',
    key: event,
    time_value: within.count,
    time_interval: within.unit,
    ...(properties === undefined
      ? {}
      : { event_filters: properties.map(({ groupTypeIndex: _, ...f }) => f) }),
    ...negation,
  };
  const matcher = { event, ...(properties === undefined ? {} : { properties }) };
  const kind = rng();
  if (kind < 0.3)
    return [
      { type: 'performed_event', event: matcher, within, negated },
      { ...behavioural, value: 'performed_event' },
    ];
  if (kind < 0.6) {
    const operator = pick(rng, ['gte', 'gt', 'lte', 'lt', 'eq', 'eq'] as const);
    const count = int(rng, 0, 5);
    return [
      { type: 'performed_event_multiple', event: matcher, operator, count, within, negated },
      {
        ...behavioural,
        value: 'performed_event_multiple',
        operator: operator === 'eq' && chance(rng, 0.5) ? 'exact' : operator,
        operator_value: count,
      },
    ];
  }
  if (kind < 0.8)
    return [
      { type: 'performed_event_first_time', event: matcher, within, negated },
      { ...behavioural, value: 'performed_event_first_time' },
    ];
  // Stopped: the recent window in days, shorter than the whole one.
  const totalDays = int(rng, 2, chance(rng, 0.5) ? 4 : 45);
  const recentDays = int(rng, 1, totalDays - 1);
  return [
    {
      type: 'stopped_performing_event',
      event: matcher,
      within: { count: totalDays, unit: 'day' },
      recent: { count: recentDays, unit: 'day' },
      negated,
    },
    {
      ...behavioural,
      value: 'stopped_performing_event',
      time_value: totalDays,
      time_interval: 'day',
      seq_time_value: recentDays,
      seq_time_interval: 'day',
    },
  ];
}

/**
 * A static cohort: some persons by person id (the store's ids, through `storeIdOf`), some by
 * one of their distinct ids, and ids nobody has.
 */
export function randomStaticCohort(
  rng: Rng,
  dataset: Dataset,
  storeIdOf: (personId: string) => string,
): RandomCohort {
  const chosen = dataset.persons.filter(() => chance(rng, 0.3));
  const personIds: string[] = [];
  const distinctIds: string[] = [];
  for (const person of chosen) {
    if (chance(rng, 0.5)) {
      const id = storeIdOf(person.id);
      personIds.push(chance(rng, 0.3) ? id.toUpperCase() : id);
    } else distinctIds.push(pick(rng, person.distinctIds));
  }
  personIds.push('00000000-0000-4000-8000-000000000000');
  distinctIds.push('nobody-has-this-id');
  return {
    reference: { kind: 'static', personIds: chosen.map((p) => p.id) },
    json: { is_static: true, person_ids: personIds, distinct_ids: distinctIds },
  };
}

/**
 * Three cohorts: 1 a random static list, 2 and 3 dynamic ones that may reference it. Returns each
 * one's members at `nowMs` by the reference, and the JSON the engine takes as `cohorts`.
 */
export function randomCohortTrio(
  rng: Rng,
  dataset: Dataset,
  storeIdOf: (personId: string) => string,
  nowMs: number,
): { members: Map<number, Set<string>>; json: Map<number, unknown> } {
  const fixed = randomStaticCohort(rng, dataset, storeIdOf);
  const definitions = new Map<number, CohortDefinition>([[1, fixed.reference]]);
  const json = new Map<number, unknown>([[1, fixed.json]]);
  for (const id of [2, 3]) {
    const cohort = randomDynamicCohort(rng, { refs: [{ id: 1, definition: fixed.reference }] });
    definitions.set(id, cohort.reference);
    json.set(id, cohort.json);
  }
  const members = new Map(
    [...definitions].map(([id, d]) => [id, new Set(cohortMembers(dataset, d, nowMs))]),
  );
  return { members, json };
}

export type { CountOperator };
