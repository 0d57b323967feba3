import type { EventInput, PsaCatalog } from '@tally/catalog';
import { type Actor, assertSameRecord, contextOf, type Emitter } from './emit.js';
import { daysBetween, signedDaysBetween, type Timestamp, toMs } from './timestamps.js';
import { isSame, isSet } from './values.js';

type In<N extends keyof PsaCatalog['events']> = EventInput<PsaCatalog, N>;
export type DeliveryMethod = In<'invoice_sent'>['delivery_method'];
export type PaymentMethod = In<'payment_recorded'>['method'];
export type PaymentSource = In<'payment_recorded'>['recorded_via'];
export type BillingRuleType = In<'billing_rule_created'>['rule_type'];
export type BillingRuleField = In<'billing_rule_updated'>['updated_fields'][number];
export type CreditSource = In<'credit_applied'>['source'];

/** One line of an invoice: a charge or a discount. Its description is never read. */
export interface InvoiceLineRecord {
  readonly isDiscount?: boolean | null | undefined;
  readonly taxCents?: number | null | undefined;
}

/**
 * An invoice as the PSA stores it. Amounts are integers in minor units (cents) and leave the
 * process only as the catalog's buckets. The client and its name are never read.
 */
export interface InvoiceRecord {
  readonly id: string;
  /** Total including tax. */
  readonly totalCents: number;
  /** ISO 4217, e.g. `USD`. */
  readonly currency: string;
  /** Whether a user created it by hand; false for a billing run over the billing rules. */
  readonly isManual: boolean;
  readonly isPrepayment?: boolean | null | undefined;
  readonly lines: readonly InvoiceLineRecord[];
  /** The invoice date, from which `days_to_pay` counts. */
  readonly invoiceDate: Timestamp;
  readonly createdAt: Timestamp;
  readonly finalizedAt?: Timestamp | null | undefined;
  /** The previous delivery, if any: pass the invoice as it was before this one. */
  readonly sentAt?: Timestamp | null | undefined;
  /** Tax on the whole invoice, when your app keeps it there rather than on lines. */
  readonly taxCents?: number | null | undefined;
  /** What is still owed before the payment being recorded. Default: `totalCents`. */
  readonly balanceCents?: number | null | undefined;
}

/** A payment against one invoice. */
export interface PaymentRecord {
  readonly invoiceId: string;
  readonly amountCents: number;
  readonly currency: string;
  readonly method: PaymentMethod;
  /** How it got into the app. Default `manual`. */
  readonly source?: PaymentSource | null | undefined;
  readonly paidAt: Timestamp;
}

/** Credit allocated to an invoice. */
export interface CreditApplicationRecord {
  readonly invoiceId: string;
  readonly amountCents: number;
  readonly currency: string;
  readonly source: CreditSource;
  /** Whether a billing run applied it rather than a user. */
  readonly isAutomatic: boolean;
}

/**
 * A billing rule (contract line, or a reusable preset). Its name and description are only
 * compared between snapshots; `rateCents` and other values never leave the process.
 */
export interface BillingRuleRecord {
  readonly id: string;
  readonly type: BillingRuleType;
  readonly isPreset: boolean;
  readonly contractId?: string | null | undefined;
  /** The preset the line was copied from. */
  readonly presetId?: string | null | undefined;
  readonly name?: string | null | undefined;
  readonly description?: string | null | undefined;
  readonly rateCents?: number | null | undefined;
  readonly billingFrequency?: string | null | undefined;
  readonly minimumBillableMinutes?: number | null | undefined;
  readonly roundUp?: boolean | null | undefined;
  readonly serviceIds?: readonly string[] | null | undefined;
  readonly taxRegionId?: string | null | undefined;
  readonly slaPolicyId?: string | null | undefined;
  readonly overtime?: Readonly<Record<string, unknown>> | null | undefined;
  readonly bucketHours?: number | null | undefined;
}

/** Which record keys make up each catalog field (`BILLING_RULE_FIELDS`), in its order. */
const RULE_FIELD_KEYS: ReadonlyArray<readonly [BillingRuleField, keyof BillingRuleRecord]> = [
  ['name', 'name'],
  ['description', 'description'],
  ['rate', 'rateCents'],
  ['billing_frequency', 'billingFrequency'],
  ['minimum_billable_time', 'minimumBillableMinutes'],
  ['round_up', 'roundUp'],
  ['services', 'serviceIds'],
  ['tax', 'taxRegionId'],
  ['sla', 'slaPolicyId'],
  ['overtime', 'overtime'],
  ['bucket_hours', 'bucketHours'],
];

export interface BillingTracker {
  /** `invoice_generated`: `generation` from `invoice.isManual`. */
  invoiceGenerated(invoice: InvoiceRecord, actor: Actor): void;
  /** `invoice_finalized`; days from creation to `finalizedAt` (else now). */
  invoiceFinalized(invoice: InvoiceRecord, actor: Actor): void;
  /** `invoice_sent`: pass the invoice as it was before this delivery (`sentAt` = resend). */
  invoiceSent(
    invoice: InvoiceRecord,
    actor: Actor,
    delivery: { method: DeliveryMethod; batchSize?: number | undefined },
  ): void;
  /** `payment_recorded`: pass the invoice as it was before this payment (its balance). */
  paymentRecorded(payment: PaymentRecord, invoice: InvoiceRecord, actor: Actor): void;
  /** `credit_applied`. */
  creditApplied(credit: CreditApplicationRecord, actor: Actor): void;
  /** `billing_rule_created`. */
  ruleCreated(rule: BillingRuleRecord, actor: Actor): void;
  /** `billing_rule_updated` with the changed field names; nothing when nothing changed. */
  ruleUpdated(before: BillingRuleRecord, after: BillingRuleRecord, actor: Actor): void;
}

export function createBillingTracker(out: Emitter): BillingTracker {
  return {
    invoiceGenerated(invoice, actor) {
      out.guard('invoice_generated', () => {
        out.emit(
          'invoice_generated',
          {
            invoice_id: invoice.id,
            generation: invoice.isManual ? 'manual' : 'automatic',
            line_count: invoice.lines.filter((l) => l.isDiscount !== true).length,
            discount_count: invoice.lines.filter((l) => l.isDiscount === true).length,
            amount: invoice.totalCents,
            currency: invoice.currency,
            is_prepayment: invoice.isPrepayment === true,
            has_tax:
              (invoice.taxCents ?? 0) !== 0 || invoice.lines.some((l) => (l.taxCents ?? 0) !== 0),
          },
          contextOf(actor),
        );
      });
    },
    invoiceFinalized(invoice, actor) {
      out.guard('invoice_finalized', () => {
        const finalizedMs = isSet(invoice.finalizedAt)
          ? toMs(invoice.finalizedAt, 'finalizedAt')
          : out.now();
        out.emit(
          'invoice_finalized',
          {
            invoice_id: invoice.id,
            amount: invoice.totalCents,
            currency: invoice.currency,
            days_since_generated: daysBetween(toMs(invoice.createdAt, 'createdAt'), finalizedMs),
          },
          contextOf(actor),
        );
      });
    },
    invoiceSent(invoice, actor, delivery) {
      out.guard('invoice_sent', () => {
        out.emit(
          'invoice_sent',
          {
            invoice_id: invoice.id,
            delivery_method: delivery.method,
            batch_size: delivery.batchSize ?? 1,
            is_resend: isSet(invoice.sentAt),
          },
          contextOf(actor),
        );
      });
    },
    paymentRecorded(payment, invoice, actor) {
      out.guard('payment_recorded', () => {
        const balanceBeforeCents = invoice.balanceCents ?? invoice.totalCents;
        out.emit(
          'payment_recorded',
          {
            invoice_id: payment.invoiceId,
            method: payment.method,
            recorded_via: payment.source ?? 'manual',
            is_partial: balanceBeforeCents - payment.amountCents > 0,
            days_to_pay: signedDaysBetween(
              toMs(invoice.invoiceDate, 'invoiceDate'),
              toMs(payment.paidAt, 'paidAt'),
            ),
            amount: payment.amountCents,
            currency: payment.currency,
          },
          contextOf(actor),
        );
      });
    },
    creditApplied(credit, actor) {
      out.guard('credit_applied', () => {
        out.emit(
          'credit_applied',
          {
            invoice_id: credit.invoiceId,
            amount: credit.amountCents,
            currency: credit.currency,
            source: credit.source,
            is_automatic: credit.isAutomatic,
          },
          contextOf(actor),
        );
      });
    },
    ruleCreated(rule, actor) {
      out.guard('billing_rule_created', () => {
        out.emit(
          'billing_rule_created',
          {
            rule_id: rule.id,
            rule_type: rule.type,
            is_preset: rule.isPreset,
            copied_from_preset: isSet(rule.presetId),
            ...(!rule.isPreset && isSet(rule.contractId) ? { contract_id: rule.contractId } : {}),
          },
          contextOf(actor),
        );
      });
    },
    ruleUpdated(before, after, actor) {
      out.guard('billing_rule_updated', () => {
        assertSameRecord(before, after);
        const fields = RULE_FIELD_KEYS.filter(([, key]) => !isSame(before[key], after[key])).map(
          ([field]) => field,
        );
        // A type change or a move to another contract has no field name of its own.
        if (before.type !== after.type || !isSame(before.contractId, after.contractId)) {
          fields.push('other');
        }
        if (fields.length === 0) return;
        out.emit(
          'billing_rule_updated',
          {
            rule_id: after.id,
            rule_type: after.type,
            is_preset: after.isPreset,
            updated_fields: fields,
          },
          contextOf(actor),
        );
      });
    },
  };
}
