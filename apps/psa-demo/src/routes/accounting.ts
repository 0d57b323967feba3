// Accounting export: POST /api/invoices/:id/sync sends a finalized (or paid) invoice to the
// accounting system the app was given. The remote call is slow and fails now and then, so it is
// measured (`accounting.export_invoice`: slow_operation, operation_error with the error class
// only) and made outside any transaction; its outcome is then recorded on the invoice. A failure
// never touches the invoice's amounts or status: it answers 422/502/504 and the caller syncs again.
import { Hono } from 'hono';
import {
  type AccountingInvoice,
  AccountingSyncError,
  AccountingTimeoutError,
} from '../accounting.js';
import type { PsaDeps, PsaEnv } from '../context.js';
import { PsaError } from '../errors.js';
import { invoiceLines, loadInvoice } from '../invoice-store.js';
import type { InvoiceRow } from '../records.js';
import { requireRole } from '../session.js';
import { uuidParam } from '../validation.js';
import { BILLERS } from './billing.js';

/** The operation name in slow_operation and operation_error. */
export const EXPORT_OPERATION = 'accounting.export_invoice';

/** What the API client is told when an export fails; undefined for an error we do not know. */
export function exportFailure(error: unknown): PsaError | undefined {
  if (error instanceof AccountingTimeoutError) return new PsaError('accounting_timeout');
  if (error instanceof AccountingSyncError) {
    return error.reason === 'rejected'
      ? new PsaError('accounting_rejected', error.field)
      : new PsaError('accounting_unavailable');
  }
  return undefined;
}

async function exportPayload(deps: PsaDeps, invoice: InvoiceRow): Promise<AccountingInvoice> {
  const { rows } = await deps.db.query<{ name: string }>('SELECT name FROM clients WHERE id = $1', [
    invoice.client_id,
  ]);
  const lines = await invoiceLines(deps.db, invoice.id);
  return {
    id: invoice.id,
    number: invoice.number,
    accountingRef: invoice.accounting_ref,
    customer: { id: invoice.client_id, name: rows[0]?.name ?? '' },
    currency: invoice.currency,
    issuedAt: invoice.finalized_at ?? invoice.created_at,
    subtotalCents: invoice.subtotal_cents,
    taxCents: invoice.tax_cents,
    totalCents: invoice.total_cents,
    paidCents: invoice.paid_cents + invoice.credited_cents,
    lines: lines.map((l) => ({
      description: l.description,
      quantity: Number(l.quantity),
      unitPriceCents: l.unit_price_cents,
      amountCents: l.amount_cents,
    })),
  };
}

export function accountingRoutes(deps: PsaDeps): Hono<PsaEnv> {
  const app = new Hono<PsaEnv>();

  /** Records one export attempt; only the sync columns change. */
  const record = (
    invoiceId: string,
    outcome: { status: 'synced'; accountingRef: string } | { status: 'failed'; error: string },
  ) =>
    deps.db.query(
      `UPDATE invoices SET sync_status = $2, sync_error = $3, sync_attempts = sync_attempts + 1,
         synced_at = CASE WHEN $2 = 'synced' THEN $4 ELSE synced_at END,
         accounting_ref = COALESCE($5, accounting_ref)
       WHERE id = $1`,
      [
        invoiceId,
        outcome.status,
        outcome.status === 'failed' ? outcome.error : null,
        deps.now(),
        outcome.status === 'synced' ? outcome.accountingRef : null,
      ],
    );

  app.post('/invoices/:id/sync', async (c) => {
    const s = c.get('session');
    requireRole(s, ...BILLERS);
    const invoice = await loadInvoice(deps.db, s, uuidParam(c.req.param('id')));
    // A draft can still change and a void invoice is not owed: neither belongs in the books.
    if (invoice.status === 'draft' || invoice.status === 'void') {
      throw new PsaError('invalid_transition');
    }
    const payload = await exportPayload(deps, invoice);
    // Named, so operation events carry method_name 'exportInvoice'.
    const exportInvoice = () => deps.accounting.exportInvoice(payload);
    try {
      const { accountingRef } = await deps.hooks.measure(EXPORT_OPERATION, exportInvoice);
      await record(invoice.id, { status: 'synced', accountingRef });
    } catch (error) {
      const failure = exportFailure(error);
      await record(invoice.id, { status: 'failed', error: failure?.code ?? 'internal' });
      throw failure ?? error;
    }
    return c.json({ invoice: await loadInvoice(deps.db, s, invoice.id) });
  });

  return app;
}
