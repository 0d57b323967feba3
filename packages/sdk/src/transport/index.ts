import { SdkError } from '../errors.js';
import { countEvents, type SerializedBatch } from './batch.js';
import { createDeliverer, type Delivery } from './deliver.js';
import { createReport } from './report.js';
import { createSpool } from './spool.js';
import type { TransportContext, WireEvent } from './types.js';

// The SDK's transport: createTransport and the types the client codes against.
export type { TransportConfig, TransportContext, TransportHooks, WireEvent } from './types.js';

export interface Transport {
  /**
   * Sends events in batches (by maxBatchSize and maxBatchBytes of serialized JSON); resolves
   * when every batch was acknowledged, spooled, or dropped and counted. Never rejects.
   */
  send(events: readonly WireEvent[]): Promise<void>;
  /**
   * Re-sends spooled batches oldest first, deleting each file after a 2xx; stops at the first
   * failure (collector still down). A call while a drain runs joins it. Never rejects.
   */
  drainSpool(): Promise<void>;
  /**
   * Writes events straight to the spool without trying the network (used when shutdown times
   * out). Without a spoolDir they are counted in `droppedUndelivered` and not reported: the
   * caller reports why (`shutdown_timeout`). Never rejects.
   */
  spool(events: readonly WireEvent[]): Promise<void>;
  /** Synchronous variant for last-chance persistence (process exit). Never throws. */
  spoolSync(events: readonly WireEvent[]): void;
  spoolStats(): { batches: number; events: number; bytes: number };
}

/**
 * The SDK's way to the collector: PostHog `/batch/` bodies, retried with jittered exponential
 * backoff, parked in a disk spool when the collector stays down. Every failure goes to
 * `context.onError` and `counters.errors`; nothing throws or rejects into the caller.
 *
 * @example
 * const transport = createTransport({ config, hooks, counters, onError: (e) => log(e.code) });
 * await transport.drainSpool(); // what a previous run could not send
 * await transport.send(events);
 */
export function createTransport(context: TransportContext): Transport {
  const { config, counters } = context;
  const report = createReport(counters, context.onError);
  const deliverer = createDeliverer(context, report);
  const spool =
    config.spoolDir === undefined
      ? undefined
      : createSpool({
          dir: config.spoolDir,
          maxSpoolBytes: config.maxSpoolBytes,
          now: context.hooks.now,
          counters,
          report,
        });
  let draining: Promise<void> | undefined;

  const unexpected = (code: 'network_error' | 'spool_io', cause: unknown) =>
    report(new SdkError(code, 'unexpected transport failure', { cause }));

  const park = async (batches: readonly SerializedBatch[]): Promise<void> => {
    if (spool === undefined) {
      counters.droppedUndelivered += countEvents(batches);
      return;
    }
    for (const batch of batches) await spool.write(batch);
  };

  const drain = async (): Promise<void> => {
    if (spool === undefined) return;
    for (let taken = await spool.take(); taken !== undefined; taken = await spool.take()) {
      // Each file becomes new bodies with a fresh sent_at. That keeps the collector's skew
      // correction right: event timestamps are absolute times from the client's clock, and the
      // collector re-anchors each as now + (timestamp - sent_at); a sent_at read from the same
      // clock at send time makes (timestamp - sent_at) the true age. The original sent_at would
      // move every event forward to the drain time, hours late. Re-planned, since limits may
      // have changed since the file was written. One attempt per file, no retries: the file is
      // already safe on disk and the next drain is the retry.
      let delivery: Delivery;
      try {
        delivery = await deliverer.deliver(deliverer.plan(taken.events), 0);
      } catch (cause) {
        await spool.putBack(taken.file);
        throw cause;
      }
      counters.unspooled += delivery.sent;
      if (delivery.error === undefined) {
        await spool.complete(taken.file);
        continue;
      }
      report(delivery.error);
      // Rewrite the file only if part of it left (a 413 split, a rejected sub-batch).
      const isUntouched = countEvents(delivery.undelivered) === taken.events.length;
      await spool.putBack(taken.file, isUntouched ? undefined : delivery.undelivered);
      return;
    }
  };

  return {
    async send(events) {
      if (events.length === 0) return;
      try {
        const delivery = await deliverer.deliver(deliverer.plan(events), config.maxRetries);
        if (delivery.error === undefined) return;
        report(delivery.error);
        await park(delivery.undelivered);
      } catch (cause) {
        unexpected('network_error', cause);
      }
    },

    drainSpool() {
      draining ??= drain()
        .catch((cause: unknown) => unexpected('spool_io', cause))
        .finally(() => {
          draining = undefined;
        });
      return draining;
    },

    async spool(events) {
      if (events.length === 0) return;
      try {
        await park(deliverer.plan(events));
      } catch (cause) {
        unexpected('spool_io', cause);
      }
    },

    spoolSync(events) {
      if (events.length === 0) return;
      try {
        const batches = deliverer.plan(events);
        if (spool === undefined) counters.droppedUndelivered += countEvents(batches);
        else for (const batch of batches) spool.writeSync(batch);
      } catch (cause) {
        unexpected('spool_io', cause);
      }
    },

    spoolStats() {
      return spool === undefined ? { batches: 0, events: 0, bytes: 0 } : { ...spool.stats() };
    },
  };
}
