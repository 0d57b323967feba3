// What each persona does on a working day, through the PSA's API: client-portal contacts open and
// chase tickets, dispatchers triage and assign, technicians work tickets and log time, the owner
// approves time sheets, billing admins invoice, take payments and export invoices to accounting.
import { HOUR_MS, MINUTE_MS, type SimClock } from './clock.js';
import { NEW_TICKET_FORM_SESSIONS_FACTOR } from './demo-experiment.js';
import type { People, Person } from './people.js';
import type { PsaClient, PsaResponse } from './psa-client.js';
import type { Random } from './random.js';
import { asUser, signOut } from './sign-in.js';
import { byPersona, type SimTenant, type SimUser } from './tenant.js';
import {
  contactComment,
  resolution,
  staffComment,
  ticketDescription,
  ticketTitle,
} from './texts.js';

export interface Day {
  readonly psa: PsaClient;
  readonly people: People;
  readonly clock: SimClock;
  /** Midnight UTC of the simulated day, in ms. */
  readonly startMs: number;
  /** YYYY-MM-DD. */
  readonly date: string;
  /** 0 = Sunday. */
  readonly weekday: number;
}

/** The chance that a technician's work session resolves a ticket filed through the classic form. */
const RESOLVE_CHANCE = 0.65;

/** The chance for this ticket: the new form's known effect applies where the PSA served it. */
function resolveChance(t: SimTenant, ticketId: string): number {
  if (!t.newFormTickets.has(ticketId)) return RESOLVE_CHANCE;
  return Math.min(1, RESOLVE_CHANCE / NEW_TICKET_FORM_SESSIONS_FACTOR);
}

interface TicketRow {
  id: string;
  status: string;
  assigned_to: string | null;
  client_id: string | null;
}

/** Starts the persona's shift at `hour` (plus up to 40 minutes), never moving the clock back. */
function startShift(day: Day, rng: Random, hour: number): void {
  day.clock.advanceTo(day.startMs + hour * HOUR_MS + rng.int(0, 40) * MINUTE_MS);
}

function think(day: Day, rng: Random, minMinutes: number, maxMinutes: number): void {
  day.clock.advanceMs(rng.int(minMinutes * 60, maxMinutes * 60) * 1000);
}

function contactOf(t: SimTenant, day: Day, ticketId: string): Person {
  let p = t.ticketContacts.get(ticketId);
  if (p === undefined) {
    p = day.people.person('example.org');
    t.ticketContacts.set(ticketId, p);
  }
  return p;
}

async function call(
  day: Day,
  t: SimTenant,
  user: SimUser,
  method: string,
  path: string,
  body?: unknown,
): Promise<PsaResponse | undefined> {
  const res = await asUser(day.psa, t.rng, user, method, path, body);
  think(day, t.rng, 1, 6);
  return res;
}

async function tickets(day: Day, t: SimTenant, user: SimUser, query: string): Promise<TicketRow[]> {
  const res = await call(day, t, user, 'GET', `/api/tickets?${query}`);
  return res?.status === 200 ? (res.body.tickets as TicketRow[]) : [];
}

async function openTicket(day: Day, t: SimTenant, user: SimUser, assignTo?: string) {
  const rng = t.rng;
  const isPortal = user.persona === 'client_contact';
  const contact = isPortal ? user.person : day.people.person('example.org');
  const client = rng.pick(t.clients);
  const res = await call(day, t, user, 'POST', '/api/tickets', {
    title: ticketTitle(rng, contact),
    description: ticketDescription(rng, contact, day.people.address()),
    board_id: rng.pick(t.boards),
    priority_id: t.priorities[rng.pick(['low', 'medium', 'medium', 'high', 'urgent'])],
    ...(rng.chance(0.8) ? { category_id: rng.pick(t.categories) } : {}),
    ...(isPortal ? {} : { client_id: client.id, channel: rng.pick(['manual', 'email', 'api']) }),
    ...(assignTo === undefined ? {} : { assigned_to: assignTo }),
  });
  if (res?.status === 201) {
    t.ticketContacts.set(res.body.ticket.id, contact);
    if (res.body.form === 'new') t.newFormTickets.add(res.body.ticket.id);
    t.open.set(res.body.ticket.id, { status: 'new', assignee: assignTo ?? null });
  }
  return res?.status === 201 ? (res.body.ticket as TicketRow) : undefined;
}

export async function contactDay(day: Day, t: SimTenant, user: SimUser): Promise<void> {
  const rng = t.rng;
  startShift(day, rng, rng.int(7, 16));
  if (rng.chance(0.5)) await openTicket(day, t, user);
  const mine = rng.chance(0.3) ? await tickets(day, t, user, 'include_closed=true&limit=10') : [];
  const open = mine.filter((x) => x.status !== 'resolved' && x.status !== 'closed');
  if (open.length > 0 && rng.chance(0.6)) {
    await call(day, t, user, 'POST', `/api/tickets/${rng.pick(open).id}/comments`, {
      body: contactComment(rng, user.person),
    });
  }
  const resolved = mine.filter((x) => x.status === 'resolved');
  if (resolved.length > 0 && rng.chance(0.08)) {
    const x = rng.pick(resolved);
    await call(day, t, user, 'POST', `/api/tickets/${x.id}/comments`, {
      body: `It broke again. ${contactComment(rng, user.person)}`,
    });
    const reopened = await call(day, t, user, 'POST', `/api/tickets/${x.id}/reopen`);
    if (reopened?.status === 200) {
      t.open.set(x.id, { status: 'in_progress', assignee: reopened.body.ticket.assigned_to });
    }
  }
  if (rng.chance(0.3)) await signOut(day.psa, user);
}

export async function dispatcherDay(day: Day, t: SimTenant, user: SimUser): Promise<void> {
  const rng = t.rng;
  const techs = byPersona(t, 'technician');
  startShift(day, rng, 8);
  for (let i = Math.round(rng.int(0, 2) * t.activity); i > 0; i--) {
    await openTicket(day, t, user, rng.chance(0.6) ? rng.pick(techs).id : undefined);
  }
  // Triage: assign what is new and unassigned (portal tickets, calls taken in a hurry).
  if (rng.chance(0.5)) {
    for (const x of await tickets(day, t, user, 'status=new&limit=20')) {
      if (x.assigned_to !== null) continue;
      await call(day, t, user, 'PATCH', `/api/tickets/${x.id}`, {
        assigned_to: rng.pick(techs).id,
      });
    }
  }
  // Now and then a ticket moves to someone else.
  const active = rng.chance(0.1) ? await tickets(day, t, user, 'status=in_progress&limit=20') : [];
  if (active.length > 0 && techs.length > 1) {
    const x = rng.pick(active);
    const other = techs.find((u) => u.id !== x.assigned_to);
    if (other !== undefined) {
      await call(day, t, user, 'PATCH', `/api/tickets/${x.id}`, { assigned_to: other.id });
      t.open.set(x.id, { status: x.status, assignee: other.id });
    }
  }
  // Looking someone up by the name, phone or email they gave: search text is personal data.
  if (t.ticketContacts.size > 0 && rng.chance(0.15)) {
    const known = [...t.ticketContacts.values()];
    const who = rng.pick(known);
    const q = rng.pick([who.name, who.phone, who.email]);
    await call(day, t, user, 'GET', `/api/tickets?q=${encodeURIComponent(q)}&include_closed=true`);
  }
  // A duplicate opened by mistake, deleted again.
  if (rng.chance(0.05)) {
    const dup = await openTicket(day, t, user);
    if (dup !== undefined) {
      await call(day, t, user, 'DELETE', `/api/tickets/${dup.id}`);
      t.open.delete(dup.id);
    }
  }
  // Close tickets resolved a while ago.
  if (rng.chance(0.1)) {
    for (const x of (await tickets(day, t, user, 'status=resolved&limit=5')).slice(0, 3)) {
      await call(day, t, user, 'PATCH', `/api/tickets/${x.id}`, { status: 'closed' });
    }
  }
  if (rng.chance(0.15)) await signOut(day.psa, user);
}

export async function technicianDay(day: Day, t: SimTenant, user: SimUser): Promise<void> {
  const rng = t.rng;
  const hasWork = [...t.open.values()].some((x) => x.assignee === user.id);
  if (!hasWork && day.weekday !== 1 && !rng.chance(0.3)) return;
  startShift(day, rng, rng.int(8, 9));
  // Monday: hand in last week's sheet; any sheet sent back gets a fix and goes in again.
  const sheets =
    day.weekday === 1
      ? ((await call(day, t, user, 'GET', '/api/timesheets'))?.body?.timesheets ?? [])
      : [];
  for (const s of sheets as Array<{ id: string; status: string; period_end: string }>) {
    if (s.period_end >= day.date) continue;
    if (s.status === 'changes_requested') {
      const detail = await call(day, t, user, 'GET', `/api/timesheets/${s.id}`);
      const entry = detail?.body?.time_entries?.[0];
      if (entry !== undefined) {
        await call(day, t, user, 'PATCH', `/api/time-entries/${entry.id}`, {
          duration_minutes: Math.max(15, entry.duration_minutes - 15),
        });
      }
    }
    if (s.status === 'draft' || s.status === 'changes_requested') {
      await call(day, t, user, 'POST', `/api/timesheets/${s.id}/submit`);
    }
  }
  // The technician's queue, as the PSA showed it last (the simulator keeps it, saving a list
  // request per shift).
  const mine = [...t.open]
    .filter(([, x]) => x.assignee === user.id)
    .map(([id, x]) => ({ id, status: x.status }));
  for (const x of mine.slice(0, rng.int(1, 2))) {
    const contact = contactOf(t, day, x.id);
    if (x.status === 'new' || (x.status === 'waiting' && rng.chance(0.5))) {
      await call(day, t, user, 'PATCH', `/api/tickets/${x.id}`, { status: 'in_progress' });
    }
    if (rng.chance(0.5)) {
      await call(day, t, user, 'POST', `/api/tickets/${x.id}/comments`, {
        body: staffComment(rng, contact, user.person),
        is_internal: rng.chance(0.6),
      });
    }
    const minutes = rng.pick([15, 30, 30, 45, 60, 90, 120]);
    think(day, rng, minutes / 2, minutes);
    const logged = await call(day, t, user, 'POST', '/api/time-entries', {
      ticket_id: x.id,
      work_date: day.date,
      duration_minutes: minutes,
      notes: `Worked with ${contact.name} (${contact.phone})`,
      entry_method: rng.pick(['manual', 'timer', 'timer']),
    });
    const entryId: string | undefined = logged?.body?.time_entry?.id;
    if (entryId !== undefined && rng.chance(0.08)) {
      await call(day, t, user, 'PATCH', `/api/time-entries/${entryId}`, {
        duration_minutes: minutes + 15,
        notes: `Also called ${contact.phone} again`,
      });
    } else if (entryId !== undefined && rng.chance(0.06)) {
      await call(day, t, user, 'DELETE', `/api/time-entries/${entryId}`);
    }
    const roll = rng.next();
    const resolves = resolveChance(t, x.id);
    const state = t.open.get(x.id);
    if (state !== undefined) state.status = 'in_progress';
    if (roll < resolves) {
      if (rng.chance(0.5)) {
        await call(day, t, user, 'POST', `/api/tickets/${x.id}/comments`, {
          body: resolution(rng, contact),
          is_resolution: true,
        });
      }
      await call(day, t, user, 'POST', `/api/tickets/${x.id}/resolve`);
      t.open.delete(x.id);
    } else if (roll < resolves + 0.1) {
      await call(day, t, user, 'PATCH', `/api/tickets/${x.id}`, { status: 'waiting' });
      if (state !== undefined) state.status = 'waiting';
    }
  }
  // Internal work (meetings, patching, training) is logged too, not billable.
  if (rng.chance(0.4)) {
    await call(day, t, user, 'POST', '/api/time-entries', {
      work_date: day.date,
      duration_minutes: rng.pick([30, 60]),
      is_billable: false,
      notes: 'Team meeting',
    });
  }
  if (rng.chance(0.1)) await signOut(day.psa, user);
}

export async function ownerDay(day: Day, t: SimTenant, user: SimUser): Promise<void> {
  const rng = t.rng;
  startShift(day, rng, 14);
  const res = await call(day, t, user, 'GET', '/api/timesheets?status=submitted');
  for (const s of (res?.body?.timesheets ?? []) as Array<{ id: string; user_id: string }>) {
    if (rng.chance(0.15)) {
      const tech = t.users.find((u) => u.id === s.user_id);
      await call(day, t, user, 'POST', `/api/timesheets/${s.id}/reject`, {
        comment: `${tech?.person.name ?? 'Hi'}, Tuesday looks too long, please check.`,
      });
    } else {
      await call(day, t, user, 'POST', `/api/timesheets/${s.id}/approve`);
    }
  }
  if (rng.chance(0.2)) await signOut(day.psa, user);
}

interface InvoiceRow {
  id: string;
  status: string;
  total_cents: number;
  paid_cents: number;
  credited_cents: number;
  client_id: string;
  sync_status: 'never' | 'synced' | 'failed';
}

function dayBefore(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** Finalizes an invoice and, mostly, sends it (now and then twice: a resend). */
async function finalizeAndSend(day: Day, t: SimTenant, user: SimUser, invoiceId: string) {
  const rng = t.rng;
  const done = await call(day, t, user, 'POST', `/api/invoices/${invoiceId}/finalize`);
  if (done?.status !== 200 || !rng.chance(0.85)) return;
  const method = rng.pick(['email', 'email', 'client_portal', 'pdf_download']);
  await call(day, t, user, 'POST', `/api/invoices/${invoiceId}/send`, { method });
  if (rng.chance(0.05)) {
    await call(day, t, user, 'POST', `/api/invoices/${invoiceId}/send`, { method: 'email' });
  }
}

/**
 * The accounting export at the end of a billing day: every finalized or paid invoice not yet in
 * the books is synced; one that failed (a timeout, the service down) is retried on the next
 * billing day. Its own random stream, so the tenant's other choices do not shift with it.
 */
async function exportToAccounting(day: Day, t: SimTenant, user: SimUser, invoices: InvoiceRow[]) {
  const rng = t.rng.fork(`accounting-${day.date}`);
  for (const inv of invoices) {
    if (inv.sync_status === 'synced' || (inv.status !== 'finalized' && inv.status !== 'paid')) {
      continue;
    }
    await asUser(day.psa, rng, user, 'POST', `/api/invoices/${inv.id}/sync`);
    think(day, rng, 0, 1);
  }
}

export async function billingDay(day: Day, t: SimTenant, user: SimUser): Promise<void> {
  const rng = t.rng;
  startShift(day, rng, 10);
  // Wednesdays: invoice each client for approved time since its last invoice.
  if (day.weekday === 3) {
    for (const client of t.clients) {
      const from = t.billedThrough.get(client.id) ?? '2000-01-01';
      const to = dayBefore(day.date);
      const res = await call(day, t, user, 'POST', '/api/invoices/generate', {
        client_id: client.id,
        period_start: from,
        period_end: to,
      });
      if (res?.status !== 201) continue;
      t.billedThrough.set(client.id, day.date);
      if (rng.chance(0.9)) await finalizeAndSend(day, t, user, res.body.invoice.id);
    }
  }
  if (rng.chance(0.06)) {
    const client = rng.pick(t.clients);
    const made = await call(day, t, user, 'POST', '/api/invoices', {
      client_id: client.id,
      lines: [
        {
          description: `On-site visit at ${day.people.address()}`,
          quantity: rng.int(1, 3),
          unit_price_cents: 15000,
        },
      ],
    });
    if (made?.status === 201) await finalizeAndSend(day, t, user, made.body.invoice.id);
  }
  // Rates are reviewed in the first week of a month: now and then a contract line gets a new one.
  const isRateReview = day.weekday === 3 && Number(day.date.slice(8)) <= 7;
  if (isRateReview && rng.chance(0.3)) {
    const rules =
      (await call(day, t, user, 'GET', '/api/billing-rules'))?.body?.billing_rules ?? [];
    if (rules.length > 0) {
      const rule = rng.pick(rules as Array<{ id: string; amount_cents: number }>);
      await call(day, t, user, 'PATCH', `/api/billing-rules/${rule.id}`, {
        amount_cents: Math.round(rule.amount_cents * 1.05),
      });
    }
  }
  const list = await call(day, t, user, 'GET', '/api/invoices');
  const invoices = (list?.body?.invoices ?? []) as InvoiceRow[];
  const open = invoices.filter((i) => i.status === 'finalized');
  for (const inv of open) {
    const balance = inv.total_cents - inv.paid_cents - inv.credited_cents;
    if (balance <= 0) continue;
    const prepaid = t.prepaid.get(inv.client_id);
    if (prepaid !== undefined) {
      // Draw the prepayment down first; once it is used up the PSA refuses, and it is dropped.
      const applied = await call(day, t, user, 'POST', `/api/invoices/${inv.id}/apply-credit`, {
        credit_id: prepaid,
      });
      if (applied?.status !== 200) t.prepaid.delete(inv.client_id);
      continue;
    }
    if (!rng.chance(0.35)) continue;
    if (rng.chance(0.1)) {
      const credit = await call(day, t, user, 'POST', '/api/credits', {
        client_id: inv.client_id,
        amount_cents: Math.max(1, Math.round(balance / 4)),
        source: rng.pick(['prepayment', 'manual_adjustment', 'refund']),
      });
      if (credit?.status === 201) {
        await call(day, t, user, 'POST', `/api/invoices/${inv.id}/apply-credit`, {
          credit_id: credit.body.credit.id,
        });
      }
      continue;
    }
    const partial = rng.chance(0.2);
    await call(day, t, user, 'POST', `/api/invoices/${inv.id}/payments`, {
      amount_cents: partial ? Math.max(1, Math.round(balance / 2)) : balance,
      method: rng.pick(['card', 'ach', 'bank_transfer', 'check']),
    });
  }
  await exportToAccounting(day, t, user, invoices);
  if (rng.chance(0.2)) await signOut(day.psa, user);
}
