import { z } from 'zod';
import { PropertiesInput } from './filters.js';
import {
  BreakdownFilter,
  CompareFilter,
  DateRange,
  EventsNode,
  GroupTypeIndex,
  Interval,
} from './nodes.js';

export const TRENDS_DISPLAYS = [
  'Auto',
  'ActionsLineGraph',
  'ActionsBar',
  'ActionsUnstackedBar',
  'ActionsStackedBar',
  'ActionsAreaGraph',
  'ActionsLineGraphCumulative',
  'BoldNumber',
  'ActionsPie',
  'ActionsBarValue',
  'ActionsTable',
  'WorldMap',
  'CalendarHeatmap',
] as const;
export type TrendsDisplay = (typeof TRENDS_DISPLAYS)[number];

/** Displays that show one number per series: the aggregate is recomputed over the whole range. */
export const TOTAL_VALUE_DISPLAYS: ReadonlySet<TrendsDisplay> = new Set([
  'BoldNumber',
  'ActionsPie',
  'ActionsBarValue',
  'ActionsTable',
  'WorldMap',
]);

export const FormulaNode = z.object({
  formula: z.string().min(1).max(500),
  custom_name: z.string().nullable().optional(),
});

export const TrendsFilter = z.object({
  display: z.enum(TRENDS_DISPLAYS).nullable().optional(),
  /** Series are lettered A, B, C...: `(A / 3600) / B`. */
  formula: z.string().min(1).max(500).nullable().optional(),
  /** PostHog's newer form: several formulas, each its own result set. */
  formulaNodes: z.array(FormulaNode).nullable().optional(),
  /** Deprecated in PostHog in favour of compareFilter; still honoured. */
  compare: z.boolean().nullable().optional(),
  smoothingIntervals: z.number().int().min(1).nullable().optional(),
});
export type TrendsFilter = z.infer<typeof TrendsFilter>;

export const TrendsQuery = z.object({
  kind: z.literal('TrendsQuery'),
  series: z.array(EventsNode).min(1).max(26),
  dateRange: DateRange.nullable().optional(),
  interval: Interval.default('day'),
  properties: PropertiesInput.nullable().optional(),
  breakdownFilter: BreakdownFilter.nullable().optional(),
  trendsFilter: TrendsFilter.nullable().optional(),
  compareFilter: CompareFilter.nullable().optional(),
  aggregation_group_type_index: GroupTypeIndex.nullable().optional(),
  /** The project's test-account filters join `properties` (test-account-filters.ts). */
  filterTestAccounts: z.boolean().nullable().optional(),
});
export type TrendsQuery = z.infer<typeof TrendsQuery>;
