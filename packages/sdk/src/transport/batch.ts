// Batching: events are serialized once, then packed greedily into batches bounded by event count
// and by the byte size of the whole `/batch/` body they will make.

/** One event already turned into JSON: sized once, and bodies are built by concatenation. */
export interface SerializedEvent {
  readonly json: string;
  readonly bytes: number;
}

export interface SerializedBatch {
  readonly events: readonly SerializedEvent[];
}

export interface BatchLimits {
  readonly maxBatchSize: number;
  /** Uncompressed body limit, envelope included: the collector checks it after inflating. */
  readonly maxBatchBytes: number;
  /** Bytes of the body with an empty `batch` array (see `envelopeBytes`). */
  readonly envelopeBytes: number;
}

export interface BatchPlan {
  readonly batches: SerializedBatch[];
  /** Events that would not fit in a batch on their own; sending them would fail forever. */
  readonly oversized: number;
  /** Events JSON.stringify threw on (a BigInt or a cycle that slipped past the pipeline). */
  readonly unserializable: number;
}

export function serializeEvent(event: unknown): SerializedEvent | undefined {
  try {
    const json = JSON.stringify(event);
    // JSON.stringify returns undefined for undefined, functions and symbols.
    if (typeof json !== 'string') return undefined;
    return { json, bytes: Buffer.byteLength(json) };
  } catch {
    return undefined;
  }
}

export function countEvents(batches: readonly SerializedBatch[]): number {
  let count = 0;
  for (const batch of batches) count += batch.events.length;
  return count;
}

/** Packs events in order; a batch closes when the next event would break either limit. */
export function planBatches(events: readonly unknown[], limits: BatchLimits): BatchPlan {
  const batches: SerializedBatch[] = [];
  let current: SerializedEvent[] = [];
  let currentBytes = limits.envelopeBytes;
  let oversized = 0;
  let unserializable = 0;
  for (const event of events) {
    const serialized = serializeEvent(event);
    if (serialized === undefined) {
      unserializable += 1;
      continue;
    }
    if (limits.envelopeBytes + serialized.bytes > limits.maxBatchBytes) {
      oversized += 1;
      continue;
    }
    const separator = current.length === 0 ? 0 : 1;
    const isFull =
      current.length >= limits.maxBatchSize ||
      currentBytes + separator + serialized.bytes > limits.maxBatchBytes;
    if (isFull && current.length > 0) {
      batches.push({ events: current });
      current = [];
      currentBytes = limits.envelopeBytes;
    }
    currentBytes += (current.length === 0 ? 0 : 1) + serialized.bytes;
    current.push(serialized);
  }
  if (current.length > 0) batches.push({ events: current });
  return { batches, oversized, unserializable };
}

/** Halves a batch the collector answered 413 to (at least two events). */
export function splitInHalves(batch: SerializedBatch): [SerializedBatch, SerializedBatch] {
  const middle = Math.ceil(batch.events.length / 2);
  return [{ events: batch.events.slice(0, middle) }, { events: batch.events.slice(middle) }];
}
