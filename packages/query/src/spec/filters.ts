import { z } from 'zod';

// Property filters in PostHog's shapes: `{type, key, operator, value}` leaves, combined either as
// a plain list (AND) or as a PropertyGroupFilter `{type: 'AND'|'OR', values: [...]}` tree.

export const PROPERTY_OPERATORS = [
  'exact',
  'is_not',
  'icontains',
  'not_icontains',
  'regex',
  'not_regex',
  'gt',
  'gte',
  'lt',
  'lte',
  'min',
  'max',
  'is_set',
  'is_not_set',
  'in',
  'not_in',
  'between',
  'not_between',
] as const;
export type PropertyOperator = (typeof PROPERTY_OPERATORS)[number];

const scalar = z.union([z.string(), z.number(), z.boolean()]);
export const PropertyValue = z
  .union([scalar, z.array(scalar)])
  .nullable()
  .optional();

/** A property name as stored in the JSON: any non-empty string without control characters. */
export const PropertyKey = z
  .string()
  .min(1)
  .max(400)
  .refine((key) => ![...key].some((char) => char.charCodeAt(0) < 32), 'no control characters');

/** The fields every property leaf has, for shapes that extend one (cohort leaves). */
export const PROPERTY_LEAF_SHAPE = {
  key: PropertyKey,
  operator: z.enum(PROPERTY_OPERATORS).default('exact'),
  value: PropertyValue,
  label: z.string().optional(),
};

export const EventPropertyFilter = z
  .object({ type: z.literal('event'), ...PROPERTY_LEAF_SHAPE })
  .superRefine(checkOperatorValue);
export const PersonPropertyFilter = z
  .object({ type: z.literal('person'), ...PROPERTY_LEAF_SHAPE })
  .superRefine(checkOperatorValue);
export const GroupPropertyFilter = z
  .object({
    type: z.literal('group'),
    ...PROPERTY_LEAF_SHAPE,
    group_type_index: z.number().int().min(0).max(4),
  })
  .superRefine(checkOperatorValue);
/**
 * `{type: 'cohort', key: 'id', value: <cohort id>}`: the event's person is in the cohort at the
 * query's now (`operator: 'not_in'` negates; a personless event is in no cohort). Definitions
 * come from RunQueryOptions.cohorts; an unknown id is a 400 (cohorts/filters.ts).
 */
export const CohortPropertyFilter = z.object({
  type: z.literal('cohort'),
  key: z.literal('id').default('id'),
  value: z.number().int(),
  operator: z.enum(['in', 'not_in']).default('in'),
});

export const AnyPropertyFilter = z.discriminatedUnion('type', [
  EventPropertyFilter,
  PersonPropertyFilter,
  GroupPropertyFilter,
  CohortPropertyFilter,
]);
export type AnyPropertyFilter = z.infer<typeof AnyPropertyFilter>;
export type LeafPropertyFilter = Exclude<AnyPropertyFilter, { type: 'cohort' }>;

export interface PropertyGroupFilter {
  type: 'AND' | 'OR';
  values: Array<PropertyGroupFilter | AnyPropertyFilter>;
}

export const PropertyGroupFilter: z.ZodType<PropertyGroupFilter> = z.lazy(() =>
  z.object({
    type: z.enum(['AND', 'OR']),
    values: z.array(z.union([PropertyGroupFilter, AnyPropertyFilter])),
  }),
);

/** What `properties` accepts on a query: a list (all must hold) or a group tree. */
export const PropertiesInput = z.union([z.array(AnyPropertyFilter), PropertyGroupFilter]);
export type PropertiesInput = z.infer<typeof PropertiesInput>;

type Scalar = z.infer<typeof scalar>;

const isNumeric = (value: unknown): boolean =>
  typeof value === 'number'
    ? Number.isFinite(value)
    : typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value));

/** The value each operator needs, checked here so the error names `...value`. */
export function checkOperatorValue(
  filter: { operator: PropertyOperator; value?: Scalar | Scalar[] | null | undefined },
  ctx: z.RefinementCtx,
): void {
  const { operator, value } = filter;
  const fail = (message: string): void => {
    ctx.addIssue({ code: 'custom', path: ['value'], message });
  };
  switch (operator) {
    case 'is_set':
    case 'is_not_set':
      return;
    case 'exact':
    case 'is_not':
    case 'in':
    case 'not_in':
      if (value === null || value === undefined || (Array.isArray(value) && value.length === 0))
        fail('expected a value or a non-empty list of values');
      return;
    case 'icontains':
    case 'not_icontains':
      if (typeof value !== 'string' && typeof value !== 'number') fail('expected a string');
      return;
    case 'regex':
    case 'not_regex':
      if (typeof value !== 'string') {
        fail('expected a regular expression');
        return;
      }
      try {
        new RegExp(value);
      } catch {
        fail('expected a valid regular expression');
      }
      return;
    case 'between':
    case 'not_between':
      if (!Array.isArray(value) || value.length !== 2 || !value.every(isNumeric))
        fail('expected [min, max] numbers');
      return;
    default:
      if (!isNumeric(value)) fail('expected a number');
  }
}
