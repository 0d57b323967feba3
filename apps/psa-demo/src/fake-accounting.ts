// An in-process stand-in for a hosted accounting API: it keeps the exported invoices in memory and
// behaves like one over the network: most calls take 50-300 ms, some are slow, a few time out
// or fail with a 5xx, and it refuses currencies the ledger does not have. Latency goes through
// the injected `sleep` and every draw through `random`, so the simulator runs it on its
// simulated clock and seed.
import { z } from 'zod';
import {
  type AccountingInvoice,
  type AccountingService,
  AccountingSyncError,
  AccountingTimeoutError,
} from './accounting.js';

export const DEFAULT_ACCOUNTING_TIMEOUT_MS = 8_000;
export const DEFAULT_SLOW_SHARE = 0.06;
export const DEFAULT_TIMEOUT_SHARE = 0.015;
export const DEFAULT_UNAVAILABLE_SHARE = 0.03;
export const DEFAULT_ACCOUNTING_CURRENCIES = ['USD', 'EUR', 'GBP', 'CAD', 'AUD'] as const;

export interface FakeAccountingOptions {
  /** Waits `ms` of the app's time; default a real timer. The simulator advances its clock. */
  sleep?: (ms: number) => void | Promise<void>;
  /** Uniform in [0, 1); default Math.random. */
  random?: () => number;
  /** The client's timeout; a call that would take longer fails after it. */
  timeoutMs?: number;
  /** Share of calls that take 600 ms to 4 s. */
  slowShare?: number;
  /** Share of calls that never answer: they fail with AccountingTimeoutError after `timeoutMs`. */
  timeoutShare?: number;
  /** Share of answered calls that fail with AccountingSyncError('unavailable'). */
  unavailableShare?: number;
  /** Currencies the ledger has; an invoice in another is rejected on its `currency`. */
  currencies?: readonly string[];
}

const share = z.number().min(0).max(1);
const schema = z.strictObject({
  sleep: z
    .custom<(ms: number) => void | Promise<void>>((v) => typeof v === 'function', 'a function')
    .default(() => (ms: number) => new Promise<void>((done) => setTimeout(done, ms))),
  random: z
    .custom<() => number>((v) => typeof v === 'function', 'a function')
    .default(() => Math.random),
  timeoutMs: z.int().positive().default(DEFAULT_ACCOUNTING_TIMEOUT_MS),
  slowShare: share.default(DEFAULT_SLOW_SHARE),
  timeoutShare: share.default(DEFAULT_TIMEOUT_SHARE),
  unavailableShare: share.default(DEFAULT_UNAVAILABLE_SHARE),
  currencies: z
    .array(z.string().regex(/^[A-Z]{3}$/))
    .default(() => [...DEFAULT_ACCOUNTING_CURRENCIES]),
});

export interface FakeAccounting extends AccountingService {
  /** The invoices the ledger holds, by the PSA's invoice id (what a test inspects). */
  readonly ledger: ReadonlyMap<string, AccountingInvoice & { accountingRef: string }>;
}

/**
 * @example
 * // The simulator: latency moves the simulated clock, draws come from the seed.
 * const accounting = createFakeAccounting({ sleep: (ms) => clock.advanceMs(ms), random: rng.next });
 * const app = createPsaApp({ db, now: clock.now, accounting });
 */
export function createFakeAccounting(options: FakeAccountingOptions = {}): FakeAccounting {
  const parsed = schema.safeParse(options);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    throw new TypeError(`${issue?.path.join('.') || '(options)'}: ${issue?.message ?? 'invalid'}`);
  }
  const o = Object.freeze(parsed.data);
  const ledger = new Map<string, AccountingInvoice & { accountingRef: string }>();
  const between = (min: number, max: number) => min + Math.floor(o.random() * (max - min + 1));
  return {
    ledger,
    async exportInvoice(invoice) {
      const roll = o.random();
      if (roll < o.timeoutShare) {
        await o.sleep(o.timeoutMs);
        throw new AccountingTimeoutError(o.timeoutMs);
      }
      const isSlow = roll < o.timeoutShare + o.slowShare;
      await o.sleep(isSlow ? between(600, 4_000) : between(50, 300));
      if (o.random() < o.unavailableShare) {
        throw new AccountingSyncError('unavailable', '503 Service Unavailable: try again later');
      }
      if (!o.currencies.includes(invoice.currency)) {
        throw new AccountingSyncError(
          'rejected',
          `Customer "${invoice.customer.name}" has no ${invoice.currency} account`,
          'currency',
        );
      }
      const accountingRef =
        ledger.get(invoice.id)?.accountingRef ?? `ACC-${String(ledger.size + 1).padStart(6, '0')}`;
      ledger.set(invoice.id, { ...invoice, accountingRef });
      return { accountingRef };
    },
  };
}
