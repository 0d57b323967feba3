import { evaluateFlag, type FlagEnvironment, flagDefinitionSchema } from '@tally/flags';
import { experimentStats as s } from '@tally/query';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../dataset.js';
import { binomialInterval } from './binomial.js';

// Issue 6, Done-when (statistical half): simulated experiments whose assignment is the product's
// real tenant bucketing (`evaluateFlag` on a `new-ticket-form` 50/50 flag) and whose outcomes come
// from a seeded RNG. A/A over 200 seeds: SRM warnings stay rare and the false-decision rates of
// both engines match their nominal rates; with a known effect at the size the planning function
// asks for (80% power), the Bayesian verdict finds the right direction in most seeds. Every
// assertion is a binomial bound computed here, never an observed count.

const SEEDS = 200;
const ALPHA = 0.05;
const WEIGHTS = [0.5, 0.5];
/** A/A tenants per seed: ~200 per variant, twice the minimum sample (100 units per variant). */
const AA_TENANTS = 400;

const BASE_CONVERSION = 0.3;
const LIFTED_CONVERSION = 0.36;
/** Per-tenant mean resolution hours: lognormal, median 20 h, log-sd 0.5 (CV ≈ 0.53). */
const RESOLUTION_LOG_MEAN = Math.log(20);
const RESOLUTION_LOG_SD = 0.5;
const RESOLUTION_EFFECT = 0.85; // the test variant resolves tickets 15% faster

const flag = flagDefinitionSchema.parse({
  id: 6,
  key: 'new-ticket-form',
  active: true,
  filters: {
    aggregation_group_type_index: 0,
    groups: [{ properties: [], rollout_percentage: 100 }],
    // 50/50, the split the SRM check tests against.
    multivariate: {
      variants: ['control', 'test'].map((key, i) => ({
        key,
        rollout_percentage: 100 * (WEIGHTS[i] ?? 0),
      })),
    },
  },
});
const env: FlagEnvironment = { groupTypeMapping: { '0': 'tenant' }, cohorts: {}, flags: [flag] };

interface Arm {
  conversion: { kind: 'proportion'; n: number; s: number };
  resolution: { kind: 'mean'; n: number; sum: number; sumSq: number };
}

function emptyArm(): Arm {
  return {
    conversion: { kind: 'proportion', n: 0, s: 0 },
    resolution: { kind: 'mean', n: 0, sum: 0, sumSq: 0 },
  };
}

interface Effects {
  testConversion: number;
  testResolutionFactor: number;
}

const NO_EFFECT: Effects = { testConversion: BASE_CONVERSION, testResolutionFactor: 1 };

/**
 * One simulated experiment: tenants `tenant-<seed>-<i>` bucketed by the real flag, each drawing
 * the same uniforms whatever its variant (a conversion coin and a lognormal resolution mean).
 */
function simulate(seed: number, tenants: number, effects: Effects): { control: Arm; test: Arm } {
  const random = mulberry32(seed * 7919 + tenants);
  const arms = { control: emptyArm(), test: emptyArm() };
  for (let i = 0; i < tenants; i++) {
    const tenant = `tenant-${seed}-${i}`;
    const result = evaluateFlag(flag, { distinctId: `agent-${tenant}`, groups: { tenant } }, env);
    if (result.inconclusive || (result.value !== 'control' && result.value !== 'test')) {
      throw new Error(`unexpected flag answer for ${tenant}: ${JSON.stringify(result)}`);
    }
    const isTest = result.value === 'test';
    const converted = random() < (isTest ? effects.testConversion : BASE_CONVERSION);
    // Box–Muller; 1 − u keeps the logarithm finite.
    const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const hours =
      Math.exp(RESOLUTION_LOG_MEAN + RESOLUTION_LOG_SD * normal) *
      (isTest ? effects.testResolutionFactor : 1);
    const arm = arms[result.value];
    arm.conversion.n += 1;
    arm.conversion.s += converted ? 1 : 0;
    arm.resolution.n += 1;
    arm.resolution.sum += hours;
    arm.resolution.sumSq += hours * hours;
  }
  return arms;
}

const percent = (count: number, total = SEEDS) => `${((100 * count) / total).toFixed(1)}%`;
const summary: Array<{ measure: string; observed: string; expected: string }> = [];

afterAll(() => {
  console.log(`Simulated experiments (issue 6), ${SEEDS} seeds each:`);
  console.table(summary);
});

function record(measure: string, observed: number | string, expected: string): void {
  const shown =
    typeof observed === 'number' ? `${observed}/${SEEDS} (${percent(observed)})` : observed;
  summary.push({ measure, observed: shown, expected });
}

interface Moments {
  mean: number;
  variance: number;
}

/**
 * True power of the "won" rule (CTW ≥ 0.95 on the relative lift, flat prior: a one-sided 5% test)
 * with n units per arm, from the delta-method SE of the lift at the true moments (§3.3).
 */
function rulePower(truth: { control: Moments; test: Moments }, n: number): number {
  const { control, test } = truth;
  const ratio = test.mean / control.mean;
  const variance = (test.variance + ratio * ratio * control.variance) / (n * control.mean ** 2);
  const oneSided = 1 - s.DEFAULT_WIN_THRESHOLD;
  return s.powerOfTest({
    effect: ratio - 1,
    standardError: Math.sqrt(variance),
    alpha: 2 * oneSided,
  });
}

function verdictStatus(verdict: s.Verdict): string {
  if (verdict.status === 'not_enough_data' || verdict.status === 'undefined_effect') {
    throw new Error(`no verdict: ${JSON.stringify(verdict)}`);
  }
  return verdict.status;
}

function frequentistPValue(control: Arm, test: Arm, metric: keyof Arm): number {
  if (metric === 'conversion')
    return s.twoProportionZTest(control.conversion, test.conversion).pValue;
  const effect = s.estimateEffect(
    s.meanMoments(control.resolution, 'control'),
    s.meanMoments(test.resolution, 'treatment'),
  );
  if (!effect.defined) throw new Error('absolute effects are always defined');
  return s.welchTest(effect, { alpha: ALPHA }).pValue;
}

function pool(runs: ReadonlyArray<{ control: Arm; test: Arm }>): { control: Arm; test: Arm } {
  const total = { control: emptyArm(), test: emptyArm() };
  for (const run of runs) {
    for (const side of ['control', 'test'] as const) {
      const into = total[side];
      const from = run[side];
      into.conversion.n += from.conversion.n;
      into.conversion.s += from.conversion.s;
      into.resolution.n += from.resolution.n;
      into.resolution.sum += from.resolution.sum;
      into.resolution.sumSq += from.resolution.sumSq;
    }
  }
  return total;
}

describe('simulated A/A experiment over 200 seeds (issue 6)', () => {
  const runs = Array.from({ length: SEEDS }, (_, seed) =>
    simulate(seed + 1, AA_TENANTS, NO_EFFECT),
  );

  it('meets the minimum sample in every seed and rarely warns of a sample ratio mismatch', () => {
    for (const { control, test } of runs) {
      expect(s.checkMinimumSample([control.conversion, test.conversion])).toEqual({ enough: true });
      expect(s.checkMinimumSample([control.resolution, test.resolution])).toEqual({ enough: true });
    }
    const warnings = runs.filter(
      ({ control, test }) => s.srmTest([control.conversion.n, test.conversion.n], WEIGHTS).warn,
    ).length;
    record('A/A SRM warnings (p < 0.001)', warnings, 'about 0.1%, at most 2');
    expect(warnings).toBeLessThanOrEqual(2);
  });

  it.each(['conversion', 'resolution'] as const)(
    'keeps the frequentist false-positive rate of %s at alpha 0.05',
    (metric) => {
      const [lower, upper] = binomialInterval(SEEDS, ALPHA);
      const positives = runs.filter(
        ({ control, test }) => frequentistPValue(control, test, metric) < ALPHA,
      ).length;
      record(
        `A/A ${metric}: frequentist p < 0.05`,
        positives,
        `${lower}-${upper} (99% of Bin(200, 0.05))`,
      );
      expect(positives).toBeGreaterThanOrEqual(lower);
      expect(positives).toBeLessThanOrEqual(upper);
    },
  );

  // "No false win": with a flat prior, CTW ≥ 0.95 is a one-sided 5% rule, so an A/A test "wins"
  // in 5% of seeds and is decisive (won or lost) in 10%. No false win means these rates stay at
  // the rule's nominal rates: each count within the 99% binomial interval around them.
  it.each([
    { metric: 'conversion', lowerIsBetter: false },
    { metric: 'resolution', lowerIsBetter: true },
  ] as const)(
    'keeps the Bayesian false wins of $metric at the nominal rate',
    ({ metric, lowerIsBetter }) => {
      const statuses = runs.map(({ control, test }) =>
        verdictStatus(s.experimentVerdict(control[metric], test[metric], { lowerIsBetter })),
      );
      const wins = statuses.filter((status) => status === 'won').length;
      const decisive = statuses.filter((status) => status !== 'inconclusive').length;
      const [winLower, winUpper] = binomialInterval(SEEDS, 1 - s.DEFAULT_WIN_THRESHOLD);
      const nominalDecisive = 1 - s.DEFAULT_WIN_THRESHOLD + s.DEFAULT_LOSE_THRESHOLD;
      const [decisiveLower, decisiveUpper] = binomialInterval(SEEDS, nominalDecisive);
      record(
        `A/A ${metric}: Bayesian "won"`,
        wins,
        `${winLower}-${winUpper} (99% of Bin(200, 0.05))`,
      );
      record(
        `A/A ${metric}: Bayesian won or lost`,
        decisive,
        `${decisiveLower}-${decisiveUpper} (99% of Bin(200, 0.10))`,
      );
      expect(wins).toBeGreaterThanOrEqual(winLower);
      expect(wins).toBeLessThanOrEqual(winUpper);
      expect(decisive).toBeGreaterThanOrEqual(decisiveLower);
      expect(decisive).toBeLessThanOrEqual(decisiveUpper);
    },
  );
});

describe('simulated experiment with a known effect (issue 6)', () => {
  // Units per variant for 80% power of a two-sided 5% test, from the planning function; the
  // simulation enrols twice that many tenants and lets the flag split them.
  const resolutionVariance =
    (Math.exp(RESOLUTION_LOG_SD ** 2) - 1) *
    Math.exp(2 * RESOLUTION_LOG_MEAN + RESOLUTION_LOG_SD ** 2);
  const resolutionMean = Math.exp(RESOLUTION_LOG_MEAN + RESOLUTION_LOG_SD ** 2 / 2);
  const cases = [
    {
      metric: 'resolution',
      lowerIsBetter: true,
      effect: { ...NO_EFFECT, testResolutionFactor: RESOLUTION_EFFECT },
      perVariant: s.sampleSizeForMean({
        variance: resolutionVariance,
        mde: (1 - RESOLUTION_EFFECT) * resolutionMean,
      }),
      truth: {
        control: { mean: resolutionMean, variance: resolutionVariance },
        test: {
          mean: RESOLUTION_EFFECT * resolutionMean,
          variance: RESOLUTION_EFFECT ** 2 * resolutionVariance,
        },
      },
      label: 'resolution hours -15%',
    },
    {
      metric: 'conversion',
      lowerIsBetter: false,
      effect: { ...NO_EFFECT, testConversion: LIFTED_CONVERSION },
      perVariant: s.sampleSizeForProportion({
        baselineRate: BASE_CONVERSION,
        mde: LIFTED_CONVERSION - BASE_CONVERSION,
      }),
      truth: {
        control: { mean: BASE_CONVERSION, variance: BASE_CONVERSION * (1 - BASE_CONVERSION) },
        test: { mean: LIFTED_CONVERSION, variance: LIFTED_CONVERSION * (1 - LIFTED_CONVERSION) },
      },
      label: 'conversion 0.30 -> 0.36',
    },
  ] as const;

  it.each(cases)(
    'recovers the direction of $label at the planned sample size',
    ({ metric, lowerIsBetter, effect, perVariant, truth, label }) => {
      const runs = Array.from({ length: SEEDS }, (_, seed) =>
        simulate(1000 + seed, 2 * perVariant, effect),
      );
      const wins = runs.filter(
        ({ control, test }) =>
          verdictStatus(s.experimentVerdict(control[metric], test[metric], { lowerIsBetter })) ===
          'won',
      ).length;
      // The design power is 80% for the two-sided 5% test; the one-sided 95% rule is stronger, so
      // 80% is a floor: the win count must not fall below Bin(200, 0.8)'s lower 99% bound.
      const [powerFloor] = binomialInterval(SEEDS, s.DEFAULT_POWER);
      record(
        `${label} (n ${perVariant}/variant): CTW >= 0.95`,
        `${wins}/${SEEDS} (${percent(wins)})`,
        `>= ${powerFloor} (80% power); rule's true power ${percent(rulePower(truth, perVariant), 1)}`,
      );
      expect(wins).toBeGreaterThanOrEqual(powerFloor);

      const pooled = pool(runs);
      const verdict = s.experimentVerdict(pooled.control[metric], pooled.test[metric], {
        lowerIsBetter,
      });
      if (verdict.status !== 'won' || verdict.result.engine !== 'bayesian') {
        throw new Error(`pooled run: expected a Bayesian win, got ${verdict.status}`);
      }
      const pooledChance = verdict.result.bayesian.chanceToWin;
      record(`${label}: pooled ${SEEDS} seeds`, `CTW ${pooledChance.toFixed(6)}`, '> 0.95');
      expect(pooledChance).toBeGreaterThan(0.95);
      expect(Math.sign(verdict.effect.estimate)).toBe(lowerIsBetter ? -1 : 1);
    },
  );
});
