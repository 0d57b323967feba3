import type { NormalizedFunnel } from './normalize.js';

// Stage 2 of funnels: one statement computes every step's count and conversion times. The
// statement is the normalized funnel itself; this stage exists so the dialect sees a plan type.

/** Bucket sentinels the SQL returns (PostHog's); shape.ts turns them into None / Other. */
export const FUNNEL_NULL_BUCKET = '$$_posthog_breakdown_null_$$';
export const FUNNEL_OTHER_BUCKET = '$$_posthog_breakdown_other_$$';

export type FunnelStatement = NormalizedFunnel;

export interface FunnelPlan {
  readonly funnel: NormalizedFunnel;
  readonly statement: FunnelStatement;
}

export function planFunnel(funnel: NormalizedFunnel): FunnelPlan {
  return { funnel, statement: funnel };
}
