// Billing: billing rules (contract lines), invoices (manual, and generated from the rules over
// approved time), finalization, payments and credits.
import { Hono } from 'hono';
import { z } from 'zod';
import type { PsaContext, PsaDeps, PsaEnv, Session } from '../context.js';
import { inTransaction } from '../db/transaction.js';
import { PsaError } from '../errors.js';
import { useFeature } from '../features.js';
import {
  balanceOf,
  billableLines,
  INVOICE_SELECT,
  insertInvoice,
  invoiceLines,
  loadInvoice,
} from '../invoice-store.js';
import type { BillingRuleRow, CreditRow, InvoiceRow, PaymentRow } from '../records.js';
import { requireRole } from '../session.js';
import { assertInTenant } from '../ticket-store.js';
import { parseWith, readBody, uuidParam } from '../validation.js';

const cents = z.int().min(1).max(100_000_000);
const ruleSchema = z.object({
  client_id: z.uuid(),
  type: z.enum(['hourly', 'fixed']),
  name: z.string().trim().min(1).max(200),
  amount_cents: cents,
});
const manualSchema = z.object({
  client_id: z.uuid(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default('USD'),
  lines: z
    .array(
      z.object({
        description: z.string().trim().min(1).max(500),
        quantity: z.number().positive().max(100_000),
        unit_price_cents: z.int().min(0).max(100_000_000),
      }),
    )
    .min(1)
    .max(200),
});
const generateSchema = z
  .object({ client_id: z.uuid(), period_start: z.iso.date(), period_end: z.iso.date() })
  .refine((b) => b.period_start <= b.period_end, { path: ['period_end'] });
const paymentSchema = z.object({
  amount_cents: cents,
  method: z.enum(['card', 'ach', 'bank_transfer', 'check', 'cash', 'other']),
});
const creditSchema = z.object({
  client_id: z.uuid(),
  amount_cents: cents,
  source: z.enum(['prepayment', 'manual_adjustment', 'refund']),
});
const applySchema = z.object({ credit_id: z.uuid(), amount_cents: cents.optional() });
const ruleUpdateSchema = z
  .object({ name: z.string().trim().min(1).max(200), amount_cents: cents, is_active: z.boolean() })
  .partial();
const sendSchema = z.object({ method: z.enum(['email', 'client_portal', 'pdf_download']) });
const clientFilter = z.object({ client_id: z.uuid().optional() });

/** The roles that may bill (and export invoices to accounting). */
export const BILLERS = ['admin', 'billing_admin'] as const;

export function billingRoutes(deps: PsaDeps): Hono<PsaEnv> {
  const app = new Hono<PsaEnv>();
  // Billing is for admins and billing admins; other routes share the /api prefix, so the role
  // check runs per route rather than as a '*' middleware.
  const biller = (c: PsaContext): Session => {
    const s = c.get('session');
    requireRole(s, ...BILLERS);
    return s;
  };

  app.post('/billing-rules', async (c) => {
    const s = biller(c);
    const body = await readBody(c, ruleSchema);
    await assertInTenant(deps.db, 'clients', body.client_id, s.tenantId, 'client_id');
    const { rows } = await deps.db.query<BillingRuleRow>(
      `INSERT INTO billing_rules (id, tenant_id, client_id, type, name, amount_cents, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [
        deps.ids.id(),
        s.tenantId,
        body.client_id,
        body.type,
        body.name,
        body.amount_cents,
        deps.now(),
      ],
    );
    const rule = rows[0] as BillingRuleRow;
    deps.hooks.billingRuleCreated(rule, s);
    await useFeature(deps, s, 'billing_rules');
    return c.json({ billing_rule: rule }, 201);
  });

  app.patch('/billing-rules/:id', async (c) => {
    const s = biller(c);
    const id = uuidParam(c.req.param('id'));
    const body = await readBody(c, ruleUpdateSchema);
    const { rows: found } = await deps.db.query<BillingRuleRow>(
      'SELECT * FROM billing_rules WHERE id = $1 AND tenant_id = $2',
      [id, s.tenantId],
    );
    const before = found[0];
    if (before === undefined) throw new PsaError('not_found');
    const { rows } = await deps.db.query<BillingRuleRow>(
      `UPDATE billing_rules SET name = $2, amount_cents = $3, is_active = $4 WHERE id = $1
       RETURNING *`,
      [
        before.id,
        body.name ?? before.name,
        body.amount_cents ?? before.amount_cents,
        body.is_active ?? before.is_active,
      ],
    );
    const after = rows[0] as BillingRuleRow;
    deps.hooks.billingRuleUpdated(before, after, s);
    return c.json({ billing_rule: after });
  });

  app.get('/billing-rules', async (c) => {
    const s = biller(c);
    const q = parseWith(clientFilter, c.req.query());
    const { rows } = await deps.db.query(
      `SELECT * FROM billing_rules WHERE tenant_id = $1 AND ($2::uuid IS NULL OR client_id = $2)
       ORDER BY created_at, id`,
      [s.tenantId, q.client_id ?? null],
    );
    return c.json({ billing_rules: rows });
  });

  app.post('/invoices', async (c) => {
    const s = biller(c);
    const body = await readBody(c, manualSchema);
    const lines = body.lines.map((l) => ({
      ...l,
      amount_cents: Math.round(l.quantity * l.unit_price_cents),
      billing_rule_id: null,
    }));
    const result = await inTransaction(deps.db, async (tx, defer) => {
      const created = await insertInvoice(tx, deps.ids, s, {
        clientId: body.client_id,
        currency: body.currency,
        generation: 'manual',
        lines,
        periodStart: null,
        periodEnd: null,
        now: deps.now(),
      });
      defer(() => deps.hooks.invoiceGenerated(created.invoice, created.lines, s));
      return created;
    });
    await useFeature(deps, s, 'invoice_manual');
    return c.json(result, 201);
  });

  app.post('/invoices/generate', async (c) => {
    const s = biller(c);
    const body = await readBody(c, generateSchema);
    await assertInTenant(deps.db, 'clients', body.client_id, s.tenantId, 'client_id');
    const result = await inTransaction(deps.db, async (tx, defer) => {
      const run = await deps.hooks.measure('billing.run_rules', () =>
        billableLines(tx, s, body.client_id, body.period_start, body.period_end),
      );
      if (run.lines.length === 0) throw new PsaError('nothing_to_bill');
      const created = await insertInvoice(tx, deps.ids, s, {
        clientId: body.client_id,
        currency: 'USD',
        generation: 'automatic',
        lines: run.lines,
        periodStart: body.period_start,
        periodEnd: body.period_end,
        now: deps.now(),
      });
      // Deferred: if marking the time billed fails, the invoice rolls back and nothing is reported.
      defer(() => deps.hooks.invoiceGenerated(created.invoice, created.lines, s));
      await tx.query('UPDATE time_entries SET invoice_id = $1 WHERE id = ANY($2)', [
        created.invoice.id,
        run.entryIds,
      ]);
      return { ...created, billed_entry_count: run.entryIds.length };
    });
    await useFeature(deps, s, 'invoice_generation');
    return c.json(result, 201);
  });

  app.get('/invoices', async (c) => {
    const s = biller(c);
    const q = parseWith(clientFilter, c.req.query());
    const { rows } = await deps.db.query<InvoiceRow>(
      `${INVOICE_SELECT} WHERE tenant_id = $1 AND ($2::uuid IS NULL OR client_id = $2)
       ORDER BY number DESC`,
      [s.tenantId, q.client_id ?? null],
    );
    return c.json({ invoices: rows });
  });

  app.get('/invoices/:id', async (c) => {
    const invoice = await loadInvoice(deps.db, biller(c), uuidParam(c.req.param('id')));
    const payments = await deps.db.query('SELECT * FROM payments WHERE invoice_id = $1', [
      invoice.id,
    ]);
    return c.json({
      invoice,
      lines: await invoiceLines(deps.db, invoice.id),
      payments: payments.rows,
      balance_cents: balanceOf(invoice),
    });
  });

  app.post('/invoices/:id/finalize', async (c) => {
    const s = biller(c);
    const invoice = await loadInvoice(deps.db, s, uuidParam(c.req.param('id')));
    if (invoice.status !== 'draft') throw new PsaError('invalid_transition');
    await deps.db.query(
      `UPDATE invoices SET status = 'finalized', finalized_at = $2 WHERE id = $1`,
      [invoice.id, deps.now()],
    );
    const after = await loadInvoice(deps.db, s, invoice.id);
    deps.hooks.invoiceFinalized(after, await invoiceLines(deps.db, invoice.id), s);
    return c.json({ invoice: after });
  });

  // Delivery is simulated: the invoice is marked sent (again, for a resend).
  app.post('/invoices/:id/send', async (c) => {
    const s = biller(c);
    const before = await loadInvoice(deps.db, s, uuidParam(c.req.param('id')));
    const body = await readBody(c, sendSchema);
    if (before.status === 'draft' || before.status === 'void') {
      throw new PsaError('invalid_transition');
    }
    await deps.db.query('UPDATE invoices SET sent_at = $2 WHERE id = $1', [before.id, deps.now()]);
    deps.hooks.invoiceSent(before, body.method, s);
    return c.json({ invoice: await loadInvoice(deps.db, s, before.id) });
  });

  /** Adds a settled amount (payment or credit) and marks the invoice paid at zero balance. */
  const settle = async (s: Session, invoice: InvoiceRow, column: string, amount: number) => {
    await deps.db.query(
      `UPDATE invoices SET ${column} = ${column} + $2,
         status = CASE WHEN total_cents - paid_cents - credited_cents - $2 = 0 THEN 'paid' ELSE status END
       WHERE id = $1`,
      [invoice.id, amount],
    );
    return loadInvoice(deps.db, s, invoice.id);
  };

  app.post('/invoices/:id/payments', async (c) => {
    const s = biller(c);
    const invoice = await loadInvoice(deps.db, s, uuidParam(c.req.param('id')));
    const body = await readBody(c, paymentSchema);
    if (invoice.status !== 'finalized') throw new PsaError('invoice_closed');
    if (body.amount_cents > balanceOf(invoice))
      throw new PsaError('validation_failed', 'amount_cents');
    const { rows } = await deps.db.query<PaymentRow>(
      `INSERT INTO payments (id, tenant_id, invoice_id, amount_cents, method, received_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [deps.ids.id(), s.tenantId, invoice.id, body.amount_cents, body.method, deps.now()],
    );
    const after = await settle(s, invoice, 'paid_cents', body.amount_cents);
    deps.hooks.paymentRecorded(rows[0] as PaymentRow, after, s);
    await useFeature(deps, s, 'payment_tracking');
    return c.json({ payment: rows[0], invoice: after, balance_cents: balanceOf(after) }, 201);
  });

  app.post('/credits', async (c) => {
    const s = biller(c);
    const body = await readBody(c, creditSchema);
    await assertInTenant(deps.db, 'clients', body.client_id, s.tenantId, 'client_id');
    const { rows } = await deps.db.query<CreditRow>(
      `INSERT INTO credits (id, tenant_id, client_id, amount_cents, remaining_cents, source, created_at)
       VALUES ($1, $2, $3, $4, $4, $5, $6) RETURNING *`,
      [deps.ids.id(), s.tenantId, body.client_id, body.amount_cents, body.source, deps.now()],
    );
    return c.json({ credit: rows[0] }, 201);
  });

  app.get('/credits', async (c) => {
    const s = biller(c);
    const q = parseWith(clientFilter, c.req.query());
    const { rows } = await deps.db.query(
      `SELECT * FROM credits WHERE tenant_id = $1 AND ($2::uuid IS NULL OR client_id = $2)
       ORDER BY created_at, id`,
      [s.tenantId, q.client_id ?? null],
    );
    return c.json({ credits: rows });
  });

  app.post('/invoices/:id/apply-credit', async (c) => {
    const s = biller(c);
    const invoice = await loadInvoice(deps.db, s, uuidParam(c.req.param('id')));
    const body = await readBody(c, applySchema);
    if (invoice.status !== 'finalized') throw new PsaError('invoice_closed');
    const { rows } = await deps.db.query<CreditRow>(
      'SELECT * FROM credits WHERE id = $1 AND tenant_id = $2 AND client_id = $3',
      [body.credit_id, s.tenantId, invoice.client_id],
    );
    const credit = rows[0];
    if (credit === undefined) throw new PsaError('validation_failed', 'credit_id');
    const amount = body.amount_cents ?? Math.min(credit.remaining_cents, balanceOf(invoice));
    if (amount > credit.remaining_cents || amount > balanceOf(invoice) || amount < 1) {
      throw new PsaError('validation_failed', 'amount_cents');
    }
    await deps.db.query(
      `INSERT INTO credit_applications (id, credit_id, invoice_id, amount_cents, applied_at)
       VALUES ($1, $2, $3, $4, $5)`,
      [deps.ids.id(), credit.id, invoice.id, amount, deps.now()],
    );
    await deps.db.query('UPDATE credits SET remaining_cents = remaining_cents - $2 WHERE id = $1', [
      credit.id,
      amount,
    ]);
    const after = await settle(s, invoice, 'credited_cents', amount);
    deps.hooks.creditApplied(credit, after, amount, s);
    await useFeature(deps, s, 'credit_management');
    return c.json({ invoice: after, balance_cents: balanceOf(after) });
  });

  return app;
}
