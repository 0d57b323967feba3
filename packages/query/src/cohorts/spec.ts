import { z } from 'zod';
import { formatPath, QueryError } from '../errors.js';
import { checkOperatorValue, EventPropertyFilter, PROPERTY_LEAF_SHAPE } from '../spec/filters.js';

// Cohort definitions in PostHog's JSON shape (§2.7): `is_static` with a member list, or
// `filters.properties`, an AND/OR tree whose leaves may be negated. Leaves: person property,
// tenant (group) property, another cohort, and behavioural `performed_event`,
// `performed_event_multiple`, `performed_event_first_time`, `stopped_performing_event`.

export const COHORT_TIME_INTERVALS = ['hour', 'day', 'week', 'month', 'year'] as const;
export type CohortTimeInterval = (typeof COHORT_TIME_INTERVALS)[number];
/** `exact` is PostHog's spelling of `eq`. */
export const COHORT_COUNT_OPERATORS = ['gte', 'gt', 'lte', 'lt', 'eq', 'exact'] as const;
/** Longest window a behavioural leaf may look back: ten years. */
export const MAX_COHORT_WINDOW_DAYS = 3650;
/** Most ids a static cohort holds. */
export const MAX_STATIC_COHORT_IDS = 100_000;

const negation = z.boolean().nullable().optional();
const timeValue = z.number().int().min(1);
const timeInterval = z.enum(COHORT_TIME_INTERVALS);

const behavioural = {
  type: z.literal('behavioral'),
  /** The event name. */
  key: z.string().min(1).max(400),
  event_type: z.literal('events').default('events'),
  /** Event property filters the counted events must pass (all of them). */
  event_filters: z.array(EventPropertyFilter).max(20).nullable().optional(),
  time_value: timeValue,
  time_interval: timeInterval,
  negation,
};

export const PerformedEventLeaf = z.object({
  ...behavioural,
  value: z.enum(['performed_event', 'performed_event_first_time']),
});
export const PerformedEventMultipleLeaf = z.object({
  ...behavioural,
  value: z.literal('performed_event_multiple'),
  operator: z.enum(COHORT_COUNT_OPERATORS),
  operator_value: z.number().int().min(0),
});
/** Did it in the last `time_value` but not in the last `seq_time_value` (the recent window). */
export const StoppedPerformingLeaf = z.object({
  ...behavioural,
  value: z.literal('stopped_performing_event'),
  seq_time_value: timeValue,
  seq_time_interval: timeInterval,
});
export const BehaviouralLeaf = z.discriminatedUnion('value', [
  PerformedEventLeaf,
  PerformedEventMultipleLeaf,
  StoppedPerformingLeaf,
]);
export type BehaviouralLeaf = z.infer<typeof BehaviouralLeaf>;

export const CohortPersonLeaf = z
  .object({ type: z.literal('person'), ...PROPERTY_LEAF_SHAPE, negation })
  .superRefine(checkOperatorValue);
/** A tenant (group type 0 by default) property: the person has an event in a matching group. */
export const CohortGroupLeaf = z
  .object({
    type: z.literal('group'),
    ...PROPERTY_LEAF_SHAPE,
    group_type_index: z.number().int().min(0).max(4).default(0),
    negation,
  })
  .superRefine(checkOperatorValue);
export const CohortRefLeaf = z.object({
  type: z.literal('cohort'),
  key: z.literal('id').default('id'),
  value: z.number().int().min(1),
  negation,
});

export type CohortLeafSpec =
  | BehaviouralLeaf
  | z.infer<typeof CohortPersonLeaf>
  | z.infer<typeof CohortGroupLeaf>
  | z.infer<typeof CohortRefLeaf>;

export interface CohortGroupSpec {
  type: 'AND' | 'OR';
  values: Array<CohortGroupSpec | CohortLeafSpec>;
}

const leafByType: Record<string, z.ZodType> = {
  behavioral: BehaviouralLeaf,
  person: CohortPersonLeaf,
  group: CohortGroupLeaf,
  cohort: CohortRefLeaf,
};

/** Routes each value on its `type` so an error names the field inside the right shape. */
const CohortNodeSpec: z.ZodType<CohortGroupSpec | CohortLeafSpec> = z.lazy(() =>
  z.unknown().transform((value, ctx) => {
    const type = (value as { type?: unknown } | null)?.type;
    const schema =
      type === 'AND' || type === 'OR'
        ? CohortGroupSchema
        : typeof type === 'string'
          ? leafByType[type]
          : undefined;
    if (schema === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['type'],
        message: 'expected AND, OR, behavioral, person, group or cohort',
      });
      return z.NEVER;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data as CohortGroupSpec | CohortLeafSpec;
    for (const issue of parsed.error.issues)
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    return z.NEVER;
  }),
);

const CohortGroupSchema: z.ZodType<CohortGroupSpec> = z.object({
  type: z.enum(['AND', 'OR']),
  values: z.array(CohortNodeSpec).max(100),
});

const idList = z.array(z.string().min(1).max(400)).max(MAX_STATIC_COHORT_IDS);

/**
 * What defines a cohort. Static: `is_static: true` with `person_ids` and/or `distinct_ids`
 * (a Tally extension of PostHog's CSV upload; distinct ids resolve to persons at query time,
 * so later merges apply). Dynamic: `filters.properties`.
 */
export const CohortDefinition = z
  .object({
    is_static: z.boolean().default(false),
    filters: z.object({ properties: CohortGroupSchema }).nullable().optional(),
    person_ids: idList.nullable().optional(),
    distinct_ids: idList.nullable().optional(),
  })
  .superRefine((cohort, ctx) => {
    if (!cohort.is_static && (cohort.filters ?? null) === null)
      ctx.addIssue({
        code: 'custom',
        path: ['filters'],
        message: 'a dynamic cohort needs filters',
      });
    if (!cohort.is_static && (cohort.person_ids ?? cohort.distinct_ids) !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: [cohort.person_ids === undefined ? 'distinct_ids' : 'person_ids'],
        message: 'only static cohorts have a member list',
      });
  });
export type CohortDefinition = z.infer<typeof CohortDefinition>;

/**
 * Validates a cohort definition in PostHog's shape. Throws QueryError `invalid_query` naming
 * the first bad field (`filters.properties.values[0].time_interval`).
 *
 * @example
 * parseCohortDefinition({ filters: { properties: { type: 'AND', values: [{ type: 'behavioral',
 *   value: 'performed_event_multiple', key: 'ticket_created', operator: 'gte',
 *   operator_value: 3, time_value: 7, time_interval: 'day' }] } } });
 */
export function parseCohortDefinition(input: unknown, pathPrefix = ''): CohortDefinition {
  const parsed = CohortDefinition.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue === undefined ? '' : formatPath(issue.path);
  throw new QueryError(
    'invalid_query',
    pathPrefix === '' ? path : path === '(root)' ? pathPrefix : `${pathPrefix}.${path}`,
    issue?.message,
  );
}
