import { type EventInput, type Feature, featureCategory, type PsaCatalog } from '@tally/catalog';
import { type Actor, contextOf, type Emitter } from './emit.js';

export type FeatureSurface = NonNullable<EventInput<PsaCatalog, 'feature_used'>['surface']>;

export interface FeatureUse {
  /** Whether this user never used the feature before: your app's first-use record decides. */
  readonly isFirstUse: boolean;
  readonly surface?: FeatureSurface | undefined;
}

export interface FeatureTracker {
  /** `feature_used`, its category taken from the taxonomy so the pair always matches. */
  used(feature: Feature, actor: Actor, use: FeatureUse): void;
}

export function createFeatureTracker(out: Emitter): FeatureTracker {
  return {
    used(feature, actor, use) {
      out.guard('feature_used', () => {
        out.emit(
          'feature_used',
          {
            feature,
            feature_category: featureCategory(feature),
            is_first_use: use.isFirstUse,
            ...(use.surface === undefined ? {} : { surface: use.surface }),
          },
          contextOf(actor),
        );
      });
    },
  };
}
