import { defineEvent } from '../define/event.js';
import { prop } from '../define/property.js';

/**
 * Money buckets in minor units (cents) of the event's currency: 0, $10, $100, $500, $1k, $5k,
 * $10k, $50k, $100k. Exact amounts identify customers, so they never leave the host (§6 item 1).
 * Compare amounts only within one currency; for zero-decimal currencies (JPY) a unit is a yen.
 */
export const AMOUNT_BOUNDS = [
  0, 1_000, 10_000, 50_000, 100_000, 500_000, 1_000_000, 5_000_000, 10_000_000,
] as const;

export const INVOICE_GENERATION = ['manual', 'automatic'] as const;

export const INVOICE_DELIVERY_METHODS = [
  'email',
  'client_portal',
  'pdf_download',
  'accounting_sync',
  'other',
] as const;

export const PAYMENT_METHODS = [
  'card',
  'ach',
  'bank_transfer',
  'check',
  'cash',
  'credit',
  'other',
] as const;

export const PAYMENT_SOURCES = ['manual', 'payment_processor', 'import', 'api'] as const;

/** Contract line (billing rule) types. */
export const BILLING_RULE_TYPES = [
  'fixed',
  'hourly',
  'usage',
  'bucket',
  'product',
  'license',
  'other',
] as const;

/** Billing rule fields an update can touch: names of fields, never their values. */
export const BILLING_RULE_FIELDS = [
  'name',
  'description',
  'rate',
  'billing_frequency',
  'minimum_billable_time',
  'round_up',
  'services',
  'tax',
  'sla',
  'overtime',
  'bucket_hours',
  'other',
] as const;

export const CREDIT_SOURCES = [
  'prepayment',
  'overpayment',
  'manual_adjustment',
  'refund',
  'transfer',
  'other',
] as const;

const invoiceId = () => prop.id('Id of the invoice');
const amount = (what: string) =>
  prop.bucket(`${what}, in minor units of the currency`, { bounds: AMOUNT_BOUNDS, unit: 'cents' });
const currency = () =>
  prop.pattern(/[A-Z]{3}/, 'ISO 4217 currency code', { maxLength: 3, example: 'USD' });
const ruleId = () => prop.id('Id of the contract line or preset');
const ruleType = () => prop.enum(BILLING_RULE_TYPES, 'Type of the contract line');

export const billingEvents = {
  invoice_generated: defineEvent({
    category: 'billing',
    version: 1,
    description: 'An invoice was generated, by a billing run or by hand. Amounts are bucketed.',
    firesWhen: 'After the transaction that creates the invoice commits (never inside it).',
    properties: {
      invoice_id: invoiceId(),
      generation: prop.enum(INVOICE_GENERATION, 'Whether a user or a billing run created it'),
      line_count: prop.integer('Number of charge lines', { min: 0 }),
      discount_count: prop.integer('Number of discount lines', { min: 0 }),
      amount: amount('Invoice total including tax'),
      currency: currency(),
      is_prepayment: prop.boolean('Whether the invoice is a prepayment (creates credit)'),
      has_tax: prop.boolean('Whether any line is taxed'),
    },
  }),
  invoice_finalized: defineEvent({
    category: 'billing',
    version: 1,
    description: 'A draft invoice was finalized, so it can no longer change.',
    firesWhen: 'After the finalize commits.',
    properties: {
      invoice_id: invoiceId(),
      amount: amount('Invoice total including tax'),
      currency: currency(),
      days_since_generated: prop.integer('Days from generation to finalization', {
        min: 0,
        unit: 'days',
      }),
    },
  }),
  invoice_sent: defineEvent({
    category: 'billing',
    version: 1,
    description: 'An invoice was delivered to the client. The client is never named.',
    firesWhen: 'When delivery succeeds; a batch job fires one event per invoice.',
    properties: {
      invoice_id: invoiceId(),
      delivery_method: prop.enum(INVOICE_DELIVERY_METHODS, 'How the invoice was delivered'),
      batch_size: prop.integer('Invoices sent by the same action or job (1 when sent alone)', {
        min: 1,
      }),
      is_resend: prop.boolean('Whether the invoice had been sent before'),
    },
  }),
  payment_recorded: defineEvent({
    category: 'billing',
    version: 1,
    description: 'A payment against an invoice was recorded. The amount is bucketed.',
    firesWhen: 'After the payment is saved.',
    properties: {
      invoice_id: invoiceId(),
      method: prop.enum(PAYMENT_METHODS, 'Payment method'),
      recorded_via: prop.enum(PAYMENT_SOURCES, 'How the payment got into the app'),
      is_partial: prop.boolean('Whether the invoice still has a balance after this payment'),
      days_to_pay: prop.integer(
        'Days from the invoice date to the payment date; negative if early',
        {
          unit: 'days',
        },
      ),
      amount: amount('Amount of this payment'),
      currency: currency(),
    },
  }),
  billing_rule_created: defineEvent({
    category: 'billing',
    version: 1,
    description:
      'A contract line or contract line preset was created. Its name is never sent (prior art sent contract_line_name and preset_name).',
    firesWhen: 'After the create commits.',
    properties: {
      rule_id: ruleId(),
      rule_type: ruleType(),
      is_preset: prop.boolean('Whether a reusable preset was created, not a line of one contract'),
      copied_from_preset: prop.boolean('Whether the line was copied from a preset'),
      contract_id: prop
        .id('Id of the contract the line belongs to; omitted for a preset')
        .optional(),
    },
  }),
  billing_rule_updated: defineEvent({
    category: 'billing',
    version: 1,
    description:
      'A contract line or preset was changed. Only the names of the changed fields are sent.',
    firesWhen: 'After the update commits, when at least one field changed.',
    properties: {
      rule_id: ruleId(),
      rule_type: ruleType(),
      is_preset: prop.boolean('Whether the rule is a preset'),
      updated_fields: prop.enumList(BILLING_RULE_FIELDS, 'Names of the fields that changed'),
    },
  }),
  credit_applied: defineEvent({
    category: 'billing',
    version: 1,
    description: 'Client credit was applied to an invoice. The amount is bucketed.',
    firesWhen: 'After the credit allocation commits.',
    properties: {
      invoice_id: invoiceId(),
      amount: amount('Credit applied'),
      currency: currency(),
      source: prop.enum(CREDIT_SOURCES, 'Where the credit came from'),
      is_automatic: prop.boolean('Whether a billing run applied it rather than a user'),
    },
  }),
};
