// POST /api/invoices/:id/sync against the fake accounting system, scripted through its `random`
// and timed on the app's clock: the export is measured (slow_operation, operation_error with the
// error class only), a failure is a clear API error and leaves the invoice as it was.
import { psaCatalog } from '@tally/catalog';
import { createFakeAccounting, type FakeAccountingOptions } from '@tally/psa-demo';
import { createTestAnalytics } from '@tally/sdk/testing';
import { describe, expect, it } from 'vitest';
import { addUser, makeApp, START, signupTenant } from './helpers.js';

// The fake's draws per call: the outcome roll, the latency, then whether the service fails.
const FAST = [0.5, 0.5, 0.99]; // 50-300 ms band: 175 ms
const SLOW = [0.05, 0.5, 0.99]; // 600-4000 ms band: 2300 ms
const TIMEOUT = [0]; // never answers: fails after timeoutMs
const UNAVAILABLE = [0.5, 0.5, 0]; // answers 503

const CLIENT = 'Jane Doe Plumbing';
const LINE = 'On-site visit, call Jane on +1 415 555 0134';

async function setup(script: number[], options: FakeAccountingOptions = {}) {
  let t = START.getTime();
  const slept: number[] = [];
  const draws = [...script];
  const accounting = createFakeAccounting({
    sleep: (ms) => {
      slept.push(ms);
      t += ms;
    },
    random: () => {
      const next = draws.shift();
      if (next === undefined) throw new Error('test: the fake drew more than scripted');
      return next;
    },
    ...options,
  });
  const analytics = createTestAnalytics({ catalog: psaCatalog });
  const ctx = await makeApp({
    now: () => new Date(t),
    accounting,
    analytics,
    instrumentation: { http: { sampleRate: 1 } },
    onUnexpectedError: () => {},
  });
  const tenant = await signupTenant(ctx.call);
  const client = (await ctx.call('POST', '/api/clients', tenant.token, { name: CLIENT })).body
    .client;
  /** A finalized manual invoice; returns its id. */
  const invoice = async (currency = 'USD') => {
    const made = await ctx.call('POST', '/api/invoices', tenant.token, {
      client_id: client.id,
      currency,
      lines: [{ description: LINE, quantity: 2, unit_price_cents: 15_000 }],
    });
    expect(made.status).toBe(201);
    const id: string = made.body.invoice.id;
    expect((await ctx.call('POST', `/api/invoices/${id}/finalize`, tenant.token)).status).toBe(200);
    return id;
  };
  const sync = (id: string, token = tenant.token) =>
    ctx.call('POST', `/api/invoices/${id}/sync`, token);
  const read = async (id: string) =>
    (await ctx.call('GET', `/api/invoices/${id}`, tenant.token)).body;
  analytics.reset();
  return { ...ctx, accounting, analytics, tenant, client, invoice, sync, read, draws, slept };
}

/** The invoice as the books see it: everything but the sync columns. */
function billingState(detail: { invoice: Record<string, unknown>; lines: unknown }) {
  const {
    sync_status: _s,
    sync_error: _e,
    sync_attempts: _a,
    synced_at: _at,
    accounting_ref: _r,
    ...rest
  } = detail.invoice;
  return { invoice: rest, lines: detail.lines };
}

describe('POST /api/invoices/:id/sync', () => {
  it('exports a finalized invoice, records the remote ref, and re-exports it as an update', async () => {
    const { accounting, analytics, draws, invoice, read, sync } = await setup([...FAST, ...FAST]);
    const id = await invoice();
    expect((await read(id)).invoice).toMatchObject({ sync_status: 'never', sync_attempts: 0 });
    const res = await sync(id);
    expect(res.status).toBe(200);
    expect(res.body.invoice).toMatchObject({
      id,
      status: 'finalized',
      sync_status: 'synced',
      sync_error: null,
      sync_attempts: 1,
      accounting_ref: 'ACC-000001',
      synced_at: new Date(START.getTime() + 175).toISOString(),
    });
    // The accounting system got the customer and the lines (it is on the PSA's side of the wall).
    expect(accounting.ledger.get(id)).toMatchObject({
      customer: { name: CLIENT },
      currency: 'USD',
      totalCents: 30_000,
      lines: [{ description: LINE, quantity: 2, unitPriceCents: 15_000, amountCents: 30_000 }],
    });
    const again = await sync(id);
    expect(again.body.invoice).toMatchObject({ sync_attempts: 2, accounting_ref: 'ACC-000001' });
    expect(accounting.ledger.size).toBe(1);
    expect(draws).toEqual([]);
    // 175 ms is under the 500 ms threshold: nothing to report.
    analytics.expectNoEvent('slow_operation');
    analytics.expectNoEvent('operation_error');
  });

  it('reports a slow export as slow_operation, timed on the app’s clock', async () => {
    const { analytics, invoice, slept, sync } = await setup(SLOW);
    const id = await invoice();
    expect((await sync(id)).status).toBe(200);
    expect(slept).toEqual([2_300]);
    analytics.expectEvent('slow_operation', {
      operation: 'accounting.export_invoice',
      duration_ms: 2_300,
      class_name: 'Function',
      method_name: 'exportInvoice',
      threshold_ms: 500,
    });
    analytics.expectNoEvent('operation_error');
  });

  it('answers 504 on a timeout, keeps the invoice intact, records the failure and syncs on retry', async () => {
    const { analytics, invoice, read, sync } = await setup([...TIMEOUT, ...FAST], {
      timeoutMs: 8_000,
    });
    const id = await invoice();
    const before = await read(id);
    const res = await sync(id);
    expect(res.status).toBe(504);
    expect(res.body).toEqual({
      error: 'accounting_timeout',
      message:
        'The accounting system did not answer in time; the invoice is unchanged here, sync again later',
    });
    const after = await read(id);
    expect(billingState(after)).toEqual(billingState(before));
    expect(after.invoice).toMatchObject({
      sync_status: 'failed',
      sync_error: 'accounting_timeout',
      sync_attempts: 1,
      accounting_ref: null,
      synced_at: null,
    });
    const event = analytics.expectEvent('operation_error', {
      operation: 'accounting.export_invoice',
      error_type: 'AccountingTimeoutError',
      class_name: 'Function',
      method_name: 'exportInvoice',
      duration_ms: 8_000,
    });
    // The error class and nothing else: not its message ('...did not answer within 8000 ms').
    expect(JSON.stringify(event)).not.toMatch(/answer|message|stack/i);
    analytics.expectEvent('api_error', { route: '/api/invoices/:id/sync', status: 504 });

    const retried = await sync(id);
    expect(retried.status).toBe(200);
    expect(retried.body.invoice).toMatchObject({
      sync_status: 'synced',
      sync_error: null,
      sync_attempts: 2,
      accounting_ref: 'ACC-000001',
    });
    expect(billingState(await read(id))).toEqual(billingState(before));
  });

  it('answers 502 when the accounting system fails, reporting AccountingSyncError', async () => {
    const { analytics, invoice, read, sync } = await setup(UNAVAILABLE);
    const id = await invoice();
    const res = await sync(id);
    expect(res.status).toBe(502);
    expect(res.body.error).toBe('accounting_unavailable');
    expect(res.body.field).toBeUndefined();
    expect((await read(id)).invoice).toMatchObject({
      status: 'finalized',
      sync_status: 'failed',
      sync_error: 'accounting_unavailable',
    });
    analytics.expectEvent('operation_error', {
      operation: 'accounting.export_invoice',
      error_type: 'AccountingSyncError',
    });
  });

  it('answers 422 naming the field the accounting system refused, and no name reaches an event', async () => {
    const { accounting, analytics, invoice, sync, tenant } = await setup([...FAST, ...FAST]);
    // The fake's own error quotes the customer, as real accounting APIs do...
    await expect(
      accounting.exportInvoice({
        id: 'x',
        number: 1,
        accountingRef: null,
        customer: { id: 'c', name: CLIENT },
        currency: 'JPY',
        issuedAt: START,
        subtotalCents: 1,
        taxCents: 0,
        totalCents: 1,
        paidCents: 0,
        lines: [],
      }),
    ).rejects.toThrow(CLIENT);
    // ...so neither the API answer nor any event may carry that message.
    const id = await invoice('JPY');
    const res = await sync(id);
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      error: 'accounting_rejected',
      message: 'The accounting system refused the invoice; correct the named field and sync again',
      field: 'currency',
    });
    analytics.expectEvent('operation_error', { error_type: 'AccountingSyncError' });
    analytics.expectNoPII([CLIENT, 'Jane', '555 0134', tenant.email]);
  });

  it('syncs only finalized or paid invoices of the caller’s tenant, for billers', async () => {
    const { call, client, sync, tenant } = await setup([]);
    const draft = await call('POST', '/api/invoices', tenant.token, {
      client_id: client.id,
      lines: [{ description: 'Setup', quantity: 1, unit_price_cents: 100 }],
    });
    const res = await sync(draft.body.invoice.id);
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('invalid_transition');
    const tech = await addUser(call, tenant.token, 'technician');
    expect((await sync(draft.body.invoice.id, tech.token)).status).toBe(403);
    const other = await signupTenant(call, 'Other MSP');
    expect((await sync(draft.body.invoice.id, other.token)).status).toBe(404);
  });
});
