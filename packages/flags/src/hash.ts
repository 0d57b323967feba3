import { createHash } from 'node:crypto';

// PostHog divides by 0xFFFFFFFFFFFFFFF (2^60 - 1), which as a double rounds to exactly 2^60;
// dividing by 2^60 is therefore bit-identical to posthog-node (a different rounding would move
// rollout boundaries).
const LONG_SCALE = 2 ** 60;

function hashText(text: string): number {
  const hex = createHash('sha1').update(text, 'utf8').digest('hex');
  return Number.parseInt(hex.slice(0, 15), 16) / LONG_SCALE;
}

/**
 * PostHog's bucketing hash: the first 15 hex digits of SHA-1(`<flagKey>.<bucketingValue><salt>`)
 * as a fraction of 2^60 - 1, in [0, 1]. Salt `''` decides rollout, `'variant'` the variant.
 *
 * @example
 * flagHash('simple-flag', 'distinct_id_0'); // 0.7837...
 */
export function flagHash(flagKey: string, bucketingValue: string, salt = ''): number {
  return hashText(`${flagKey}.${bucketingValue}${salt}`);
}

/** Holdouts hash `holdout-<value>` (a dash, not a dot), as PostHog's flags service does. */
export function holdoutHash(bucketingValue: string): number {
  return hashText(`holdout-${bucketingValue}`);
}

export interface VariantRange {
  key: string;
  /** Inclusive lower bound in [0, 1]. */
  min: number;
  /** Exclusive upper bound. */
  max: number;
}

/** Consecutive half-open ranges [sum of earlier %, sum + own %) / 100, in definition order. */
export function variantRanges(
  variants: ReadonlyArray<{ key: string; rollout_percentage: number }>,
): VariantRange[] {
  const ranges: VariantRange[] = [];
  let min = 0;
  for (const variant of variants) {
    const max = min + variant.rollout_percentage / 100;
    ranges.push({ key: variant.key, min, max });
    min = max;
  }
  return ranges;
}

/** The variant whose range holds `flagHash(flagKey, bucketingValue, 'variant')`, if any. */
export function pickVariant(
  flagKey: string,
  bucketingValue: string,
  variants: ReadonlyArray<{ key: string; rollout_percentage: number }>,
): string | undefined {
  const hash = flagHash(flagKey, bucketingValue, 'variant');
  return variantRanges(variants).find((range) => hash >= range.min && hash < range.max)?.key;
}
