import { numberOf, runStatements } from '../run.js';
import type { SqlRow, SqlRunner } from '../runner.js';
import { type Dialect, DUCKDB } from '../sql/dialect.js';
import { MULTIPLE_VARIANTS } from '../sql/duckdb/experiments.js';
import { type ArmStats, type Comparison, compareArms } from './compare.js';
import {
  controlIndex,
  type ExperimentMetric,
  type FlagBinding,
  type VariantWeight,
} from './definition.js';
import { type ExperimentMetricPlan, type ExperimentPlanInput, planExperiment } from './plan.js';
import type { CovariateStats, MetricStats } from './stats/inputs.js';
import { type SrmResult, srmTest } from './stats/srm.js';

// An experiment's results: definition + flag -> plan -> SQL (one exposure statement, one per
// metric) -> run -> sufficient statistics per variant -> compare (compare.ts) -> shape.

export interface ExperimentResultsInput extends Omit<ExperimentPlanInput, 'actor'> {
  readonly flag: FlagBinding;
  readonly runner: SqlRunner;
}

export interface VariantResult {
  readonly key: string;
  /** The sufficient statistics (§3.1) the comparisons were computed from. */
  readonly stats: MetricStats & { readonly covariate?: CovariateStats };
  /** Conversion rate, mean per unit, or ΣM/ΣD; null without units (or ΣD = 0). */
  readonly value: number | null;
}

export interface MetricResult {
  readonly metric: ExperimentMetric;
  readonly variants: readonly VariantResult[];
  readonly comparisons: readonly Comparison[];
}

export interface ExperimentResults {
  /** Exposed units per variant (0 included) and `$multiple`: units seen in several variants. */
  readonly exposures: Readonly<Record<string, number>>;
  readonly control: string;
  /** χ² of the exposures against the weights; null before two weighted arms have units. */
  readonly srm: (SrmResult & { readonly expected: Readonly<Record<string, number>> }) | null;
  readonly minimum_sample: {
    readonly minimum_exposed_units: number;
    readonly enough: boolean;
    readonly variants_below: readonly string[];
  };
  readonly metrics: readonly MetricResult[];
}

/**
 * Runs and computes an experiment's results.
 * @example
 * const results = await runExperimentResults({ projectId: 1, flagKey: 'new-form',
 *   flag: flagBinding(flag.filters), variants, parameters, metrics, startMs, endMs, runner });
 */
export async function runExperimentResults(
  input: ExperimentResultsInput,
  dialect: Dialect = DUCKDB,
): Promise<ExperimentResults> {
  const plan = planExperiment({ ...input, actor: input.flag.actor });
  const [exposureRows = [], ...metricRows] = await runStatements(
    [
      dialect.experimentExposures(plan.exposures),
      ...plan.metrics.map((m) => dialect.experimentMetric(m)),
    ],
    input.runner,
  );
  const exposures: Record<string, number> = {};
  for (const v of input.variants) exposures[v.key] = 0;
  exposures[MULTIPLE_VARIANTS] = 0;
  for (const row of exposureRows) exposures[String(row.variant)] = numberOf(row.n);
  const control = controlIndex(input.variants);
  const min = input.parameters.minimum_exposed_units;
  const below = input.variants.filter((v) => (exposures[v.key] ?? 0) < min).map((v) => v.key);
  return {
    exposures,
    control: input.variants[control]?.key ?? '',
    srm: srmOf(input.variants, exposures),
    minimum_sample: {
      minimum_exposed_units: min,
      enough: below.length === 0,
      variants_below: below,
    },
    metrics: plan.metrics.map((metricPlan, i) =>
      metricResult(metricPlan, metricRows[i] ?? [], input, control),
    ),
  };
}

function srmOf(
  variants: readonly VariantWeight[],
  exposures: Readonly<Record<string, number>>,
): ExperimentResults['srm'] {
  const observed = variants.map((v) => exposures[v.key] ?? 0);
  const weights = variants.map((v) => v.rollout_percentage);
  const total = observed.reduce((a, b) => a + b, 0);
  if (total === 0 || weights.filter((w) => w > 0).length < 2) return null;
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const expected = Object.fromEntries(
    variants.map((v) => [v.key, (total * v.rollout_percentage) / weightSum]),
  );
  return { ...srmTest(observed, weights), expected };
}

function metricResult(
  plan: ExperimentMetricPlan,
  rows: readonly SqlRow[],
  input: ExperimentResultsInput,
  control: number,
): MetricResult {
  const byVariant = new Map(rows.map((row) => [String(row.variant), row]));
  const arms: ArmStats[] = input.variants.map((v) => {
    const row = byVariant.get(v.key) ?? {};
    const n = numberOf(row.n);
    const covariate = plan.cuped
      ? { sumX: numberOf(row.sum_x), sumX2: numberOf(row.sum_x2), sumXY: numberOf(row.sum_xy) }
      : undefined;
    return {
      key: v.key,
      stats: statsOf(plan.metric, n, row),
      ...(covariate === undefined ? {} : { covariate }),
    };
  });
  return {
    metric: plan.metric,
    variants: arms.map((arm) => ({
      key: arm.key,
      stats: arm.covariate === undefined ? arm.stats : { ...arm.stats, covariate: arm.covariate },
      value: metricValue(arm.stats),
    })),
    comparisons: compareArms(arms, control, {
      engine: input.parameters.engine,
      alpha: input.parameters.alpha,
      lowerIsBetter: plan.metric.lower_is_better,
      minExposedUnits: input.parameters.minimum_exposed_units,
    }),
  };
}

function statsOf(metric: ExperimentMetric, n: number, row: SqlRow): MetricStats {
  const sumY = numberOf(row.sum_y);
  switch (metric.kind) {
    case 'proportion':
    case 'funnel':
      return { kind: 'proportion', n, s: sumY };
    case 'ratio':
      return {
        kind: 'ratio',
        n,
        sumM: sumY,
        sumD: numberOf(row.sum_d),
        sumM2: numberOf(row.sum_y2),
        sumD2: numberOf(row.sum_d2),
        sumMD: numberOf(row.sum_yd),
      };
    default:
      return { kind: 'mean', n, sum: sumY, sumSq: numberOf(row.sum_y2) };
  }
}

function metricValue(stats: MetricStats): number | null {
  if (stats.n === 0) return null;
  switch (stats.kind) {
    case 'proportion':
      return stats.s / stats.n;
    case 'mean':
      return stats.sum / stats.n;
    case 'ratio':
      return stats.sumD === 0 ? null : stats.sumM / stats.sumD;
  }
}
