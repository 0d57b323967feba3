import type { Catalog } from '@tally/catalog';
import { evaluateFlags, type FlagEvaluation } from '@tally/flags';
import { SdkError } from '../errors.js';
import type { ResolvedOptions } from '../options.js';
import { readDefinitionsCache, writeDefinitionsCache } from './cache-file.js';
import type { LoadedDefinitions } from './definitions.js';
import { createExposureCache } from './exposures.js';
import { createPoller, type Poller } from './poller.js';
import { fetchRemoteFlags, type RemoteFlag, remotePayload, remoteValue } from './remote.js';
import { type FlagCaller, type FlagContext, requestBody, toFlagCaller } from './request.js';

// Flag evaluation for the client: context -> caller (ids transformed, properties catalogued)
// -> local evaluation from polled (or cached) definitions -> the server for what local
// evaluation cannot decide -> an exposure event. Nothing here throws into the host.

export type FlagValue = string | boolean;

/** One flag's answer and where it came from. */
interface Answer {
  readonly value: FlagValue;
  readonly payload: unknown;
  readonly id: number | undefined;
  readonly version: number | undefined;
  readonly reason: string | undefined;
  readonly isLocal: boolean;
}

export interface FlagsDeps<C extends Catalog> {
  readonly options: ResolvedOptions<C>;
  readonly userAgent: string;
  /** The current deployment's id transform (the same one capture uses). */
  readonly id: () => (raw: string) => string;
  readonly report: (error: SdkError) => void;
  /** Captures `$feature_flag_called` through consent and the pipeline; false when refused. */
  readonly expose: (properties: Record<string, unknown>, context: FlagContext<C>) => boolean;
}

export interface FlagsClient<C extends Catalog> {
  getFeatureFlag(key: string, context: FlagContext<C>): Promise<FlagValue | undefined>;
  isFeatureEnabled(key: string, context: FlagContext<C>): Promise<boolean | undefined>;
  getFeatureFlagPayload(key: string, context: FlagContext<C>): Promise<unknown>;
  getAllFlags(context: FlagContext<C>): Promise<Record<string, FlagValue>>;
  reloadFeatureFlags(): Promise<void>;
  stop(): void;
}

export function createFlagsClient<C extends Catalog>(deps: FlagsDeps<C>): FlagsClient<C> {
  const { options, report } = deps;
  const { hooks, flags } = options;
  const exposures = createExposureCache();
  let definitions: LoadedDefinitions | undefined;
  let poller: Poller | undefined;

  if (options.personalApiKey !== undefined) {
    if (options.definitionsFile !== undefined) {
      const cached = readDefinitionsCache(options.definitionsFile, hooks.now);
      if (cached.error !== undefined) report(cached.error);
      definitions = cached.loaded;
    }
    poller = createPoller(
      {
        host: options.host,
        token: options.token,
        personalApiKey: options.personalApiKey,
        intervalMs: flags.pollIntervalMs,
        requestTimeoutMs: flags.requestTimeoutMs,
        userAgent: deps.userAgent,
      },
      hooks,
      {
        current: () => definitions,
        replace(next) {
          definitions = next;
          const file = options.definitionsFile;
          if (next === undefined || file === undefined) return;
          writeDefinitionsCache(file, next).catch((error: unknown) =>
            report(error instanceof SdkError ? error : new SdkError('flags_cache_io')),
          );
        },
        report,
      },
    );
    poller.start();
  }

  function callerOf(context: FlagContext<C>): FlagCaller | undefined {
    const caller = toFlagCaller(context, options.catalog, options.tenantGroupType, deps.id());
    if (caller === undefined) report(new SdkError('flags_context_missing'));
    return caller;
  }

  function local(caller: FlagCaller, keys?: readonly string[]): Record<string, FlagEvaluation> {
    if (definitions === undefined) return {};
    return evaluateFlags(caller.input, definitions.env, keys);
  }

  async function remote(
    caller: FlagCaller,
    keys: readonly string[] | undefined,
  ): Promise<Record<string, RemoteFlag> | undefined> {
    if (flags.localOnly) return undefined;
    try {
      const body = requestBody(options.token, caller.input, keys);
      return await fetchRemoteFlags(
        { host: options.host, requestTimeoutMs: flags.requestTimeoutMs, userAgent: deps.userAgent },
        hooks,
        body,
      );
    } catch (error) {
      report(error instanceof SdkError ? error : new SdkError('flags_request_failed'));
      return undefined;
    }
  }

  async function answer(key: string, caller: FlagCaller): Promise<Answer | undefined> {
    const result = local(caller, [key])[key];
    if (result !== undefined && !result.inconclusive) {
      const flag = definitions?.env.flags.find((f) => f.key === key);
      return {
        value: result.value,
        payload: result.payload ?? undefined,
        id: flag?.id,
        version: definitions?.versions.get(key),
        reason: result.reason.code,
        isLocal: true,
      };
    }
    const flag = (await remote(caller, [key]))?.[key];
    if (flag === undefined) return undefined;
    return {
      value: remoteValue(flag),
      payload: remotePayload(flag),
      id: flag.metadata?.id,
      version: flag.metadata?.version,
      reason: flag.reason?.code ?? undefined,
      isLocal: false,
    };
  }

  function exposeOnce(key: string, caller: FlagCaller, context: FlagContext<C>, a: Answer): void {
    // Checked before the dedup cache records it: an exposure refused by consent is not "sent".
    const properties: Record<string, unknown> = {
      $feature_flag: key,
      $feature_flag_response: a.value,
      $feature_flag_id: a.id,
      $feature_flag_version: a.version,
      $feature_flag_reason: a.reason,
      locally_evaluated: a.isLocal,
    };
    if (!exposures.isNew(caller.exposureKey, key, a.value)) return;
    if (!deps.expose(properties, context)) exposures.forget(caller.exposureKey, key, a.value);
  }

  async function getFeatureFlag(key: string, context: FlagContext<C>) {
    try {
      const caller = callerOf(context);
      if (caller === undefined) return undefined;
      const a = await answer(key, caller);
      if (a === undefined) return undefined;
      exposeOnce(key, caller, context, a);
      return a.value;
    } catch (error) {
      report(new SdkError('flags_request_failed', undefined, { cause: error }));
      return undefined;
    }
  }

  return {
    getFeatureFlag,
    async isFeatureEnabled(key, context) {
      const value = await getFeatureFlag(key, context);
      return value === undefined ? undefined : value !== false;
    },
    async getFeatureFlagPayload(key, context) {
      try {
        const caller = callerOf(context);
        if (caller === undefined) return undefined;
        return (await answer(key, caller))?.payload;
      } catch (error) {
        report(new SdkError('flags_request_failed', undefined, { cause: error }));
        return undefined;
      }
    },
    async getAllFlags(context) {
      try {
        const caller = callerOf(context);
        if (caller === undefined) return {};
        const out: Record<string, FlagValue> = {};
        let isComplete = definitions !== undefined;
        for (const [key, result] of Object.entries(local(caller))) {
          if (result.inconclusive) isComplete = false;
          else out[key] = result.value;
        }
        if (isComplete) return out;
        // One request for every flag; the server's answers win where local ones were missing.
        const answers = await remote(caller, undefined);
        for (const [key, flag] of Object.entries(answers ?? {})) out[key] ??= remoteValue(flag);
        return out;
      } catch (error) {
        report(new SdkError('flags_request_failed', undefined, { cause: error }));
        return {};
      }
    },
    reloadFeatureFlags: () => poller?.pollNow() ?? Promise.resolve(),
    stop: () => poller?.stop(),
  };
}
