// Invoice reads and the billing run that turns approved time into an invoice.
import type { Session } from './context.js';
import type { Queryable } from './db/database.js';
import { PsaError } from './errors.js';
import type { IdSource } from './ids.js';
import type { BillingRuleRow, InvoiceLineRow, InvoiceRow } from './records.js';

export const INVOICE_SELECT = `SELECT id, tenant_id, client_id, number, status, generation, currency,
  subtotal_cents, tax_cents, total_cents, paid_cents, credited_cents,
  to_char(period_start, 'YYYY-MM-DD') AS period_start, to_char(period_end, 'YYYY-MM-DD') AS period_end,
  created_at, finalized_at, sent_at, sync_status, sync_error, sync_attempts, synced_at,
  accounting_ref FROM invoices`;

export function balanceOf(invoice: InvoiceRow): number {
  return invoice.total_cents - invoice.paid_cents - invoice.credited_cents;
}

export async function loadInvoice(
  db: Queryable,
  session: Session,
  id: string | null,
): Promise<InvoiceRow> {
  if (id === null) throw new PsaError('not_found');
  const { rows } = await db.query<InvoiceRow>(
    `${INVOICE_SELECT} WHERE id = $1 AND tenant_id = $2`,
    [id, session.tenantId],
  );
  if (rows[0] === undefined) throw new PsaError('not_found');
  return rows[0];
}

export interface DraftLine {
  description: string;
  quantity: number;
  unit_price_cents: number;
  amount_cents: number;
  billing_rule_id: string | null;
}

/** Inserts an invoice with its lines; tax is the client's rate on the subtotal, rounded. */
export async function insertInvoice(
  tx: Queryable,
  ids: IdSource,
  session: Session,
  input: {
    clientId: string;
    currency: string;
    generation: 'manual' | 'automatic';
    lines: DraftLine[];
    periodStart: string | null;
    periodEnd: string | null;
    now: Date;
  },
): Promise<{ invoice: InvoiceRow; lines: InvoiceLineRow[] }> {
  const { rows: clients } = await tx.query<{ tax_rate_bps: number }>(
    'SELECT tax_rate_bps FROM clients WHERE id = $1 AND tenant_id = $2',
    [input.clientId, session.tenantId],
  );
  const client = clients[0];
  if (client === undefined) throw new PsaError('validation_failed', 'client_id');
  const subtotal = input.lines.reduce((sum, l) => sum + l.amount_cents, 0);
  const tax = Math.round((subtotal * client.tax_rate_bps) / 10_000);
  const id = ids.id();
  await tx.query(
    `INSERT INTO invoices (id, tenant_id, client_id, number, status, generation, currency,
       subtotal_cents, tax_cents, total_cents, period_start, period_end, created_at)
     VALUES ($1, $2, $3, (SELECT COALESCE(MAX(number), 0) + 1 FROM invoices WHERE tenant_id = $2),
       'draft', $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      id,
      session.tenantId,
      input.clientId,
      input.generation,
      input.currency,
      subtotal,
      tax,
      subtotal + tax,
      input.periodStart,
      input.periodEnd,
      input.now,
    ],
  );
  for (const [position, line] of input.lines.entries()) {
    await tx.query(
      `INSERT INTO invoice_lines (id, invoice_id, description, quantity, unit_price_cents,
         amount_cents, billing_rule_id, position) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        ids.id(),
        id,
        line.description,
        line.quantity,
        line.unit_price_cents,
        line.amount_cents,
        line.billing_rule_id,
        position,
      ],
    );
  }
  const invoice = (await tx.query<InvoiceRow>(`${INVOICE_SELECT} WHERE id = $1`, [id])).rows[0];
  return { invoice: invoice as InvoiceRow, lines: await invoiceLines(tx, id) };
}

export async function invoiceLines(db: Queryable, invoiceId: string): Promise<InvoiceLineRow[]> {
  const { rows } = await db.query<InvoiceLineRow>(
    `SELECT id, invoice_id, description, quantity::text AS quantity, unit_price_cents,
       amount_cents, billing_rule_id FROM invoice_lines WHERE invoice_id = $1 ORDER BY position, id`,
    [invoiceId],
  );
  return rows;
}

/**
 * The billing run for one client and period: approved, billable, not yet invoiced time on the
 * client's tickets, priced by the client's first active hourly rule (minutes x rate / 60, rounded
 * to the cent), plus one line per active fixed rule not yet billed for an overlapping period. Returns the lines and the billed entry ids.
 */
export async function billableLines(
  tx: Queryable,
  session: Session,
  clientId: string,
  periodStart: string,
  periodEnd: string,
): Promise<{ lines: DraftLine[]; entryIds: string[] }> {
  const { rows: rules } = await tx.query<BillingRuleRow>(
    `SELECT * FROM billing_rules WHERE tenant_id = $1 AND client_id = $2 AND is_active
     ORDER BY created_at, id`,
    [session.tenantId, clientId],
  );
  const lines: DraftLine[] = [];
  let entryIds: string[] = [];
  const hourly = rules.find((r) => r.type === 'hourly');
  if (hourly !== undefined) {
    const { rows: entries } = await tx.query<{ id: string; duration_minutes: number }>(
      `SELECT e.id, e.duration_minutes FROM time_entries e
         JOIN timesheets s ON s.id = e.timesheet_id
         JOIN tickets t ON t.id = e.ticket_id
       WHERE e.tenant_id = $1 AND t.client_id = $2 AND s.status = 'approved' AND e.is_billable
         AND e.invoice_id IS NULL AND e.work_date BETWEEN $3 AND $4`,
      [session.tenantId, clientId, periodStart, periodEnd],
    );
    const minutes = entries.reduce((sum, e) => sum + e.duration_minutes, 0);
    if (minutes > 0) {
      lines.push({
        description: hourly.name,
        quantity: Math.round((minutes / 60) * 100) / 100,
        unit_price_cents: hourly.amount_cents,
        amount_cents: Math.round((minutes * hourly.amount_cents) / 60),
        billing_rule_id: hourly.id,
      });
      entryIds = entries.map((e) => e.id);
    }
  }
  for (const rule of rules.filter((r) => r.type === 'fixed')) {
    // A fixed fee is billed once per period: skip it when an invoice overlapping this period has it.
    const billed = await tx.query(
      `SELECT 1 FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
       WHERE l.billing_rule_id = $1 AND i.status <> 'void' AND i.period_start <= $3
         AND i.period_end >= $2`,
      [rule.id, periodStart, periodEnd],
    );
    if (billed.rows.length > 0) continue;
    lines.push({
      description: rule.name,
      quantity: 1,
      unit_price_cents: rule.amount_cents,
      amount_cents: rule.amount_cents,
      billing_rule_id: rule.id,
    });
  }
  return { lines, entryIds };
}
