import type { PGlite, Transaction } from '@electric-sql/pglite';
import { afterCommit, type Defer } from '@tally/instrument';

/**
 * Runs `work` in one transaction and the calls it deferred (the app's hooks) only once it has
 * committed: a rolled-back transaction reports nothing (@tally/instrument's afterCommit).
 *
 * @example
 * const ticket = await inTransaction(db, async (tx, defer) => {
 *   const row = await insertTicket(tx, input);
 *   defer(() => hooks.ticketCreated(row, session));
 *   return row;
 * });
 */
export function inTransaction<T>(
  db: PGlite,
  work: (tx: Transaction, defer: Defer) => Promise<T>,
): Promise<T> {
  return afterCommit((defer) => db.transaction((tx) => work(tx, defer)));
}
