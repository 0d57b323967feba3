import { randomIds } from '@tally/psa-demo';
import { describe, expect, it } from 'vitest';
import { addUser, makeApp, signupTenant } from './helpers.js';

async function setup(options: Parameters<typeof makeApp>[0] = {}) {
  const ctx = await makeApp(options);
  const t = await signupTenant(ctx.call);
  const tech = await addUser(ctx.call, t.token, 'technician');
  const billing = await addUser(ctx.call, t.token, 'billing_admin');
  const client = (
    await ctx.call('POST', '/api/clients', t.token, { name: 'Globex', tax_rate_bps: 1000 })
  ).body.client;
  const ticket = (
    await ctx.call('POST', '/api/tickets', t.token, {
      title: 'Server migration',
      board_id: t.board,
      priority_id: t.priority,
      client_id: client.id,
    })
  ).body.ticket;
  const log = (minutes: number, extra: Record<string, unknown> = {}) =>
    ctx.call('POST', '/api/time-entries', tech.token, {
      ticket_id: ticket.id,
      work_date: '2026-03-03',
      duration_minutes: minutes,
      ...extra,
    });
  return { ...ctx, t, tech, billing, client, ticket, log };
}

describe('time entries and time sheets', () => {
  it('files entries into the weekly sheet and runs submit, reject, resubmit, approve', async () => {
    const { call, t, tech, log } = await setup();
    const first = await log(90);
    expect(first.status).toBe(201);
    expect(first.body.time_entry).toMatchObject({ duration_minutes: 90, is_billable: true });
    const sunday = await log(30, { work_date: '2026-03-08', is_billable: false });
    expect(sunday.body.time_entry.timesheet_id).toBe(first.body.time_entry.timesheet_id);
    const nextWeek = await log(15, { work_date: '2026-03-09' });
    expect(nextWeek.body.time_entry.timesheet_id).not.toBe(first.body.time_entry.timesheet_id);
    const sheetId = first.body.time_entry.timesheet_id;
    const sheet = await call('GET', `/api/timesheets/${sheetId}`, tech.token);
    expect(sheet.body.timesheet).toMatchObject({
      period_start: '2026-03-02',
      period_end: '2026-03-08',
      status: 'draft',
    });
    expect(sheet.body.time_entries).toHaveLength(2);

    expect((await call('POST', `/api/timesheets/${sheetId}/approve`, t.token)).status).toBe(409);
    expect(
      (await call('POST', `/api/timesheets/${sheetId}/submit`, tech.token)).body.timesheet.status,
    ).toBe('submitted');
    // A submitted sheet is locked.
    expect((await log(10)).body.error).toBe('timesheet_locked');
    expect((await call('POST', `/api/timesheets/${sheetId}/approve`, tech.token)).status).toBe(403);
    const rejected = await call('POST', `/api/timesheets/${sheetId}/reject`, t.token, {
      comment: 'Split the Tuesday entry',
    });
    expect(rejected.body.timesheet).toMatchObject({
      status: 'changes_requested',
      rejection_count: 1,
    });
    const edit = await call('PATCH', `/api/time-entries/${first.body.time_entry.id}`, tech.token, {
      duration_minutes: 60,
    });
    expect(edit.body.time_entry.duration_minutes).toBe(60);
    await call('POST', `/api/timesheets/${sheetId}/submit`, tech.token);
    const pending = await call('GET', '/api/timesheets?status=submitted', t.token);
    expect(pending.body.timesheets.map((s: { id: string }) => s.id)).toEqual([sheetId]);
    const approved = await call('POST', `/api/timesheets/${sheetId}/approve`, t.token);
    expect(approved.body.timesheet).toMatchObject({ status: 'approved', decided_by: t.userId });
    const del = await call('DELETE', `/api/time-entries/${first.body.time_entry.id}`, tech.token);
    expect(del.body.error).toBe('timesheet_locked');
  });

  it('validates entries by field and keeps other users’ entries and sheets out of reach', async () => {
    const { call, t, log, tech } = await setup();
    expect((await log(0)).body.field).toBe('duration_minutes');
    expect((await log(30, { work_date: '03/03/2026' })).body.field).toBe('work_date');
    const other = await signupTenant(call, 'Rival');
    const foreign = await call('POST', '/api/tickets', other.token, {
      title: 'x',
      board_id: other.board,
      priority_id: other.priority,
    });
    expect((await log(30, { ticket_id: foreign.body.ticket.id })).body.field).toBe('ticket_id');
    const entry = (await log(30)).body.time_entry;
    const tech2 = await addUser(call, t.token, 'technician');
    expect(
      (await call('PATCH', `/api/time-entries/${entry.id}`, tech2.token, { notes: 'x' })).status,
    ).toBe(404);
    expect((await call('GET', `/api/timesheets/${entry.timesheet_id}`, tech2.token)).status).toBe(
      404,
    );
    expect((await call('GET', `/api/timesheets/${entry.timesheet_id}`, other.token)).status).toBe(
      404,
    );
    expect((await call('GET', `/api/timesheets/${entry.timesheet_id}`, tech.token)).status).toBe(
      200,
    );
  });
});

describe('billing', () => {
  it('generates an invoice from billing rules over approved billable time only', async () => {
    // Random ids (the default): line order must come from the billing run, not from the ids.
    const { call, t, billing, client, log, tech } = await setup({ ids: randomIds });
    const rate = await call('POST', '/api/billing-rules', billing.token, {
      client_id: client.id,
      type: 'hourly',
      name: 'Remote support',
      amount_cents: 12_000,
    });
    expect(rate.status).toBe(201);
    await call('POST', '/api/billing-rules', billing.token, {
      client_id: client.id,
      type: 'fixed',
      name: 'Managed endpoints',
      amount_cents: 50_000,
    });
    const e1 = (await log(95)).body.time_entry; // 95 min at $120/h = $190.00
    await log(50); // 50 min = $100.00
    await log(40, { is_billable: false }); // not billed
    await log(45, { work_date: '2026-03-10' }); // next week, sheet never approved
    await call('POST', `/api/timesheets/${e1.timesheet_id}/submit`, tech.token);
    await call('POST', `/api/timesheets/${e1.timesheet_id}/approve`, t.token);

    const generate = { client_id: client.id, period_start: '2026-03-01', period_end: '2026-03-31' };
    const inv = await call('POST', '/api/invoices/generate', billing.token, generate);
    expect(inv.status).toBe(201);
    expect(inv.body.billed_entry_count).toBe(2);
    expect(inv.body.lines.map((l: { amount_cents: number }) => l.amount_cents)).toEqual([
      29_000, 50_000,
    ]);
    expect(inv.body.lines[0].quantity).toBe('2.42');
    expect(inv.body.invoice).toMatchObject({
      generation: 'automatic',
      subtotal_cents: 79_000,
      tax_cents: 7_900,
      total_cents: 86_900,
      status: 'draft',
    });
    // The billed time and the fixed fee are not billed twice for the same period.
    const again = await call('POST', '/api/invoices/generate', billing.token, generate);
    expect(again).toMatchObject({ status: 409, body: { error: 'nothing_to_bill' } });
    expect((await call('POST', '/api/invoices/generate', tech.token, generate)).status).toBe(403);
    const badPeriod = await call('POST', '/api/invoices/generate', billing.token, {
      ...generate,
      period_end: '2026-02-01',
    });
    expect(badPeriod.body.field).toBe('period_end');
  });

  it('takes payments and credits up to the balance, then marks the invoice paid', async () => {
    const { call, billing, client } = await setup();
    const created = await call('POST', '/api/invoices', billing.token, {
      client_id: client.id,
      lines: [{ description: 'Firewall', quantity: 2, unit_price_cents: 25_000 }],
    });
    expect(created.body.invoice).toMatchObject({ generation: 'manual', total_cents: 55_000 });
    const id = created.body.invoice.id;
    const draftSend = await call('POST', `/api/invoices/${id}/send`, billing.token, {
      method: 'email',
    });
    expect(draftSend.body.error).toBe('invalid_transition');
    const early = await call('POST', `/api/invoices/${id}/payments`, billing.token, {
      amount_cents: 100,
      method: 'card',
    });
    expect(early.body.error).toBe('invoice_closed');
    await call('POST', `/api/invoices/${id}/finalize`, billing.token);
    const pay = await call('POST', `/api/invoices/${id}/payments`, billing.token, {
      amount_cents: 40_000,
      method: 'ach',
    });
    expect(pay.body.balance_cents).toBe(15_000);
    const over = await call('POST', `/api/invoices/${id}/payments`, billing.token, {
      amount_cents: 15_001,
      method: 'ach',
    });
    expect(over.body.field).toBe('amount_cents');
    const badMethod = await call('POST', `/api/invoices/${id}/payments`, billing.token, {
      amount_cents: 1,
      method: 'bitcoin',
    });
    expect(badMethod.body.field).toBe('method');
    const credit = (
      await call('POST', '/api/credits', billing.token, {
        client_id: client.id,
        amount_cents: 20_000,
        source: 'prepayment',
      })
    ).body.credit;
    const applied = await call('POST', `/api/invoices/${id}/apply-credit`, billing.token, {
      credit_id: credit.id,
    });
    expect(applied.body).toMatchObject({ balance_cents: 0, invoice: { status: 'paid' } });
    const sent = await call('POST', `/api/invoices/${id}/send`, billing.token, { method: 'email' });
    expect(sent.body.invoice.sent_at).toBe('2026-03-02T09:00:00.000Z');
    const badSend = await call('POST', `/api/invoices/${id}/send`, billing.token, {
      method: 'fax',
    });
    expect(badSend.body.field).toBe('method');
    const credits = await call('GET', `/api/credits?client_id=${client.id}`, billing.token);
    expect(credits.body.credits[0].remaining_cents).toBe(5_000);
  });

  it('keeps invoices, rules and credits inside the tenant', async () => {
    const { call, billing, client } = await setup();
    const inv = await call('POST', '/api/invoices', billing.token, {
      client_id: client.id,
      lines: [{ description: 'x', quantity: 1, unit_price_cents: 100 }],
    });
    const other = await signupTenant(call, 'Rival');
    expect((await call('GET', `/api/invoices/${inv.body.invoice.id}`, other.token)).status).toBe(
      404,
    );
    expect((await call('GET', '/api/invoices', other.token)).body.invoices).toEqual([]);
    const foreignRule = await call('POST', '/api/billing-rules', other.token, {
      client_id: client.id,
      type: 'hourly',
      name: 'x',
      amount_cents: 1,
    });
    expect(foreignRule).toMatchObject({ status: 400, body: { field: 'client_id' } });
    const ownRule = await call('POST', '/api/billing-rules', billing.token, {
      client_id: client.id,
      type: 'fixed',
      name: 'Backup',
      amount_cents: 5_000,
    });
    const path = `/api/billing-rules/${ownRule.body.billing_rule.id}`;
    expect((await call('PATCH', path, other.token, { amount_cents: 1 })).status).toBe(404);
    const patched = await call('PATCH', path, billing.token, { is_active: false });
    expect(patched.body.billing_rule).toMatchObject({ is_active: false, amount_cents: 5_000 });
    const foreignInvoice = await call('POST', '/api/invoices', other.token, {
      client_id: client.id,
      lines: [{ description: 'x', quantity: 1, unit_price_cents: 100 }],
    });
    expect(foreignInvoice.body.field).toBe('client_id');
  });
});
