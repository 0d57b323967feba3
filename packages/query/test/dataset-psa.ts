// The PSA vocabulary of the generated data (what a session of a technician or dispatcher emits)
// and the seeded random helpers; dataset.ts schedules the sessions.

import { DAY_MS, HOUR_MS, MINUTE_MS, WEEK_MS } from './reference/time.js';

/** The seeded PRNG: uniform floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export type Rng = () => number;
export const int = (rng: Rng, lo: number, hi: number): number =>
  lo + Math.floor(rng() * (hi - lo + 1));
export const chance = (rng: Rng, p: number): boolean => rng() < p;
export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)] as T;
}
export function hex(rng: Rng, digits: number): string {
  let out = '';
  while (out.length < digits)
    out += Math.floor(rng() * 65_536)
      .toString(16)
      .padStart(4, '0');
  return out.slice(0, digits);
}
export function uuid(rng: Rng): string {
  const h = hex(rng, 32);
  const variant = ((Number.parseInt(h.charAt(16), 16) & 3) | 8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20)}`;
}

export const PLANS = ['free', 'pro', 'enterprise'] as const;
export const INDUSTRIES = ['msp', 'it_services', 'consulting', 'facility'] as const;
export const USER_TYPES = ['technician', 'dispatcher', 'manager', 'accountant'] as const;
const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
const CREATED_VIA = ['portal', 'email', 'phone', 'api'] as const;
const AMOUNT_BUCKETS = ['<100', '100-1k', '1k-10k', '>10k'] as const;
const FEATURES = [
  'dashboard',
  'reports',
  'kanban',
  'sla_timer',
  'automation',
  'mobile_app',
] as const;
const PATHS = ['/tickets', '/tickets/new', '/invoices', '/reports', '/settings'] as const;
/** Offsets from ticket creation at which some resolutions land: common funnel windows, +-1 ms. */
const WINDOW_OFFSETS_MS = [HOUR_MS, DAY_MS, WEEK_MS, 2 * WEEK_MS] as const;

export interface Ticket {
  id: string;
  createdMs: number;
  priority: string | undefined;
  assigned: boolean;
}

export interface NextEvent {
  event: string;
  properties: (newTicketId: string) => Record<string, unknown>;
  /** Set when the event lands at an exact offset from its ticket's creation instead of now. */
  atMs?: number;
}

export function nextEvent(
  rng: Rng,
  kind: 'visitor' | 'login' | 'work',
  open: Ticket[],
  nowMs: number,
  endMs: number,
): NextEvent {
  if (kind === 'visitor') {
    if (chance(rng, 0.3))
      return { event: 'feature_used', properties: () => ({ feature: pick(rng, FEATURES) }) };
    const path = pick(rng, PATHS);
    return {
      event: '$pageview',
      properties: () => ({ $current_url: `https://app.example.com${path}`, $pathname: path }),
    };
  }
  if (kind === 'login' && chance(rng, 0.7)) {
    return {
      event: 'user_logged_in',
      properties: () => ({ method: pick(rng, ['password', 'sso', 'magic_link']) }),
    };
  }
  const roll = rng();
  const ticket =
    open.length > 0 ? open[open.length - 1 - Math.floor(rng() ** 2 * open.length)] : undefined;
  if (roll < 0.24 || ticket === undefined) {
    const priority = chance(rng, 0.9) ? pick(rng, PRIORITIES) : undefined;
    const createdVia = pick(rng, CREATED_VIA);
    return {
      event: 'ticket_created',
      properties: (id) => {
        open.push({ id, createdMs: nowMs, priority, assigned: false });
        if (open.length > 20) open.shift();
        return withOptional({ ticket_id: id, created_via: createdVia }, 'priority', priority);
      },
    };
  }
  if (roll < 0.36 && !ticket.assigned) {
    ticket.assigned = true;
    // Escalation on assignment: the priority sometimes differs from the one at creation.
    const priority = chance(rng, 0.1) ? pick(rng, PRIORITIES) : ticket.priority;
    return {
      event: 'ticket_assigned',
      properties: () => withOptional({ ticket_id: ticket.id }, 'priority', priority),
    };
  }
  if (roll < 0.46) {
    return {
      event: 'ticket_comment_added',
      properties: () => ({ ticket_id: ticket.id, is_internal: chance(rng, 0.4) }),
    };
  }
  if (roll < 0.58) {
    open.splice(open.indexOf(ticket), 1);
    const exact = chance(rng, 0.25)
      ? ticket.createdMs + pick(rng, WINDOW_OFFSETS_MS) + pick(rng, [0, 0, 0, 1, -1])
      : undefined;
    const atMs = exact !== undefined && exact >= nowMs && exact < endMs ? exact : undefined;
    const resolvedMs = atMs ?? nowMs;
    const props = withOptional({ ticket_id: ticket.id }, 'priority', ticket.priority);
    if (chance(rng, 0.85)) props.duration_ms = resolvedMs - ticket.createdMs;
    return atMs === undefined
      ? { event: 'ticket_resolved', properties: () => props }
      : { event: 'ticket_resolved', properties: () => props, atMs };
  }
  if (roll < 0.72) {
    const props: Record<string, unknown> = { billable: chance(rng, 0.7) };
    if (chance(rng, 0.6)) props.ticket_id = ticket.id;
    if (chance(rng, 0.85)) props.duration_ms = int(rng, 1, 480) * MINUTE_MS;
    return { event: 'time_entry_created', properties: () => props };
  }
  if (roll < 0.79) {
    return {
      event: 'invoice_generated',
      properties: () => ({ amount_bucket: pick(rng, AMOUNT_BUCKETS), line_items: int(rng, 1, 12) }),
    };
  }
  if (roll < 0.92)
    return { event: 'feature_used', properties: () => ({ feature: pick(rng, FEATURES) }) };
  const path = pick(rng, PATHS);
  return {
    event: '$pageview',
    properties: () => ({ $current_url: `https://app.example.com${path}`, $pathname: path }),
  };
}

function withOptional(
  props: Record<string, unknown>,
  key: string,
  value: unknown,
): Record<string, unknown> {
  if (value !== undefined) props[key] = value;
  return props;
}
