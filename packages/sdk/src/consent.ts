import { DEPLOYMENTS, type Deployment } from '@tally/catalog';
import type { CaptureContext } from './context.js';
import type { ResolvedOptions, UsageStatsMode } from './options.js';

const OFF = new Set(['false', '0', 'no', 'off']);
const ON = new Set(['true', '1', 'yes', 'on']);

/** Parses a boolean-ish switch strictly; anything not in the two lists is `undefined`. */
export function parseSwitch(raw: string | undefined): boolean | undefined {
  if (raw === undefined) return undefined;
  const value = raw.trim().toLowerCase();
  if (OFF.has(value)) return false;
  if (ON.has(value)) return true;
  return undefined;
}

export type ConsentReason =
  | 'do_not_track'
  | 'env_switch'
  | 'option'
  | 'not_allowed_for_context'
  | 'shut_down';

/** The one decision both capture() and status() use. */
export interface ConsentDecision {
  readonly mode: UsageStatsMode;
  readonly reason: ConsentReason;
  /** Print events and send nothing. */
  readonly debug: boolean;
  readonly deployment: Deployment;
  /** The raw value of the usage-stats switch when it was set but not understood. */
  readonly invalidSwitchValue?: string;
}

/**
 * Decides, from the live environment, what happens to an event. Precedence:
 * `DO_NOT_TRACK` (any truthy value) wins, then the usage-stats switch (`false/0/no/off`,
 * `true/1/yes/on`, or `local`), then the `usageStats` option; a per-context hook can only
 * turn capture off.
 */
export function decideConsent(
  options: ResolvedOptions,
  context: CaptureContext | undefined,
  isShutDown: boolean,
): ConsentDecision {
  const env = options.hooks.env;
  const deployment = readDeployment(options);
  const debug = options.debug || parseSwitch(env[`${options.usageStatsSwitch}_DEBUG`]) === true;
  const base = { debug, deployment };
  if (isShutDown) return { ...base, mode: 'off', reason: 'shut_down' };
  if (parseSwitch(env.DO_NOT_TRACK) === true)
    return { ...base, mode: 'off', reason: 'do_not_track' };
  const raw = env[options.usageStatsSwitch];
  let decision: ConsentDecision;
  if (raw === undefined || raw.trim() === '') {
    decision = { ...base, mode: options.usageStats, reason: 'option' };
  } else if (raw.trim().toLowerCase() === 'local') {
    decision = { ...base, mode: 'local', reason: 'env_switch' };
  } else {
    const parsed = parseSwitch(raw);
    decision =
      parsed === undefined
        ? { ...base, mode: options.usageStats, reason: 'option', invalidSwitchValue: raw }
        : { ...base, mode: parsed ? 'on' : 'off', reason: 'env_switch' };
  }
  if (decision.mode !== 'off' && context !== undefined && options.isCaptureAllowed !== undefined) {
    if (!isAllowed(options, context))
      return { ...decision, mode: 'off', reason: 'not_allowed_for_context' };
  }
  return decision;
}

function isAllowed(options: ResolvedOptions, context: CaptureContext): boolean {
  try {
    return options.isCaptureAllowed?.(context) !== false;
  } catch {
    // A failing consent hook must not let an event through.
    return false;
  }
}

function readDeployment(options: ResolvedOptions): Deployment {
  if (options.deploymentSwitch === undefined) return options.deployment;
  const raw = options.hooks.env[options.deploymentSwitch]?.trim().toLowerCase();
  return (DEPLOYMENTS as readonly string[]).includes(raw ?? '')
    ? (raw as Deployment)
    : options.deployment;
}
