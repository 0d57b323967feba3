import { psaCatalog } from '@tally/catalog';
import { createTestAnalytics } from '@tally/sdk/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { InstrumentError } from '../errors.js';
import type { BillingRuleRecord, InvoiceRecord } from './billing.js';
import { createTrackers } from './trackers.js';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const ACTOR = { userId: 'u-fin', tenantId: 'tenant-1' };
const CLIENT = { clientName: 'Acme Corp', billingEmail: 'ap@acme-corp.example' };

function makeInvoice(overrides: Partial<InvoiceRecord> = {}): InvoiceRecord & typeof CLIENT {
  return {
    id: 'inv-1',
    totalCents: 123_456,
    currency: 'USD',
    isManual: false,
    lines: [{ taxCents: 0 }, { taxCents: 1_200 }, { isDiscount: true }],
    invoiceDate: '2026-11-01T00:00:00Z',
    createdAt: '2026-11-01T06:00:00Z',
    ...CLIENT,
    ...overrides,
  };
}

const RULE: BillingRuleRecord = {
  id: 'cl-1',
  type: 'hourly',
  isPreset: false,
  contractId: 'ct-1',
  presetId: 'pre-1',
  name: 'Acme Corp after-hours support',
  rateCents: 15_000,
  serviceIds: ['svc-1', 'svc-2'],
};

function setup() {
  const analytics = createTestAnalytics({ catalog: psaCatalog });
  const errors: InstrumentError[] = [];
  const track = createTrackers(analytics, { now: () => NOW, onError: (e) => errors.push(e) });
  // Every property a tracker builds must pass the catalog's schema (strict mode throws otherwise).
  onTestFinished(() => expect(errors.filter((e) => e.code === 'capture_failed')).toEqual([]));
  return { analytics, track, errors };
}

describe('billing trackers', () => {
  it('invoiceGenerated: from billing rules or by hand, lines counted, the amount only bucketed', () => {
    const { analytics, track, errors } = setup();
    track.billing.invoiceGenerated(makeInvoice(), ACTOR);
    track.billing.invoiceGenerated(makeInvoice({ id: 'inv-2', isManual: true, lines: [] }), ACTOR);
    track.billing.invoiceGenerated(
      makeInvoice({ id: 'inv-3', lines: [{}, { taxCents: null }], taxCents: 500 }),
      ACTOR,
    );
    analytics.expectEvent('invoice_generated', {
      invoice_id: 'inv-1',
      generation: 'automatic',
      line_count: 2,
      discount_count: 1,
      amount: '100000-500000',
      currency: 'USD',
      is_prepayment: false,
      has_tax: true,
    });
    analytics.expectEvent('invoice_generated', {
      invoice_id: 'inv-2',
      generation: 'manual',
      line_count: 0,
      has_tax: false,
    });
    analytics.expectEvent('invoice_generated', {
      invoice_id: 'inv-3',
      line_count: 2,
      has_tax: true,
    });
    expect(errors).toEqual([]);
    analytics.expectNoPII([CLIENT.clientName, CLIENT.billingEmail, '123456', '1234.56']);
  });

  it('invoiceFinalized and invoiceSent: days since generation, resend from the earlier delivery', () => {
    const { analytics, track } = setup();
    track.billing.invoiceFinalized(makeInvoice({ finalizedAt: '2026-11-04T07:00:00Z' }), ACTOR);
    track.billing.invoiceFinalized(makeInvoice({ id: 'inv-2' }), ACTOR);
    track.billing.invoiceSent(makeInvoice(), ACTOR, { method: 'email' });
    track.billing.invoiceSent(makeInvoice({ sentAt: '2026-11-05T00:00:00Z' }), ACTOR, {
      method: 'client_portal',
      batchSize: 20,
    });
    analytics.expectEvent('invoice_finalized', { invoice_id: 'inv-1', days_since_generated: 3 });
    analytics.expectEvent('invoice_finalized', { invoice_id: 'inv-2', days_since_generated: 19 });
    analytics.expectEvent('invoice_sent', {
      delivery_method: 'email',
      batch_size: 1,
      is_resend: false,
    });
    analytics.expectEvent('invoice_sent', {
      delivery_method: 'client_portal',
      batch_size: 20,
      is_resend: true,
    });
  });

  it('paymentRecorded: partial against the balance before it, days to pay may be negative', () => {
    const { analytics, track } = setup();
    const payment = {
      invoiceId: 'inv-1',
      amountCents: 50_000,
      currency: 'USD',
      method: 'ach',
      paidAt: '2026-11-15T00:00:00Z',
    } as const;
    track.billing.paymentRecorded(payment, makeInvoice(), ACTOR);
    track.billing.paymentRecorded(
      { ...payment, source: 'payment_processor', paidAt: '2026-10-30T00:00:00Z' },
      makeInvoice({ balanceCents: 50_000 }),
      ACTOR,
    );
    analytics.expectEvent('payment_recorded', {
      method: 'ach',
      recorded_via: 'manual',
      is_partial: true,
      days_to_pay: 14,
      amount: '50000-100000',
    });
    analytics.expectEvent('payment_recorded', {
      recorded_via: 'payment_processor',
      is_partial: false,
      days_to_pay: -2,
    });
  });

  it('creditApplied: bucketed amount, source and who applied it', () => {
    const { analytics, track } = setup();
    track.billing.creditApplied(
      {
        invoiceId: 'inv-1',
        amountCents: 999,
        currency: 'EUR',
        source: 'overpayment',
        isAutomatic: true,
      },
      ACTOR,
    );
    analytics.expectEvent('credit_applied', {
      invoice_id: 'inv-1',
      amount: '0-1000',
      currency: 'EUR',
      source: 'overpayment',
      is_automatic: true,
    });
  });

  it('ruleCreated and ruleUpdated: field names only, nothing when nothing changed', () => {
    const { analytics, track } = setup();
    track.billing.ruleCreated(RULE, ACTOR);
    track.billing.ruleCreated({ ...RULE, id: 'pre-2', isPreset: true, presetId: null }, ACTOR);
    track.billing.ruleUpdated(RULE, { ...RULE, serviceIds: ['svc-2', 'svc-1'] }, ACTOR);
    track.billing.ruleUpdated(
      RULE,
      { ...RULE, name: 'Acme Corp 24/7 support', rateCents: 17_500, roundUp: true },
      ACTOR,
    );
    expect(analytics.events.map((e) => e.event)).toEqual([
      'billing_rule_created',
      'billing_rule_created',
      'billing_rule_updated',
    ]);
    analytics.expectEvent('billing_rule_created', {
      rule_id: 'cl-1',
      rule_type: 'hourly',
      is_preset: false,
      copied_from_preset: true,
      contract_id: 'ct-1',
    });
    const preset = analytics.expectEvent('billing_rule_created', { rule_id: 'pre-2' });
    expect(preset.properties).not.toHaveProperty('contract_id');
    analytics.expectEvent('billing_rule_updated', {
      rule_id: 'cl-1',
      is_preset: false,
      updated_fields: ['name', 'rate', 'round_up'],
    });
    analytics.expectNoPII(['Acme Corp', '15000', '17500']);
  });
});
