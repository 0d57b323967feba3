import { describe, expect, expectTypeOf, it } from 'vitest';
import { CatalogError } from '../errors.js';
import {
  FEATURE_CATEGORIES,
  FEATURE_TAXONOMY,
  FEATURES,
  type Feature,
  featureCategory,
  productUsageEvents,
} from './product-usage.js';

describe('FEATURE_TAXONOMY', () => {
  it('puts every feature in exactly one category', () => {
    expect(new Set(FEATURES).size).toBe(FEATURES.length);
    expect(FEATURES).toHaveLength(30);
    expect(FEATURE_CATEGORIES).toEqual([
      'ticketing',
      'time_tracking',
      'billing',
      'reporting',
      'integrations',
      'advanced',
      'collaboration',
    ]);
  });

  it('offers exactly the taxonomy in the feature_used enums', () => {
    const { feature, feature_category } = productUsageEvents.feature_used.properties;
    expect(feature.values).toEqual(FEATURES);
    expect(feature_category.values).toEqual(FEATURE_CATEGORIES);
    expect(feature.schema.safeParse('ticket_viewing').success).toBe(false);
    expect(feature.schema.safeParse('other').success).toBe(false);
  });
});

describe('featureCategory', () => {
  it('returns the category the taxonomy lists the feature under', () => {
    expect(featureCategory('ticket_sla')).toBe('ticketing');
    expect(featureCategory('time_entry_timer')).toBe('time_tracking');
    expect(featureCategory('quickbooks_integration')).toBe('integrations');
    for (const category of FEATURE_CATEGORIES) {
      for (const feature of FEATURE_TAXONOMY[category])
        expect(featureCategory(feature)).toBe(category);
    }
  });

  it('accepts only catalogued features', () => {
    expectTypeOf(featureCategory).parameter(0).toEqualTypeOf<Feature>();
    // @ts-expect-error not in the taxonomy
    expect(() => featureCategory('ticket_viewing')).toThrow(CatalogError);
  });
});
