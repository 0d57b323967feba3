import { DEPLOYMENTS } from '../define/envelope.js';
import type { PropertyMap } from '../define/event.js';
import { prop } from '../define/property.js';

/** Commercial plan of the tenant. `self_hosted` is the free on-premise edition. */
export const TENANT_PLANS = [
  'trial',
  'free',
  'starter',
  'professional',
  'enterprise',
  'self_hosted',
] as const;

/** What the tenant's business is. Coarse on purpose: a finer list would single out customers. */
export const TENANT_INDUSTRIES = [
  'managed_services',
  'it_consulting',
  'internal_it',
  'professional_services',
  'other',
] as const;

/** Seat and client-count buckets: 1-5 means at least 1 and fewer than 5. */
export const SEAT_BOUNDS = [1, 5, 10, 25, 50, 100, 250, 500, 1000] as const;

/**
 * Tenant properties: group type 0 (`$groups: { tenant: <id> }`, PostHog `$groupidentify`).
 * Sizes are bucketed because an exact user or client count can identify a customer.
 */
export const tenantProperties = {
  plan: prop.enum(TENANT_PLANS, 'Commercial plan of the tenant'),
  deployment: prop.enum(DEPLOYMENTS, 'Whether the tenant runs hosted by the vendor or on-premise'),
  user_count: prop.bucket('Active users in the tenant (MSP staff, not client contacts)', {
    bounds: SEAT_BOUNDS,
    unit: 'users',
  }),
  client_count: prop
    .bucket('Active client companies the tenant manages', { bounds: SEAT_BOUNDS, unit: 'clients' })
    .optional(),
  created_month: prop.pattern(
    /[0-9]{4}-(?:0[1-9]|1[0-2])/,
    'Month the tenant was created, YYYY-MM',
    {
      maxLength: 7,
      example: '2025-11',
    },
  ),
  industry: prop
    .enum(TENANT_INDUSTRIES, 'Kind of business the tenant runs, when it told us')
    .optional(),
  is_billing_enabled: prop.boolean('Whether the tenant uses the billing module').optional(),
} as const satisfies PropertyMap;
