import { experimentStats } from '@tally/query';
import { Hono } from 'hono';
import { z } from 'zod';
import { ServerError } from '../errors.js';
import type { ApiAuth } from './auth.js';
import { apiErrorNamingQueryPath, bodyOf, parseBody } from './respond.js';

// Planning an experiment before running it (§3.5): how many units each variant needs to detect
// an effect, and how long that takes; or, for a given size, the smallest effect it can detect.
// `POST /api/projects/:id/experiments/plan`. Units are the flag's (tenants by default).
// Two-sided test at `alpha` with `power`; the effect is absolute (`mde`) or relative to the
// baseline (`relative_mde`).

const Common = {
  alpha: z.number().gt(0).lt(1).default(0.05),
  power: z.number().gt(0).lt(1).default(0.8),
  variants: z.number().int().min(2).max(20).default(2),
  /** Units entering the experiment per day, all variants together: gives `days_needed`. */
  entrants_per_day: z.number().positive().optional(),
  mde: z.number().positive().optional(),
  relative_mde: z.number().positive().optional(),
  /** Given: answer the detectable effect instead of the size. */
  sample_size_per_variant: z.number().int().min(2).optional(),
};
const Plan = z.discriminatedUnion('metric', [
  z.object({ metric: z.literal('proportion'), baseline_rate: z.number().gt(0).lt(1), ...Common }),
  z.object({
    metric: z.literal('mean'),
    mean: z.number().refine((m) => m !== 0, 'the baseline mean must not be 0'),
    variance: z.number().positive(),
    ...Common,
  }),
]);
type Plan = z.infer<typeof Plan>;

export function createExperimentPlanRoutes(
  projectOf: (raw: string) => Promise<unknown>,
): Hono<{ Variables: { auth: ApiAuth } }> {
  const api = new Hono<{ Variables: { auth: ApiAuth } }>();
  api.post('/projects/:projectId/experiments/plan', async (c) => {
    try {
      await projectOf(c.req.param('projectId'));
      return c.json(plan(parseBody(Plan, await bodyOf(c))));
    } catch (error) {
      return apiErrorNamingQueryPath(c, error);
    }
  });
  return api;
}

function plan(input: Plan) {
  const baseline = input.metric === 'proportion' ? input.baseline_rate : input.mean;
  const variance =
    input.metric === 'proportion'
      ? input.baseline_rate * (1 - input.baseline_rate)
      : input.variance;
  const options = { alpha: input.alpha, power: input.power };
  const common = {
    metric: input.metric,
    alpha: input.alpha,
    power: input.power,
    variants: input.variants,
  };
  if (input.sample_size_per_variant !== undefined) {
    const n = input.sample_size_per_variant;
    return {
      ...common,
      sample_size_per_variant: n,
      mde: experimentStats.minimumDetectableEffect({
        variance,
        sampleSizePerVariant: n,
        ...options,
      }),
      relative_mde: nullIfInfinite(
        experimentStats.minimumDetectableLift({
          mean: baseline,
          variance,
          sampleSizePerVariant: n,
          ...options,
        }),
      ),
    };
  }
  const mde = input.mde ?? (input.relative_mde ?? 0) * Math.abs(baseline);
  if (mde === 0)
    throw new ServerError('invalid_body', 'mde (or relative_mde, or sample_size_per_variant)');
  const n = experimentStats.sampleSizeForMean({ variance, mde, ...options });
  return {
    ...common,
    mde,
    relative_mde: mde / Math.abs(baseline),
    sample_size_per_variant: n,
    total_sample_size: n * input.variants,
    days_needed:
      input.entrants_per_day === undefined
        ? null
        : experimentStats.daysNeeded({
            sampleSizePerVariant: n,
            variantCount: input.variants,
            entrantsPerDay: input.entrants_per_day,
          }),
  };
}

const nullIfInfinite = (x: number): number | null => (Number.isFinite(x) ? x : null);
