import { z } from 'zod';

// PostHog's feature-flag shape, as its CRUD API stores it and its local-evaluation payload
// (`/flags/definitions`) serves it. Read as-is: the evaluator accepts any operator string so a
// definition written by a newer server still evaluates (inconclusively); write-time rules live
// in validate.ts.

/** Flag keys: letters, digits, `-` and `_` (PostHog's rule), at most 400 characters. */
export const FLAG_KEY_PATTERN = /^[A-Za-z0-9_-]+$/;
export const MAX_FLAG_KEY_LENGTH = 400;
/** PostHog supports five group types per project (indexes 0-4). */
export const MAX_GROUP_TYPE_INDEX = 4;

const jsonValue: z.ZodType<unknown> = z.unknown();
const groupTypeIndex = z.number().int().min(0).max(MAX_GROUP_TYPE_INDEX);
const percentage = z.number().min(0).max(100);

export const propertyFilterSchema = z.object({
  key: z.string().min(1),
  value: jsonValue.optional(),
  operator: z.string().min(1).optional(),
  type: z.enum(['person', 'group', 'cohort', 'flag']),
  group_type_index: groupTypeIndex.nullable().optional(),
  /** Cohort definitions can negate a filter. */
  negation: z.boolean().optional(),
  /**
   * Flag filters only: the keys to evaluate first, ending with the target; empty when the
   * dependencies form a cycle. `resolveFlagDependencies` fills it in as PostHog's server does.
   */
  dependency_chain: z.array(z.string()).optional(),
});

export interface PropertyGroup {
  type: 'AND' | 'OR' | 'property';
  values: ReadonlyArray<PropertyGroup | PropertyFilter>;
}

export const propertyGroupSchema: z.ZodType<PropertyGroup> = z.lazy(() =>
  z.object({
    type: z.enum(['AND', 'OR', 'property']),
    values: z.array(z.union([propertyGroupSchema, propertyFilterSchema])),
  }),
);

export const conditionSchema = z.object({
  properties: z.array(propertyFilterSchema).default([]),
  // Omitted or null: the whole group (100%), as PostHog reads it.
  rollout_percentage: percentage.nullable().default(null),
  variant: z.string().nullable().optional(),
  aggregation_group_type_index: groupTypeIndex.nullable().optional(),
  description: z.string().nullable().optional(),
});

export const variantSchema = z.object({
  key: z.string().min(1),
  name: z.string().nullable().optional(),
  rollout_percentage: percentage,
});

export const flagFiltersSchema = z.object({
  groups: z.array(conditionSchema).default([]),
  multivariate: z
    .object({ variants: z.array(variantSchema).min(1) })
    .nullable()
    .optional(),
  payloads: z.record(z.string(), jsonValue).optional(),
  aggregation_group_type_index: groupTypeIndex.nullable().optional(),
  /** Stop at the first condition whose filters match but whose rollout excludes the value. */
  early_exit: z.boolean().optional(),
  /** Experiment holdout, decided before the release conditions. */
  holdout: z
    .object({ id: z.number().int(), exclusion_percentage: percentage })
    .nullable()
    .optional(),
});

export const flagDefinitionSchema = z.object({
  id: z.number().int(),
  key: z.string().min(1).max(MAX_FLAG_KEY_LENGTH).regex(FLAG_KEY_PATTERN, {
    message: 'Only letters, digits, "-" and "_" are allowed',
  }),
  name: z.string().default(''),
  active: z.boolean(),
  deleted: z.boolean().default(false),
  ensure_experience_continuity: z.boolean().default(false),
  bucketing_identifier: z.enum(['distinct_id', 'device_id']).nullable().optional(),
  has_experiment: z.boolean().optional(),
  filters: flagFiltersSchema,
});

export type PropertyFilter = z.output<typeof propertyFilterSchema>;
export type FlagCondition = z.output<typeof conditionSchema>;
export type FlagVariant = z.output<typeof variantSchema>;
export type FlagFilters = z.output<typeof flagFiltersSchema>;
export type FlagDefinition = z.output<typeof flagDefinitionSchema>;
/** What callers may pass: defaults (`deleted`, `name`, ...) may be left out. */
export type FlagDefinitionInput = z.input<typeof flagDefinitionSchema>;
