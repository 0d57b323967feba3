import { z } from 'zod';
import { AnyPropertyFilter, PropertiesInput, PropertyKey } from './filters.js';
import {
  BreakdownFilter,
  CompareFilter,
  checkSeriesMath,
  DateRange,
  EVENTS_NODE_SHAPE,
  EventsNode,
  GroupTypeIndex,
  Interval,
} from './nodes.js';
import { TrendsQuery } from './trends.js';

// The other insight kinds, validated now so the API can answer every kind with a clear error;
// their engines follow (runQuery returns `not_implemented` until then).

const common = {
  dateRange: DateRange.nullable().optional(),
  properties: PropertiesInput.nullable().optional(),
  aggregation_group_type_index: GroupTypeIndex.nullable().optional(),
  /** The project's test-account filters join `properties` (test-account-filters.ts). */
  filterTestAccounts: z.boolean().nullable().optional(),
};

/**
 * On a list rather than an insight: read only to refuse `true` with a path (the filters apply
 * to the insight the actors come from), never dropped silently.
 */
const LIST_TEST_ACCOUNTS = { filterTestAccounts: z.boolean().nullable().optional() };

export const FUNNEL_WINDOW_UNITS = ['second', 'minute', 'hour', 'day', 'week', 'month'] as const;

/** An exclusion: "this event between step `funnelFromStep` and step `funnelToStep`". */
export const FunnelExclusion = z
  .object({
    ...EVENTS_NODE_SHAPE,
    funnelFromStep: z.number().int().min(0),
    funnelToStep: z.number().int().min(1),
  })
  .superRefine(checkSeriesMath);

export const FunnelsFilter = z.object({
  funnelOrderType: z.enum(['ordered', 'strict', 'unordered']).nullable().optional(),
  funnelVizType: z.enum(['steps', 'time_to_convert', 'trends']).nullable().optional(),
  funnelWindowInterval: z.number().int().min(1).nullable().optional(),
  funnelWindowIntervalUnit: z.enum(FUNNEL_WINDOW_UNITS).nullable().optional(),
  exclusions: z.array(FunnelExclusion).nullable().optional(),
  breakdownAttributionType: z
    .enum(['first_touch', 'last_touch', 'all_events', 'step'])
    .nullable()
    .optional(),
  breakdownAttributionValue: z.number().int().min(0).nullable().optional(),
  funnelFromStep: z.number().int().min(0).nullable().optional(),
  funnelToStep: z.number().int().min(0).nullable().optional(),
  binCount: z.number().int().min(1).nullable().optional(),
  /**
   * Tally extension (PostHog lacks it, issue #66096): every step must carry the same value of
   * this event property, e.g. the same `ticket_id` from created to resolved.
   */
  holdPropertyConstant: PropertyKey.nullable().optional(),
  /** The same, for several event properties at once (all must hold). */
  holdConstant: z.array(PropertyKey).max(10).nullable().optional(),
});

export const FunnelsQuery = z.object({
  kind: z.literal('FunnelsQuery'),
  series: z.array(EventsNode).min(2).max(30),
  interval: Interval.default('day'),
  breakdownFilter: BreakdownFilter.nullable().optional(),
  funnelsFilter: FunnelsFilter.nullable().optional(),
  ...common,
});
export type FunnelsQuery = z.infer<typeof FunnelsQuery>;

/** Retention's start and return entities: `{id: <event name>, type: 'events'}`. */
export const RetentionEntity = z.object({
  id: z.string().min(1).nullable().optional(),
  type: z.literal('events').default('events'),
  name: z.string().nullable().optional(),
  properties: z.array(AnyPropertyFilter).nullable().optional(),
});

export const RetentionFilter = z.object({
  targetEntity: RetentionEntity.nullable().optional(),
  returningEntity: RetentionEntity.nullable().optional(),
  period: z.enum(['Hour', 'Day', 'Week', 'Month']).nullable().optional(),
  totalIntervals: z.number().int().min(1).max(500).nullable().optional(),
  retentionType: z
    .enum(['retention_recurring', 'retention_first_time', 'retention_first_ever_occurrence'])
    .nullable()
    .optional(),
  cumulative: z.boolean().nullable().optional(),
  minimumOccurrences: z.number().int().min(1).nullable().optional(),
  timeWindowMode: z.enum(['strict_calendar_dates', '24_hour_windows']).nullable().optional(),
});

export const RetentionQuery = z.object({
  kind: z.literal('RetentionQuery'),
  retentionFilter: RetentionFilter,
  breakdownFilter: BreakdownFilter.nullable().optional(),
  ...common,
});
export type RetentionQuery = z.infer<typeof RetentionQuery>;

export const StickinessFilter = z.object({
  display: z.string().nullable().optional(),
  computedAs: z.enum(['non_cumulative', 'cumulative']).nullable().optional(),
  stickinessCriteria: z
    .object({ operator: z.enum(['gte', 'lte', 'exact']), value: z.number().int().min(1) })
    .nullable()
    .optional(),
});

export const StickinessQuery = z.object({
  kind: z.literal('StickinessQuery'),
  series: z.array(EventsNode).min(1).max(26),
  interval: Interval.default('day'),
  intervalCount: z.number().int().min(1).nullable().optional(),
  stickinessFilter: StickinessFilter.nullable().optional(),
  compareFilter: CompareFilter.nullable().optional(),
  ...common,
});
export type StickinessQuery = z.infer<typeof StickinessQuery>;

export const LIFECYCLE_STATUSES = ['new', 'returning', 'resurrecting', 'dormant'] as const;

export const LifecycleQuery = z.object({
  kind: z.literal('LifecycleQuery'),
  series: z.array(EventsNode).length(1),
  interval: Interval.default('day'),
  lifecycleFilter: z
    .object({ toggledLifecycles: z.array(z.enum(LIFECYCLE_STATUSES)).nullable().optional() })
    .nullable()
    .optional(),
  ...common,
});
export type LifecycleQuery = z.infer<typeof LifecycleQuery>;

/**
 * PostHog's `breakdown` / `funnelStepBreakdown`: the result's `breakdown_value`; the Other and
 * None buckets as `Other` / `None` or PostHog's `$$_posthog_breakdown_other_$$` /
 * `$$_posthog_breakdown_null_$$`. A one-element list is that element (PostHog sends those);
 * a trends insight with several breakdowns takes one element per breakdown.
 */
const BreakdownSelector = z
  .union([
    z.string(),
    z.number(),
    z
      .array(z.union([z.string(), z.number()]))
      .min(1)
      .max(3),
  ])
  .nullable()
  .optional();

/** The insight and data point an actors list drills into (see actors/normalize.ts). */
export const InsightActorsQuery = z.object({
  kind: z.literal('InsightActorsQuery'),
  source: z.discriminatedUnion('kind', [
    TrendsQuery,
    FunnelsQuery,
    RetentionQuery,
    StickinessQuery,
    LifecycleQuery,
  ]),
  /** Trends and lifecycle: the bucket (its `days` entry); stickiness: the number of intervals. */
  day: z.union([z.string(), z.number()]).nullable().optional(),
  /** Lifecycle: new, returning, resurrecting or dormant. */
  status: z.enum(LIFECYCLE_STATUSES).nullable().optional(),
  /** Trends and stickiness: the series index (default 0). */
  series: z.number().int().min(0).nullable().optional(),
  breakdown: BreakdownSelector,
  compare: z.enum(['current', 'previous']).nullable().optional(),
  /** Funnels: N > 0 reached step N (1-based); -N dropped off before step N. */
  funnelStep: z.number().int().nullable().optional(),
  funnelStepBreakdown: BreakdownSelector,
  /** Funnel trends: the entry bucket (its `days` entry), and converted (default) or dropped. */
  funnelTrendsEntrancePeriodStart: z.string().max(40).nullable().optional(),
  funnelTrendsDropOff: z.boolean().nullable().optional(),
  /** Retention: the cohort (row) index, as PostHog's. */
  interval: z.number().int().min(0).nullable().optional(),
  /** Retention, Tally extension: the column, periods after the cohort's (0 = the cohort). */
  intervalOffset: z.number().int().min(0).nullable().optional(),
  includeRecordings: z.boolean().nullable().optional(),
  ...LIST_TEST_ACCOUNTS,
});
export type InsightActorsQuery = z.infer<typeof InsightActorsQuery>;

/** PostHog's funnel-only form of the same: `{kind: 'FunnelsActorsQuery', source, funnelStep}`. */
export const FunnelsActorsQuery = z.object({
  kind: z.literal('FunnelsActorsQuery'),
  source: FunnelsQuery,
  funnelStep: z.number().int().nullable().optional(),
  funnelStepBreakdown: BreakdownSelector,
  funnelTrendsEntrancePeriodStart: z.string().max(40).nullable().optional(),
  funnelTrendsDropOff: z.boolean().nullable().optional(),
  includeRecordings: z.boolean().nullable().optional(),
  ...LIST_TEST_ACCOUNTS,
});
export type FunnelsActorsQuery = z.infer<typeof FunnelsActorsQuery>;

export const ActorsQuery = z.object({
  kind: z.literal('ActorsQuery'),
  source: z
    .discriminatedUnion('kind', [InsightActorsQuery, FunnelsActorsQuery])
    .nullable()
    .optional(),
  select: z.array(z.string()).nullable().optional(),
  orderBy: z.array(z.string()).nullable().optional(),
  search: z.string().max(200).nullable().optional(),
  properties: z.array(AnyPropertyFilter).nullable().optional(),
  limit: z.number().int().min(1).max(10_000).nullable().optional(),
  offset: z.number().int().min(0).nullable().optional(),
  ...LIST_TEST_ACCOUNTS,
});
export type ActorsQuery = z.infer<typeof ActorsQuery>;
