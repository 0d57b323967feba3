import type { Actor } from '../plan/actor.js';
import type { Predicate } from '../plan/predicates.js';
import {
  type ExperimentMetric,
  type ExperimentParameters,
  metricFilters,
  type VariantWeight,
} from './definition.js';

// Stage 2 of experiment results: the definition and the flag's binding -> one exposure statement
// and one statement per metric, with everything the SQL needs and nothing it must look up.

export interface ExposurePlan {
  readonly projectId: number;
  readonly flagKey: string;
  readonly actor: Actor;
  /** The experiment's variant keys; other `$feature_flag_response` values are not exposures. */
  readonly variants: readonly string[];
  readonly startMs: number;
  /** Exclusive: the end date, or now for a running experiment. */
  readonly endMs: number;
}

export interface ExperimentMetricPlan extends ExposurePlan {
  readonly metric: ExperimentMetric;
  readonly filters: { readonly main: Predicate | null; readonly denominator: Predicate | null };
  /** CUPED applies to count and mean metrics only (issue 6). */
  readonly cuped: boolean;
}

export interface ExperimentPlanInput {
  readonly projectId: number;
  readonly flagKey: string;
  readonly actor: Actor;
  readonly variants: readonly VariantWeight[];
  readonly parameters: ExperimentParameters;
  readonly metrics: readonly ExperimentMetric[];
  readonly startMs: number;
  /** Exclusive end: the experiment's end date, or now while it runs. */
  readonly endMs: number;
}

export interface ExperimentPlan {
  readonly exposures: ExposurePlan;
  readonly metrics: readonly ExperimentMetricPlan[];
}

export function planExperiment(input: ExperimentPlanInput): ExperimentPlan {
  const exposures: ExposurePlan = {
    projectId: input.projectId,
    flagKey: input.flagKey,
    actor: input.actor,
    variants: input.variants.map((v) => v.key),
    startMs: input.startMs,
    endMs: Math.max(input.startMs, input.endMs),
  };
  return {
    exposures,
    metrics: input.metrics.map((metric, i) => ({
      ...exposures,
      metric,
      filters: metricFilters(metric, `metrics[${i}]`),
      cuped: input.parameters.cuped && (metric.kind === 'count' || metric.kind === 'mean'),
    })),
  };
}
