import type { Deployment } from '@tally/catalog';
import type { Consent } from './consent.js';
import type { SdkCounters } from './counters.js';
import { SdkError } from './errors.js';
import { appendLocal, appendLocalSync } from './local-file.js';
import type { ResolvedOptions } from './options.js';
import type { Pipeline } from './pipeline.js';
import type { QueuedItem } from './queued.js';
import type { Transport, WireEvent } from './transport/index.js';

const RANK = { off: 0, local: 1, on: 2 } as const;

/**
 * The memory queue and what drains it. capture() only pushes raw items; the privacy pipeline,
 * serialisation and I/O run here, off the host's hot path. Deliveries run one at a time in
 * capture order. Items in the queue or in flight are tracked so shutdown can spool them.
 */
export class Dispatcher {
  private queue: QueuedItem[] = [];
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private readonly waiting = new Set<QueuedItem[]>();
  private readonly inFlight = new Set<readonly WireEvent[]>();
  private isQueueFullReported = false;

  constructor(
    private readonly options: ResolvedOptions,
    private readonly consent: Consent,
    private readonly pipeline: Pipeline,
    private readonly transport: Transport,
    private readonly counters: SdkCounters,
    private readonly report: (error: SdkError) => void,
  ) {}

  enqueue(item: QueuedItem): void {
    if (this.queue.length >= this.options.maxQueueSize) {
      if (this.options.dataDir !== undefined) {
        // Delivery cannot keep up (collector slow or down): move the queue to the disk spool now,
        // so memory stays bounded by maxQueueSize and nothing is dropped.
        this.spill();
      } else {
        this.queue.shift();
        this.counters.droppedQueueFull++;
        if (!this.isQueueFullReported) {
          this.isQueueFullReported = true;
          this.report(new SdkError('queue_full'));
        }
      }
    }
    this.queue.push(item);
    if (this.queue.length >= this.options.flushAt) void this.flush();
    else this.arm();
  }

  /** Delivers everything queued so far; resolves when it is sent, written, spooled or dropped. */
  flush(): Promise<void> {
    this.disarm();
    const items = this.queue;
    this.queue = [];
    this.waiting.add(items);
    this.chain = this.chain.then(async () => {
      this.waiting.delete(items);
      try {
        await this.deliver(items);
      } catch (error) {
        // Not expected (each stage reports its own failures), but the chain must never reject.
        this.report(new SdkError('network_error', 'delivery failed', { cause: error }));
      }
    });
    return this.chain;
  }

  /** Arms the flush timer when the spool holds batches from an earlier run. */
  armIfSpooled(): void {
    if (this.options.dataDir !== undefined && this.transport.spoolStats().batches > 0) this.arm();
  }

  /**
   * Last resort at shutdown timeout: queued and in-flight events go to the spool (events already
   * handed to the collector may arrive twice; the collector dedups by uuid). Returns how many.
   */
  spoolEverything(): number {
    this.disarm();
    const pending = [...this.waiting].flat().concat(this.queue);
    this.waiting.clear();
    this.queue = [];
    const { upload, local } = this.partition(pending);
    for (const batch of this.inFlight) upload.push(...batch);
    this.inFlight.clear();
    if (local.length > 0) this.writeLocalSync(local);
    if (upload.length > 0 && this.options.dataDir !== undefined) this.transport.spoolSync(upload);
    return upload.length;
  }

  stop(): void {
    this.disarm();
  }

  private arm(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.options.flushIntervalMs);
    this.timer.unref();
  }

  private disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private process(item: QueuedItem, deployment: Deployment): WireEvent | undefined {
    let result: ReturnType<Pipeline['process']>;
    try {
      result = this.pipeline.process(item, deployment);
    } catch (error) {
      // A hostile value (a getter that throws, say) costs its event, never the batch.
      this.report(new SdkError('invalid_property', item.kind, { cause: error }));
      return undefined;
    }
    this.counters.droppedUnknownProperty += result.unknown.length;
    this.counters.droppedInvalidProperty += result.invalid.length;
    this.counters.piiRedacted += result.redactions;
    return result.wire;
  }

  /** Runs consent and the privacy pipeline over items, sorted by where each event goes. */
  private partition(items: readonly QueuedItem[]): { upload: WireEvent[]; local: WireEvent[] } {
    // Consent is checked again at delivery: switching usage stats off (or to local) stops
    // what is still queued from being uploaded.
    const now = this.consent.decide(undefined, false);
    const upload: WireEvent[] = [];
    const local: WireEvent[] = [];
    for (const item of items) {
      const mode = RANK[now.mode] < RANK[item.mode] ? now.mode : item.mode;
      if (mode === 'off') {
        this.counters.droppedConsent++;
        continue;
      }
      const wire = this.process(item, now.deployment);
      if (wire === undefined) continue;
      if (now.debug) {
        this.options.hooks.log(
          `[tally] ${mode === 'on' ? 'would send' : 'would record'} ${JSON.stringify(wire)}`,
        );
      } else {
        (mode === 'on' ? upload : local).push(wire);
      }
    }
    return { upload, local };
  }

  private spill(): void {
    const { upload, local } = this.partition(this.queue);
    this.queue = [];
    if (upload.length > 0) this.transport.spoolSync(upload);
    if (local.length > 0) this.chain = this.chain.then(() => this.writeLocal(local));
  }

  private async deliver(items: readonly QueuedItem[]): Promise<void> {
    const { upload, local } = this.partition(items);
    await this.writeLocal(local);
    await this.upload(upload);
    this.isQueueFullReported = false;
  }

  private writeLocalSync(events: readonly WireEvent[]): void {
    try {
      appendLocalSync(this.options.localFile, events);
      this.counters.writtenLocal += events.length;
    } catch (error) {
      this.report(new SdkError('local_file_io', undefined, { cause: error }));
    }
  }

  private async writeLocal(events: readonly WireEvent[]): Promise<void> {
    if (events.length === 0) return;
    try {
      await appendLocal(this.options.localFile, events);
      this.counters.writtenLocal += events.length;
    } catch (error) {
      this.report(new SdkError('local_file_io', undefined, { cause: error }));
    }
  }

  private async upload(events: readonly WireEvent[]): Promise<void> {
    // Spooled batches are older than anything in memory: drain them first, in order; but only
    // while uploading is (still) allowed.
    const consent = this.consent.decide(undefined, false);
    const mayUpload = consent.mode === 'on' && !consent.debug;
    if (
      mayUpload &&
      this.options.dataDir !== undefined &&
      this.transport.spoolStats().batches > 0
    ) {
      await this.transport.drainSpool();
      if (this.transport.spoolStats().batches > 0 && events.length > 0) {
        // Still unreachable: go straight to the spool rather than retrying every batch.
        await this.transport.spool(events);
        this.arm();
        return;
      }
    }
    if (events.length === 0) return;
    this.inFlight.add(events);
    try {
      await this.transport.send(events);
    } finally {
      this.inFlight.delete(events);
    }
    if (this.transport.spoolStats().batches > 0) this.arm();
  }
}
