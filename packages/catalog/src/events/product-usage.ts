import { defineEvent } from '../define/event.js';
import { prop } from '../define/property.js';
import { CatalogError } from '../errors.js';

/**
 * The fixed feature taxonomy: category -> feature keys (prior art §2.8, where `ticket_viewing`
 * belonged to no category and anything unknown became `other`; here every feature has exactly
 * one category and an unknown feature fails validation).
 */
export const FEATURE_TAXONOMY = {
  ticketing: [
    'ticket_creation',
    'ticket_bulk_update',
    'ticket_templates',
    'ticket_automation',
    'ticket_sla',
  ],
  time_tracking: [
    'time_entry_manual',
    'time_entry_timer',
    'time_sheet_submission',
    'time_approval_workflow',
  ],
  billing: [
    'invoice_generation',
    'invoice_manual',
    'payment_tracking',
    'billing_rules',
    'credit_management',
  ],
  reporting: ['standard_reports', 'custom_reports', 'report_scheduling', 'dashboard_widgets'],
  integrations: ['email_integration', 'calendar_sync', 'quickbooks_integration', 'api_usage'],
  advanced: ['custom_fields', 'workflow_automation', 'role_management', 'multi_tenant'],
  collaboration: ['team_collaboration', 'client_portal', 'knowledge_base', 'notifications'],
} as const;

export type FeatureCategory = keyof typeof FEATURE_TAXONOMY;
export type Feature = (typeof FEATURE_TAXONOMY)[FeatureCategory][number];

type NonEmpty<T> = readonly [T, ...T[]];

export const FEATURE_CATEGORIES = Object.keys(
  FEATURE_TAXONOMY,
) as unknown as NonEmpty<FeatureCategory>;
export const FEATURES = Object.values(FEATURE_TAXONOMY).flat() as unknown as NonEmpty<Feature>;

const CATEGORY_OF: ReadonlyMap<Feature, FeatureCategory> = new Map(
  FEATURE_CATEGORIES.flatMap((category) =>
    FEATURE_TAXONOMY[category].map((feature): [Feature, FeatureCategory] => [feature, category]),
  ),
);

/**
 * The category a feature belongs to, so callers never pass a mismatched pair.
 * @example
 * capture('feature_used', { feature, feature_category: featureCategory(feature), is_first_use });
 */
export function featureCategory(feature: Feature): FeatureCategory {
  const category = CATEGORY_OF.get(feature);
  if (category === undefined) throw new CatalogError('invalid_property', `feature ${feature}`);
  return category;
}

export const FEATURE_SURFACES = [
  'msp_app',
  'client_portal',
  'api',
  'mobile',
  'background',
] as const;

export const productUsageEvents = {
  feature_used: defineEvent({
    category: 'product_usage',
    version: 1,
    description:
      'A user used a feature from the fixed taxonomy. `feature_category` must be `featureCategory(feature)`.',
    firesWhen:
      'Once per completed use of the feature; `is_first_use` is true only the first time for that user (prior art sent a first-use event on every use).',
    properties: {
      feature: prop.enum(FEATURES, 'Feature key from the taxonomy'),
      feature_category: prop.enum(FEATURE_CATEGORIES, 'Taxonomy category of the feature'),
      is_first_use: prop.boolean('Whether this is the first time this user used the feature'),
      surface: prop.enum(FEATURE_SURFACES, 'Where the feature was used').optional(),
    },
  }),
};
