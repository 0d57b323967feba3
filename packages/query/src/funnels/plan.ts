import type { NormalizedFunnel } from './normalize.js';

// Stage 2 of funnels: one statement computes every step's count and conversion times. The plan
// picks how the dialect walks each actor's events: the general walk (every option), or the greedy
// chain for the common case (see isGreedyChainFunnel), which gives the same rows much faster.

/** Bucket sentinels the SQL returns (PostHog's); shape.ts turns them into None / Other. */
export const FUNNEL_NULL_BUCKET = '$$_posthog_breakdown_null_$$';
export const FUNNEL_OTHER_BUCKET = '$$_posthog_breakdown_other_$$';

/** `walk`: per-attempt list walk, exact for every option; `greedy_chain`: see funnels-fast.ts. */
export type FunnelStrategy = 'walk' | 'greedy_chain';

export interface FunnelStatement extends NormalizedFunnel {
  readonly strategy: FunnelStrategy;
}

export interface FunnelPlan {
  readonly funnel: NormalizedFunnel;
  readonly statement: FunnelStatement;
}

export function planFunnel(funnel: NormalizedFunnel): FunnelPlan {
  const strategy = isGreedyChainFunnel(funnel) ? 'greedy_chain' : 'walk';
  return { funnel, statement: { ...funnel, strategy } };
}

/**
 * An ordered steps funnel without exclusions or held properties, unbroken down or broken down
 * by first/last touch (a value per actor, independent of the walk). There each attempt's walk
 * is the greedy chain "first step-k event after the step-(k-1) one", so it can be computed with
 * list arithmetic or one window pass instead of walking a list per attempt (issue 4: funnel
 * <= 1 s at 10M events).
 */
export function isGreedyChainFunnel(funnel: NormalizedFunnel): boolean {
  const attribution = funnel.breakdown?.attribution.kind ?? null;
  return (
    funnel.order === 'ordered' &&
    funnel.view.kind === 'steps' &&
    funnel.exclusions.length === 0 &&
    funnel.holdConstant.length === 0 &&
    (attribution === null || attribution === 'first_touch' || attribution === 'last_touch')
  );
}
