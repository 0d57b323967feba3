import type { SdkCounters } from '../counters.js';
import { SdkError } from '../errors.js';
import { planBatches, type SerializedBatch, splitInHalves } from './batch.js';
import { buildBodyJson, encodeBody, envelopeBytes } from './body.js';
import { postBatch } from './post.js';
import type { Report } from './report.js';
import type { TransportContext } from './types.js';

// Delivery: plan batches -> encode each body once -> post with retries -> account for the outcome.

export interface Delivery {
  /** Events the collector acknowledged. */
  sent: number;
  /** Batches not delivered because of a retryable failure (the first one, then all after it). */
  readonly undelivered: SerializedBatch[];
  /** The failure that stopped delivery; the caller reports it once, with what it did about it. */
  error: SdkError | undefined;
}

export interface Deliverer {
  /** Splits events into batches; events that can never be sent are dropped and reported here. */
  plan(events: readonly unknown[]): SerializedBatch[];
  /**
   * Sends batches in order. After the first retryable failure the rest are not tried: the
   * collector is down, and each would only burn its own retries before being spooled anyway.
   */
  deliver(batches: readonly SerializedBatch[], maxRetries: number): Promise<Delivery>;
}

export function createDeliverer(context: TransportContext, report: Report): Deliverer {
  const { config, hooks, counters } = context;
  const limits = {
    maxBatchSize: config.maxBatchSize,
    maxBatchBytes: config.maxBatchBytes,
    envelopeBytes: envelopeBytes(config.token),
  };

  const deliverBatch = async (
    batch: SerializedBatch,
    maxRetries: number,
    delivery: Delivery,
  ): Promise<void> => {
    // sent_at is taken once, when the body is built, and every retry resends these exact bytes
    // (same uuids, timestamps and sent_at): all attempts are one request to the collector, and
    // every event of the batch gets the same skew correction, now + (timestamp - sent_at). The
    // price is that a retried batch lands later by the retry wait (bounded by the backoff); the
    // spool, where waits are long, builds fresh bodies instead (see drain in index.ts).
    const sentAt = new Date(hooks.now()).toISOString();
    const body = await encodeBody(buildBodyJson(config.token, batch.events, sentAt), config.gzip);
    const outcome = await postBatch(context, body, maxRetries);
    const count = batch.events.length;
    switch (outcome.kind) {
      case 'sent':
        counters.sent += count;
        delivery.sent += count;
        return;
      case 'too_large':
        if (count > 1) {
          // The collector's limit is below ours: halve and send each half, recursively.
          for (const half of splitInHalves(batch)) {
            if (delivery.error === undefined) await deliverBatch(half, maxRetries, delivery);
            else delivery.undelivered.push(half);
          }
          return;
        }
        reject(counters, report, count, 'status 413');
        return;
      case 'rejected':
        reject(counters, report, count, `status ${outcome.status}`);
        return;
      case 'failed':
        delivery.error = outcome.error;
        delivery.undelivered.push(batch);
        return;
    }
  };

  return {
    plan(events) {
      const plan = planBatches(events, limits);
      if (plan.oversized > 0) {
        // What the collector would answer with 413, decided here instead of on every retry.
        reject(
          counters,
          report,
          plan.oversized,
          `${plan.oversized} events larger than maxBatchBytes`,
        );
      }
      if (plan.unserializable > 0) {
        reject(
          counters,
          report,
          plan.unserializable,
          `${plan.unserializable} events not serializable`,
        );
      }
      return plan.batches;
    },

    async deliver(batches, maxRetries) {
      const delivery: Delivery = { sent: 0, undelivered: [], error: undefined };
      for (const batch of batches) {
        if (delivery.error === undefined) await deliverBatch(batch, maxRetries, delivery);
        else delivery.undelivered.push(batch);
      }
      return delivery;
    },
  };
}

/** Non-retryable: the events are dropped and counted; the detail carries no event data. */
function reject(counters: SdkCounters, report: Report, count: number, detail: string): void {
  counters.rejected += count;
  report(new SdkError('batch_rejected', detail));
}
