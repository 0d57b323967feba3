import type { PropertyMap } from '../define/event.js';
import { prop } from '../define/property.js';

/**
 * Who a user is in the host app. `msp` is the service provider's own staff, `client` a contact
 * of one of its customers using the client portal (a third party: treat with extra care),
 * `admin` an instance administrator, `api` a machine user behind an API key or integration.
 */
export const USER_TYPES = ['msp', 'client', 'admin', 'api'] as const;
export type UserType = (typeof USER_TYPES)[number];

/** Built-in roles. Tenant-defined role names are free text and are never sent; map them here. */
export const USER_ROLES = [
  'admin',
  'manager',
  'technician',
  'dispatcher',
  'finance',
  'client_user',
  'other',
] as const;

/**
 * Person properties (PostHog `$set`). Deliberately no email, name, username or client and
 * contact ids: prior art sent all of them when anonymisation was off (§3.2).
 */
export const personProperties = {
  user_type: prop.enum(
    USER_TYPES,
    'Kind of user: MSP staff, client-portal contact, admin or API user',
  ),
  is_admin: prop.boolean('Whether the user holds the tenant administrator permission'),
  has_two_factor: prop.boolean('Whether the user has a second factor enrolled'),
  role: prop
    .enum(USER_ROLES, "Built-in role closest to the user's role; custom roles map to `other`")
    .optional(),
  locale: prop
    .pattern(/[a-z]{2,3}(?:-[A-Z]{2})?/, 'UI language as a BCP 47 language and optional region', {
      maxLength: 6,
      example: 'en-US',
    })
    .optional(),
  signup_month: prop
    .pattern(/[0-9]{4}-(?:0[1-9]|1[0-2])/, 'Month the user account was created, YYYY-MM', {
      maxLength: 7,
      example: '2026-03',
    })
    .optional(),
} as const satisfies PropertyMap;
