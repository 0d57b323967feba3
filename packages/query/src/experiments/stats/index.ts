// Experiment statistics (§3 of analytics-semantics): pure functions on per-variant sufficient
// statistics. inputs -> effect -> engine (frequentist | Bayesian) -> verdict; SRM, power and
// CUPED alongside.

/// Bayesian engine
export type { BayesianOptions, BayesianResult, GaussianPrior } from './bayesian.js';
export { bayesianTest, DEFAULT_RELATIVE_PRIOR, expectedPositivePart } from './bayesian.js';
/// Distributions
export { chiSquareCdf, chiSquareSf } from './chi-square.js';
/// CUPED
export type { CupedArm, CupedArmResult, CupedResult } from './cuped.js';
export { cupedAdjust } from './cuped.js';
/// Effect
export type { Effect, EffectScale, UndefinedEffect } from './effect.js';
export { estimateEffect, welchDegreesOfFreedom } from './effect.js';
/// Frequentist engine
export type { Alternative, FrequentistOptions, Interval, WelchResult } from './frequentist.js';
export { DEFAULT_ALPHA, welchTest } from './frequentist.js';
/// Inputs
export type {
  CovariateStats,
  MeanStats,
  MetricStats,
  ProportionStats,
  RatioStats,
  VariantMoments,
} from './inputs.js';
export { meanMoments, proportionMoments, ratioMoments, variantMoments } from './inputs.js';
export { normalCdf, normalPdf, normalQuantile, normalSf } from './normal.js';
/// Power and sample size
export type { PowerOptions } from './power.js';
export {
  DEFAULT_POWER,
  daysNeeded,
  minimumDetectableEffect,
  minimumDetectableLift,
  powerOfTest,
  sampleSizeForMean,
  sampleSizeForProportion,
} from './power.js';
export type { ProportionInterval, TwoProportionResult } from './proportions.js';
export { proportionInterval, twoProportionZTest } from './proportions.js';
export { erfc, gammaP, gammaQ, incompleteBeta, logGamma } from './special-functions.js';
/// Sample ratio mismatch
export type { SrmResult } from './srm.js';
export { DEFAULT_SRM_THRESHOLD, srmTest } from './srm.js';
export { studentTCdf, studentTPdf, studentTQuantile, studentTSf } from './student-t.js';
/// Verdicts
export type {
  MinimumSampleOptions,
  SampleCheck,
  SampleShortfall,
  Verdict,
  VerdictOptions,
} from './verdict.js';
export {
  checkMinimumSample,
  DEFAULT_LOSE_THRESHOLD,
  DEFAULT_MIN_EXPOSED_UNITS,
  DEFAULT_MIN_OUTCOMES,
  DEFAULT_WIN_THRESHOLD,
  experimentVerdict,
} from './verdict.js';
