import { z } from 'zod';
import { AnyPropertyFilter, PropertyKey } from './filters.js';

// The building blocks every insight query shares: series nodes, date range, interval,
// breakdown and compare filters. Unknown keys are dropped (PostHog clients send many we ignore).

export const BASE_MATHS = [
  'total',
  'dau',
  'weekly_active',
  'monthly_active',
  'unique_session',
  'first_time_for_user',
  'first_matching_event_for_user',
] as const;
export const PROPERTY_MATHS = [
  'sum',
  'avg',
  'min',
  'max',
  'median',
  'p75',
  'p90',
  'p95',
  'p99',
] as const;
export const COUNT_PER_ACTOR_MATHS = [
  'avg_count_per_actor',
  'min_count_per_actor',
  'max_count_per_actor',
  'median_count_per_actor',
  'p75_count_per_actor',
  'p90_count_per_actor',
  'p95_count_per_actor',
  'p99_count_per_actor',
] as const;
export const MATHS = [
  ...BASE_MATHS,
  ...PROPERTY_MATHS,
  ...COUNT_PER_ACTOR_MATHS,
  'unique_group',
] as const;
export type MathType = (typeof MATHS)[number];
export type PropertyMath = (typeof PROPERTY_MATHS)[number];
export type CountPerActorMath = (typeof COUNT_PER_ACTOR_MATHS)[number];

export const isPropertyMath = (math: MathType): math is PropertyMath =>
  (PROPERTY_MATHS as readonly string[]).includes(math);
export const isCountPerActorMath = (math: MathType): math is CountPerActorMath =>
  (COUNT_PER_ACTOR_MATHS as readonly string[]).includes(math);

export const GroupTypeIndex = z.number().int().min(0).max(4);

/** The fields of an EventsNode, for queries that extend it (funnel exclusions). */
export const EVENTS_NODE_SHAPE = {
  kind: z.literal('EventsNode'),
  event: z.string().min(1).nullable().optional(),
  name: z.string().nullable().optional(),
  custom_name: z.string().nullable().optional(),
  math: z.enum(MATHS).default('total'),
  math_property: PropertyKey.nullable().optional(),
  math_group_type_index: GroupTypeIndex.nullable().optional(),
  properties: z.array(AnyPropertyFilter).optional(),
};

/** Property math needs `math_property`; `unique_group` needs `math_group_type_index`. */
export function checkSeriesMath(
  node: {
    math: MathType;
    math_property?: string | null | undefined;
    math_group_type_index?: number | null | undefined;
  },
  ctx: z.RefinementCtx,
): void {
  if (isPropertyMath(node.math) && (node.math_property ?? null) === null)
    ctx.addIssue({ code: 'custom', path: ['math_property'], message: 'property math needs it' });
  if (node.math === 'unique_group' && (node.math_group_type_index ?? null) === null)
    ctx.addIssue({
      code: 'custom',
      path: ['math_group_type_index'],
      message: 'unique_group needs it',
    });
}

/** One series: an event (null = all events) with its own filters and math. */
export const EventsNode = z.object(EVENTS_NODE_SHAPE).superRefine(checkSeriesMath);
export type EventsNode = z.infer<typeof EventsNode>;

/**
 * `date_from` / `date_to`: absolute (`2026-03-01`, `2026-03-01T10:00:00`, with or without an
 * offset) or relative (`-7d`, `-24h`, `-4w`, `-3m`, `-1q`, `-1y`, `dStart`, `-1mStart`,
 * `mEnd`, ...); `date_from: 'all'` starts at the project's first event. Parsed in normalize.
 */
export const DateRange = z.object({
  date_from: z.string().min(1).max(40).nullable().optional(),
  date_to: z.string().min(1).max(40).nullable().optional(),
  explicitDate: z.boolean().nullable().optional(),
});
export type DateRange = z.infer<typeof DateRange>;

export const INTERVALS = ['hour', 'day', 'week', 'month'] as const;
export const Interval = z.enum(INTERVALS);
export type Interval = z.infer<typeof Interval>;

export const BREAKDOWN_TYPES = ['event', 'person', 'group', 'cohort'] as const;
export const DEFAULT_BREAKDOWN_LIMIT = 25;

export const BreakdownFilter = z.object({
  breakdown: z
    .union([z.string().min(1), z.number(), z.array(z.union([z.string(), z.number()]))])
    .nullable()
    .optional(),
  breakdown_type: z.enum(BREAKDOWN_TYPES).nullable().optional(),
  breakdown_group_type_index: GroupTypeIndex.nullable().optional(),
  breakdown_limit: z.number().int().min(1).max(1000).nullable().optional(),
  breakdown_hide_other_aggregation: z.boolean().nullable().optional(),
  /** Several breakdowns at once, PostHog's `breakdowns`: read by trends/breakdowns.ts. */
  breakdowns: z.array(z.unknown()).nullable().optional(),
  breakdown_histogram_bin_count: z.number().nullable().optional(),
});
export type BreakdownFilter = z.infer<typeof BreakdownFilter>;

/** `compare_to` shifts the previous period by a relative amount (`-1w`) instead of its length. */
export const CompareFilter = z.object({
  compare: z.boolean().nullable().optional(),
  compare_to: z
    .string()
    .regex(/^-\d+[hdwmqy]$/)
    .nullable()
    .optional(),
});
export type CompareFilter = z.infer<typeof CompareFilter>;
