import type {
  Catalog,
  Deployment,
  EventInput,
  EventName,
  PersonInput,
  TenantInput,
} from '@tally/catalog';
import { type Consent, type ConsentDecision, createConsent, type ModeDecision } from './consent.js';
import type { CaptureContext } from './context.js';
import { createCounters, type SdkCounters } from './counters.js';
import { Dispatcher } from './dispatcher.js';
import { SdkError } from './errors.js';
import { createFlagsClient, type FlagValue } from './flags/flags-client.js';
import type { FlagContext } from './flags/request.js';
import {
  type AnalyticsOptions,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  type ResolvedOptions,
  resolveOptions,
  type UsageStatsMode,
} from './options.js';
import { createPipeline, type Pipeline } from './pipeline.js';
import type { QueuedItem } from './queued.js';
import { resolveSecret } from './secret.js';
import { createTransport } from './transport/index.js';
import { SDK_NAME, SDK_VERSION } from './version.js';

/** What `status()` reports: the same decision capture() makes, plus where events go. */
export interface AnalyticsStatus {
  readonly mode: UsageStatsMode;
  readonly reason: ConsentDecision['reason'];
  readonly debug: boolean;
  readonly deployment: Deployment;
  /** Whether user, tenant and session ids leave the process keyed-hashed. */
  readonly idsHashed: boolean;
  readonly usageStatsSwitch: string;
  /** Set when the switch held a value that is not understood (and was ignored). */
  readonly invalidSwitchValue?: string;
  /** The collector URL (`on`), the local file (`local`), or undefined. */
  readonly destination: string | undefined;
}

export interface Analytics<C extends Catalog = Catalog> {
  /**
   * Records an event. A synchronous enqueue: it never throws (except in `strict` mode), never
   * awaits I/O, and does nothing when usage stats are off.
   * @example
   * analytics.capture('ticket_created', { ticket_type: 'incident', created_via: 'email', ... },
   *   { userId: user.id, tenantId: tenant.id });
   */
  capture<N extends EventName<C>>(
    event: N,
    properties: EventInput<C, N>,
    context?: CaptureContext,
  ): void;
  /**
   * Sets some person properties (the others keep their values); `anonymousId` merges an
   * earlier anonymous id, and its history, into the person.
   */
  identify(
    userId: string,
    properties: Partial<PersonInput<C>>,
    options?: { anonymousId?: string },
  ): void;
  /** Sets some tenant properties (the tenant is group type 0). */
  group(tenantId: string, properties: Partial<TenantInput<C>>): void;
  /** Links a second id to a user. */
  alias(userId: string, alias: string): void;
  /** The live consent decision, for an admin status page; optionally for one user or tenant. */
  status(context?: CaptureContext): AnalyticsStatus;
  counters(): Readonly<SdkCounters>;
  /**
   * The flag's value for a user and/or tenant: `true`/`false`, a variant key, or `undefined`
   * when it cannot be decided (unknown flag, server unreachable and no definitions). Decided
   * locally from polled definitions when `personalApiKey` is set, else by the server. The
   * first answer per user, flag and value captures `$feature_flag_called` (not when usage
   * stats are off: flags keep working). Never rejects.
   * @example
   * const form = await analytics.getFeatureFlag('new-ticket-form', { userId, tenantId });
   * if (form === 'new-form') renderNewForm();
   */
  getFeatureFlag(key: string, context: FlagContext<C>): Promise<FlagValue | undefined>;
  /** `getFeatureFlag` as a boolean: a variant counts as enabled; `undefined` when undecided. */
  isFeatureEnabled(key: string, context: FlagContext<C>): Promise<boolean | undefined>;
  /** The payload of the flag's current value, JSON-parsed; no exposure is captured. */
  getFeatureFlagPayload(key: string, context: FlagContext<C>): Promise<unknown>;
  /** Every flag's value for the context (one server request at most); no exposures. */
  getAllFlags(context: FlagContext<C>): Promise<Record<string, FlagValue>>;
  /** Polls flag definitions now (with `personalApiKey`); resolves when done. Never rejects. */
  reloadFeatureFlags(): Promise<void>;
  /** Delivers everything captured so far. Never rejects. */
  flush(): Promise<void>;
  /**
   * Flushes and stops. After `timeoutMs`, whatever is unsent goes to the disk spool (with a
   * `dataDir`) or is counted as dropped. Never rejects.
   */
  shutdown(timeoutMs?: number): Promise<void>;
}

/**
 * Creates the analytics client. Options are validated once; a bad option throws an SdkError
 * naming the key.
 * @example
 * const analytics = createAnalytics({
 *   catalog: psaCatalog, host: 'https://tally.example.com', token: 'phc_...', appVersion: '1.4.2',
 *   deployment: 'on-premise', usageStatsSwitch: 'ALGA_USAGE_STATS', dataDir: '/var/lib/psa/tally',
 * });
 */
export function createAnalytics<C extends Catalog>(options: AnalyticsOptions<C>): Analytics<C> {
  const core = createCore(options);
  const { resolved, pipeline, counters, report } = core;
  const transport = createTransport({
    config: {
      host: resolved.host,
      token: resolved.token,
      maxBatchSize: resolved.maxBatchSize,
      maxBatchBytes: resolved.maxBatchBytes,
      gzip: resolved.gzip,
      maxRetries: resolved.maxRetries,
      retryBaseMs: resolved.retryBaseMs,
      retryMaxMs: resolved.retryMaxMs,
      requestTimeoutMs: resolved.requestTimeoutMs,
      spoolDir: resolved.dataDir === undefined ? undefined : `${resolved.dataDir}/spool`,
      maxSpoolBytes: resolved.maxSpoolBytes,
      userAgent: `${SDK_NAME}/${SDK_VERSION}`,
    },
    // The transport's clock is the sending clock: sent_at, Retry-After, spool file order.
    hooks: { ...resolved.hooks, now: resolved.hooks.sendNow },
    counters,
    // The transport counts its own errors; give it the host's hook, not `report`.
    onError: resolved.onError,
  });
  const dispatcher = new Dispatcher(resolved, core.consent, pipeline, transport, counters, report);
  dispatcher.armIfSpooled();
  return buildClient(core, {
    enqueue: (item) => dispatcher.enqueue(item),
    flush: () => dispatcher.flush(),
    async shutdown(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), timeoutMs);
      });
      const isTimedOut = await Promise.race([dispatcher.flush().then(() => false), timedOut]);
      clearTimeout(timer);
      dispatcher.stop();
      if (isTimedOut) {
        const saved = dispatcher.spoolEverything();
        const fate = resolved.dataDir === undefined ? 'dropped' : 'spooled';
        report(new SdkError('shutdown_timeout', `${saved} events ${fate}`));
      }
    },
  });
}

/** The parts every client shares: options, counters, error reporting, the privacy pipeline. */
export interface ClientCore<C extends Catalog> {
  readonly resolved: ResolvedOptions<C>;
  readonly pipeline: Pipeline;
  readonly counters: SdkCounters;
  readonly report: (error: SdkError) => void;
  readonly consent: Consent;
  readonly isEphemeralSecret: boolean;
}

/** Where accepted items go: the batching dispatcher, or the test kit's memory. */
export interface ItemSink {
  enqueue(item: QueuedItem): void;
  flush(): Promise<void>;
  shutdown(timeoutMs: number): Promise<void>;
}

export function createCore<C extends Catalog>(options: AnalyticsOptions<C>): ClientCore<C> {
  const resolved = resolveOptions(options);
  const counters = createCounters();
  const report = (error: SdkError): void => {
    counters.errors++;
    try {
      resolved.onError(error);
    } catch {
      // The host's error hook must not break the SDK.
    }
  };
  const { secret, isEphemeral } = resolveSecret(resolved);
  return {
    resolved,
    pipeline: createPipeline(resolved, secret),
    counters,
    report,
    consent: createConsent(resolved),
    isEphemeralSecret: isEphemeral,
  };
}

export function buildClient<C extends Catalog>(core: ClientCore<C>, sink: ItemSink): Analytics<C> {
  const { resolved, pipeline, counters, report } = core;
  let isShutDown = false;
  let warnedSwitch: string | undefined;
  let warnedEphemeral = false;

  function warnOnce(decision: ModeDecision): void {
    if (decision.invalidSwitchValue !== undefined && decision.invalidSwitchValue !== warnedSwitch) {
      warnedSwitch = decision.invalidSwitchValue;
      resolved.hooks.log(
        `[tally] ${resolved.usageStatsSwitch} has a value that is not understood; using the configured default "${resolved.usageStats}" (expected true/false, 1/0, yes/no, on/off or local)`,
      );
    }
  }

  function decide(context: CaptureContext | undefined): ConsentDecision {
    const decision = core.consent.decide(context, isShutDown);
    warnOnce(decision);
    if (core.isEphemeralSecret && decision.deployment === 'on-premise' && !warnedEphemeral) {
      // Reached only when an env switch turns a hosted config on-premise at runtime.
      warnedEphemeral = true;
      resolved.hooks.log(
        '[tally] on-premise without a secret or dataDir: hashed ids will change on restart',
      );
    }
    return decision;
  }

  /** `isChecked`: in strict mode, run the pipeline now (no closure per call: the hot path). */
  function enqueue(item: QueuedItem, isChecked = false): void {
    if (isChecked && resolved.strict) checkStrict(pipeline, item);
    counters.captured++;
    sink.enqueue(item);
  }

  function accept(context: CaptureContext | undefined): 'local' | 'on' | undefined {
    const decision = core.consent.mode(context, isShutDown);
    warnOnce(decision);
    if (decision.mode === 'off') {
      counters.droppedConsent++;
      return undefined;
    }
    return decision.mode;
  }

  const flags = createFlagsClient<C>({
    options: resolved,
    userAgent: `${SDK_NAME}/${SDK_VERSION}`,
    id: () => pipeline.id(core.consent.decide(undefined, isShutDown).deployment),
    report,
    expose(properties, context) {
      const ids: CaptureContext = {
        ...(context.userId === undefined ? {} : { userId: context.userId }),
        ...(context.tenantId === undefined ? {} : { tenantId: context.tenantId }),
      };
      const mode = accept(ids);
      if (mode === undefined) return false;
      const now = resolved.hooks.now();
      enqueue({
        kind: 'capture',
        event: '$feature_flag_called',
        properties,
        context: ids,
        uuid: resolved.hooks.uuid(now),
        timestampMs: now,
        mode,
      });
      return true;
    },
  });

  return {
    getFeatureFlag: flags.getFeatureFlag,
    isFeatureEnabled: flags.isFeatureEnabled,
    getFeatureFlagPayload: flags.getFeatureFlagPayload,
    getAllFlags: flags.getAllFlags,
    reloadFeatureFlags: flags.reloadFeatureFlags,
    capture(event, properties, context) {
      try {
        const mode = accept(context);
        if (mode === undefined) return;
        if (!Object.hasOwn(resolved.catalog.events, event)) {
          counters.droppedUnknownEvent++;
          if (resolved.strict) throw new SdkError('unknown_event', event);
          return;
        }
        const now = resolved.hooks.now();
        const item: QueuedItem = {
          kind: 'capture',
          event,
          properties: { ...(properties as Record<string, unknown>) },
          context: context === undefined ? undefined : { ...context },
          uuid: resolved.hooks.uuid(now),
          timestampMs: now,
          mode,
        };
        enqueue(item, true);
      } catch (error) {
        if (resolved.strict) throw error;
        report(
          error instanceof SdkError
            ? error
            : new SdkError('invalid_property', undefined, { cause: error }),
        );
      }
    },
    identify(userId, properties, opts) {
      const mode = accept({ userId });
      if (mode === undefined) return;
      const now = resolved.hooks.now();
      const item: QueuedItem = {
        kind: 'identify',
        userId,
        properties: { ...(properties as Record<string, unknown>) },
        anonymousId: opts?.anonymousId,
        uuid: resolved.hooks.uuid(now),
        timestampMs: now,
        mode,
      };
      enqueue(item, true);
    },
    group(tenantId, properties) {
      const mode = accept({ tenantId });
      if (mode === undefined) return;
      const now = resolved.hooks.now();
      const item: QueuedItem = {
        kind: 'group',
        tenantId,
        properties: { ...(properties as Record<string, unknown>) },
        uuid: resolved.hooks.uuid(now),
        timestampMs: now,
        mode,
      };
      enqueue(item, true);
    },
    alias(userId, alias) {
      const mode = accept({ userId });
      if (mode === undefined) return;
      const now = resolved.hooks.now();
      enqueue({
        kind: 'alias',
        userId,
        alias,
        uuid: resolved.hooks.uuid(now),
        timestampMs: now,
        mode,
      });
    },
    status(context) {
      const decision = decide(context);
      const destination =
        decision.mode === 'on'
          ? `${resolved.host}/batch/`
          : decision.mode === 'local'
            ? resolved.localFile
            : undefined;
      return {
        mode: decision.mode,
        reason: decision.reason,
        debug: decision.debug,
        deployment: decision.deployment,
        idsHashed: decision.deployment === 'on-premise',
        usageStatsSwitch: resolved.usageStatsSwitch,
        ...(decision.invalidSwitchValue === undefined
          ? {}
          : { invalidSwitchValue: decision.invalidSwitchValue }),
        destination: decision.debug ? undefined : destination,
      };
    },
    counters: () => ({ ...counters }),
    flush: () => keepingAlive(sink.flush()),
    async shutdown(timeoutMs = DEFAULT_SHUTDOWN_TIMEOUT_MS) {
      if (isShutDown) return;
      isShutDown = true;
      flags.stop();
      await keepingAlive(sink.shutdown(timeoutMs));
    },
  };
}

/** Strict mode (tests): run the pipeline now so a bad property throws at the call site. */
function checkStrict(pipeline: Pipeline, item: QueuedItem): void {
  const result = pipeline.process(item, 'hosted');
  if (result.unknown.length > 0) throw new SdkError('unknown_property', result.unknown.join(', '));
  if (result.invalid.length > 0) throw new SdkError('invalid_property', result.invalid.join(', '));
}

/**
 * Keeps the process up while the host awaits `flush()` or `shutdown()`. The SDK's own timers
 * (batch timer, retry sleeps, request timeouts) are unref'd so they never hold a host open; but a
 * script that awaits `flush()` while a retry sleeps would then see Node exit mid-await (exit code
 * 13) with its events neither sent nor spooled. Both calls end on their own (retries are
 * bounded; shutdown has its timeout).
 */
function keepingAlive<T>(work: Promise<T>): Promise<T> {
  const handle = setInterval(() => undefined, 2 ** 31 - 1);
  return work.finally(() => clearInterval(handle));
}
