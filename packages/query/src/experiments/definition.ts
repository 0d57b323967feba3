import { z } from 'zod';
import { formatPath, QueryError } from '../errors.js';
import { type Actor, actorFor } from '../plan/actor.js';
import { type Predicate, toPredicate } from '../plan/predicates.js';
import { PropertiesInput } from '../spec/filters.js';

// An experiment's definition in PostHog-like field names (issue 6, item 3): the flag it binds,
// the variants and their weights, the statistics options, and its metrics. Validated once with
// zod; an error names the field (`metrics[1].property`), never the value sent.

export const DEFAULT_CONVERSION_WINDOW_DAYS = 14;
/** The CUPED pre-period before each unit's exposure (GrowthBook's default, §3.3). */
export const CUPED_PRE_PERIOD_DAYS = 14;

const EventName = z.string().min(1).max(400);
const PropertyName = z.string().min(1).max(400);

const ExperimentVariant = z.object({
  key: z.string().min(1).max(400),
  rollout_percentage: z.number().min(0).max(100).optional(),
});

export const ExperimentParameters = z.object({
  /** Defaults to the flag's multivariate variants; keys must be the flag's. */
  feature_flag_variants: z.array(ExperimentVariant).min(2).max(20).optional(),
  minimum_exposed_units: z.number().int().min(0).max(1_000_000_000).default(100),
  alpha: z.number().gt(0).lt(1).default(0.05),
  engine: z.enum(['bayesian', 'frequentist']).default('bayesian'),
  cuped: z.boolean().default(false),
});
export type ExperimentParameters = z.infer<typeof ExperimentParameters>;

const common = {
  name: z.string().max(400).optional(),
  lower_is_better: z.boolean().default(false),
};
/** One side of a ratio: the count of `event`, or the sum of its numeric `property`. */
const RatioSide = z.object({
  event: EventName,
  property: PropertyName.optional(),
  properties: PropertiesInput.optional(),
});

export const ExperimentMetric = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('proportion'),
    event: EventName,
    properties: PropertiesInput.optional(),
    ...common,
  }),
  z.object({
    kind: z.literal('count'),
    event: EventName,
    properties: PropertiesInput.optional(),
    ...common,
  }),
  z.object({
    kind: z.literal('mean'),
    event: EventName,
    property: PropertyName,
    properties: PropertiesInput.optional(),
    ...common,
  }),
  z.object({ kind: z.literal('ratio'), numerator: RatioSide, denominator: RatioSide, ...common }),
  z.object({
    kind: z.literal('funnel'),
    steps: z.array(EventName).min(2).max(10),
    conversion_window_days: z
      .number()
      .int()
      .min(1)
      .max(365)
      .default(DEFAULT_CONVERSION_WINDOW_DAYS),
    ...common,
  }),
]);
export type ExperimentMetric = z.infer<typeof ExperimentMetric>;
export type ExperimentMetricKind = ExperimentMetric['kind'];

export const ExperimentDefinition = z.object({
  name: z.string().min(1).max(400),
  description: z.string().max(4000).default(''),
  feature_flag_key: z.string().min(1).max(400),
  parameters: ExperimentParameters.default({
    minimum_exposed_units: 100,
    alpha: 0.05,
    engine: 'bayesian',
    cuped: false,
  }),
  metrics: z.array(ExperimentMetric).min(1).max(20),
});
export type ExperimentDefinition = z.infer<typeof ExperimentDefinition>;

function parseWith<T>(schema: z.ZodType<T>, input: unknown, prefix: readonly PropertyKey[]): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new QueryError('invalid_query', formatPath([...prefix, ...(issue?.path ?? [])]));
}

/**
 * Validates a whole definition; throws QueryError `invalid_query` naming the first bad field.
 * @example
 * parseExperimentDefinition({ name: 'New form', feature_flag_key: 'new-form',
 *   metrics: [{ kind: 'proportion', event: 'ticket_created' }] });
 */
export function parseExperimentDefinition(input: unknown): ExperimentDefinition {
  const definition = parseWith(ExperimentDefinition, input, []);
  definition.metrics.forEach((metric, i) => {
    metricFilters(metric, `metrics[${i}]`);
  });
  return definition;
}

/** The `metrics` list alone (a PATCH), validated as in a definition. */
export function parseExperimentMetrics(input: unknown): ExperimentMetric[] {
  const metrics = parseWith(ExperimentDefinition.shape.metrics, input, ['metrics']);
  metrics.forEach((metric, i) => {
    metricFilters(metric, `metrics[${i}]`);
  });
  return metrics;
}

/** The `parameters` alone (a PATCH), with defaults. */
export function parseExperimentParameters(input: unknown): ExperimentParameters {
  return parseWith(ExperimentParameters, input, ['parameters']);
}

/** A metric's event filters as predicates; cohort filters are refused (not resolved here). */
export function metricFilters(
  metric: ExperimentMetric,
  path: string,
): { main: Predicate | null; denominator: Predicate | null } {
  const check = (input: PropertiesInput | undefined, at: string): Predicate | null => {
    const predicate = toPredicate(input, at);
    if (predicate !== null && hasCohort(predicate))
      throw new QueryError('invalid_query', at, 'cohort filters are not supported in metrics');
    return predicate;
  };
  switch (metric.kind) {
    case 'funnel':
      return { main: null, denominator: null };
    case 'ratio':
      return {
        main: check(metric.numerator.properties, `${path}.numerator.properties`),
        denominator: check(metric.denominator.properties, `${path}.denominator.properties`),
      };
    default:
      return { main: check(metric.properties, `${path}.properties`), denominator: null };
  }
}

function hasCohort(predicate: Predicate): boolean {
  if (predicate.kind === 'cohort') return true;
  return predicate.kind !== 'property' && predicate.children.some(hasCohort);
}

/** A variant with its weight, as the experiment splits exposures. */
export interface VariantWeight {
  readonly key: string;
  readonly rollout_percentage: number;
}

/** What an experiment needs from its flag: the multivariate variants and the aggregation. */
export interface FlagBinding {
  readonly variants: readonly VariantWeight[];
  /** The unit of randomisation: `group` = the flag's aggregation group type, else the person. */
  readonly actor: Actor;
}

/**
 * Reads a flag's `filters` (PostHog's shape): its multivariate variants and its unit. A flag
 * without at least two variants cannot run an experiment: `invalid_query` at `feature_flag_key`.
 */
export function flagBinding(filters: unknown): FlagBinding {
  const f = (filters ?? {}) as {
    multivariate?: { variants?: Array<{ key?: unknown; rollout_percentage?: unknown }> } | null;
    aggregation_group_type_index?: number | null;
  };
  const variants = (f.multivariate?.variants ?? []).map((v) => ({
    key: String(v.key),
    rollout_percentage: typeof v.rollout_percentage === 'number' ? v.rollout_percentage : 0,
  }));
  if (variants.length < 2)
    throw new QueryError('invalid_query', 'feature_flag_key', 'expected a multivariate flag');
  return { variants, actor: actorFor(f.aggregation_group_type_index ?? null) };
}

/**
 * The experiment's variants: the flag's, in the flag's order, with the weights the parameters
 * give (default: the flag's). Keys must be exactly the flag's (`parameters.feature_flag_variants`).
 */
export function resolveVariants(
  parameters: ExperimentParameters,
  flag: FlagBinding,
): VariantWeight[] {
  const given = parameters.feature_flag_variants;
  if (given === undefined) return flag.variants.map((v) => ({ ...v }));
  const path = 'parameters.feature_flag_variants';
  const byKey = new Map(given.map((v) => [v.key, v]));
  if (byKey.size !== given.length || byKey.size !== flag.variants.length)
    throw new QueryError('invalid_query', path, "expected the flag's variant keys, once each");
  return flag.variants.map((v) => {
    const mine = byKey.get(v.key);
    if (mine === undefined)
      throw new QueryError('invalid_query', path, "expected the flag's variant keys, once each");
    return { key: v.key, rollout_percentage: mine.rollout_percentage ?? v.rollout_percentage };
  });
}

/** The control: the variant keyed `control`, else the first. */
export function controlIndex(variants: readonly VariantWeight[]): number {
  const index = variants.findIndex((v) => v.key === 'control');
  return index === -1 ? 0 : index;
}
