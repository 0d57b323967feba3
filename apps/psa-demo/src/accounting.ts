// The PSA's view of an external accounting system (QuickBooks, Xero...): one call that exports an
// invoice, and the two ways it fails. The app gets an implementation injected, like its clock;
// fake-accounting.ts is the in-process one the demo server and the simulator use.

/** An invoice as the accounting system wants it: the customer and the lines, in cents. */
export interface AccountingInvoice {
  /** The PSA's invoice id; an export of the same id updates the remote record. */
  readonly id: string;
  readonly number: number;
  /** The remote id from an earlier export, when there was one. */
  readonly accountingRef: string | null;
  /** The client company: its name is personal data of a kind, and stays between the two systems. */
  readonly customer: { readonly id: string; readonly name: string };
  readonly currency: string;
  readonly issuedAt: Date;
  readonly subtotalCents: number;
  readonly taxCents: number;
  readonly totalCents: number;
  readonly paidCents: number;
  readonly lines: ReadonlyArray<{
    readonly description: string;
    readonly quantity: number;
    readonly unitPriceCents: number;
    readonly amountCents: number;
  }>;
}

export interface AccountingService {
  /** Creates or updates the invoice remotely; resolves with the remote id. */
  exportInvoice(invoice: AccountingInvoice): Promise<{ accountingRef: string }>;
}

/**
 * The accounting system did not answer within the client's timeout. Whether it recorded the
 * invoice is unknown; exporting again is safe because an export is an upsert by invoice id.
 */
export class AccountingTimeoutError extends Error {
  override readonly name = 'AccountingTimeoutError';

  constructor(readonly timeoutMs: number) {
    super(`The accounting service did not answer within ${timeoutMs} ms`);
  }
}

/**
 * The accounting system answered with an error: `unavailable` (5xx, rate limited: retry later)
 * or `rejected` (it refuses this invoice; `field` names the PSA field at fault). Like a real
 * API's, the message may quote the invoice's data, so it never leaves the process.
 */
export class AccountingSyncError extends Error {
  override readonly name = 'AccountingSyncError';

  constructor(
    readonly reason: 'unavailable' | 'rejected',
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
