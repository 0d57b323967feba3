import { QueryError } from '../errors.js';
import { type BreakdownFilter, GroupTypeIndex } from '../spec/nodes.js';
import { breakdownOf, type NormalizedBreakdown } from '../trends/series.js';

// Part of stage 1 (normalize): retention's property breakdown. Besides `breakdown` +
// `breakdown_type`, PostHog's retention runner takes its multiple-breakdowns form with one
// entry, `breakdowns: [{property, type, group_type_index}]`, which its newer clients send; that
// is read as the same breakdown. Cohorts in that form are refused: a cohort breakdown is
// `breakdown_type: 'cohort'` (run.ts runs it once per cohort).

const PROPERTY_TYPES = new Set(['event', 'person', 'group']);

export function retentionBreakdownOf(
  filter: BreakdownFilter | null | undefined,
): NormalizedBreakdown | null {
  return breakdownOf(singleBreakdown(filter));
}

function singleBreakdown(
  filter: BreakdownFilter | null | undefined,
): BreakdownFilter | null | undefined {
  const list = filter?.breakdowns;
  if (filter === null || filter === undefined || list === null || list === undefined) return filter;
  if (list.length !== 1 || (filter.breakdown !== null && filter.breakdown !== undefined))
    return filter;
  const path = 'breakdownFilter.breakdowns[0]';
  const item = list[0];
  if (item === null || typeof item !== 'object')
    throw new QueryError('invalid_query', path, 'expected {property, type}');
  const { property, type, group_type_index } = item as Record<string, unknown>;
  if ((typeof property !== 'string' || property === '') && typeof property !== 'number')
    throw new QueryError('invalid_query', `${path}.property`, 'expected a property name');
  const kind = type ?? 'event';
  if (typeof kind !== 'string' || !PROPERTY_TYPES.has(kind))
    throw new QueryError('not_implemented', `${path}.type`, 'event, person or group');
  let groupTypeIndex = filter.breakdown_group_type_index;
  if (group_type_index !== undefined && group_type_index !== null) {
    const parsed = GroupTypeIndex.safeParse(group_type_index);
    if (!parsed.success)
      throw new QueryError('invalid_query', `${path}.group_type_index`, 'expected 0 to 4');
    groupTypeIndex = parsed.data;
  }
  return {
    ...filter,
    breakdowns: null,
    breakdown: String(property),
    breakdown_type: kind as 'event' | 'person' | 'group',
    breakdown_group_type_index: groupTypeIndex ?? null,
  };
}
