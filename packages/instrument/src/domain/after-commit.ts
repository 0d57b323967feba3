import { InstrumentError } from '../errors.js';

/** Queues a call to run once the surrounding work has committed. */
export type Defer = (call: () => unknown) => void;

export interface AfterCommitOptions {
  /** Called when a deferred call throws or rejects; the other calls still run. Default: nothing. */
  readonly onError?: (error: InstrumentError) => void;
}

/**
 * Runs `work`, then the calls it deferred, in the order they were deferred, and only if `work`
 * resolved: work rolled back by a thrown error emits nothing (prior art captured invoices inside
 * the transaction, so rolled-back invoices were counted, §6 item 12). `work`'s error is rethrown
 * untouched; a deferred call's error goes to `onError` and never fails the host's request.
 * Deferring after `work` has resolved (from a stray promise) runs the call at once. Wrap the
 * outermost transaction only, and pass `defer` down: an `afterCommit` inside another one's
 * transaction would run its calls before the outer transaction commits.
 * @example
 * const ticket = await afterCommit(async (defer) =>
 *   db.transaction(async (tx) => {
 *     const row = await insertTicket(tx, input);
 *     defer(() => track.tickets.created(row, actor));
 *     return row;
 *   }),
 * );
 */
export async function afterCommit<T>(
  work: (defer: Defer) => Promise<T>,
  options: AfterCommitOptions = {},
): Promise<T> {
  const pending: Array<() => unknown> = [];
  let state: 'open' | 'committed' | 'rolled_back' = 'open';

  async function run(call: () => unknown): Promise<void> {
    try {
      await call();
    } catch (cause) {
      try {
        options.onError?.(new InstrumentError('deferred_failed', undefined, { cause }));
      } catch {
        // The host's error hook must not fail the request either.
      }
    }
  }

  const defer: Defer = (call) => {
    if (state === 'open') pending.push(call);
    else if (state === 'committed') void run(call);
  };

  let result: T;
  try {
    result = await work(defer);
  } catch (error) {
    state = 'rolled_back';
    pending.length = 0;
    throw error;
  }
  state = 'committed';
  for (const call of pending.splice(0)) await run(call);
  return result;
}
