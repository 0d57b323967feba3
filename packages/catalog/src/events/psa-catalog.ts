import { defineCatalog } from '../define/catalog.js';
import { authEvents } from './auth.js';
import { billingEvents } from './billing.js';
import { performanceEvents } from './performance.js';
import { personProperties } from './person.js';
import { productUsageEvents } from './product-usage.js';
import { tenantProperties } from './tenant.js';
import { ticketEvents } from './tickets.js';
import { timeTrackingEvents } from './time-tracking.js';

/**
 * The built-in catalog for PSA (professional services automation) apps: tickets, sign-in,
 * API performance, time tracking, billing and feature adoption. Vendors add their own events
 * with `extendCatalog(psaCatalog, { events })`.
 * @example
 * const input: EventInput<PsaCatalog, 'ticket_deleted'> = {
 *   ticket_id: ticket.id, age_days: 3, was_resolved: true, had_comments: false,
 * };
 */
export const psaCatalog = defineCatalog({
  version: '1.0.0',
  events: {
    ...ticketEvents,
    ...authEvents,
    ...performanceEvents,
    ...timeTrackingEvents,
    ...billingEvents,
    ...productUsageEvents,
  },
  person: personProperties,
  tenant: tenantProperties,
});

export type PsaCatalog = typeof psaCatalog;
