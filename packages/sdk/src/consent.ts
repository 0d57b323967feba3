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

/** Whether an event is accepted, and why: what capture() decides. */
export interface ModeDecision {
  readonly mode: UsageStatsMode;
  readonly reason: ConsentReason;
  /** The raw value of the usage-stats switch when it was set but not understood. */
  readonly invalidSwitchValue?: string;
}

/** The mode decision plus what delivery and status() also need. */
export interface ConsentDecision extends ModeDecision {
  /** Print events and send nothing. */
  readonly debug: boolean;
  readonly deployment: Deployment;
}

export interface Consent {
  /**
   * What capture() asks, on every call: reads only `DO_NOT_TRACK` and the usage-stats switch
   * (each env read costs ~150 ns) and allocates nothing while they stay the same.
   */
  mode(context: CaptureContext | undefined, isShutDown: boolean): ModeDecision;
  /** The same decision, plus debug and deployment: for delivery and status(). */
  decide(context: CaptureContext | undefined, isShutDown: boolean): ConsentDecision;
}

const SHUT_DOWN: ModeDecision = Object.freeze({ mode: 'off', reason: 'shut_down' });
const DO_NOT_TRACK: ModeDecision = Object.freeze({ mode: 'off', reason: 'do_not_track' });

/**
 * The one consent function both capture() and status() use, read from the live environment.
 * Precedence: `DO_NOT_TRACK` (any truthy value) wins, then the usage-stats switch
 * (`false/0/no/off`, `true/1/yes/on`, or `local`), then the `usageStats` option; a per-context
 * hook can only turn capture off.
 */
export function createConsent(options: ResolvedOptions): Consent {
  const env = options.hooks.env;
  const notAllowed = new Map<ModeDecision, ModeDecision>();
  let lastDnt: string | undefined;
  let lastRaw: string | undefined;
  let last: ModeDecision | undefined;

  function fromEnv(dnt: string | undefined, raw: string | undefined): ModeDecision {
    if (parseSwitch(dnt) === true) return DO_NOT_TRACK;
    if (raw === undefined || raw.trim() === '')
      return { mode: options.usageStats, reason: 'option' };
    if (raw.trim().toLowerCase() === 'local') return { mode: 'local', reason: 'env_switch' };
    const parsed = parseSwitch(raw);
    if (parsed === undefined)
      return { mode: options.usageStats, reason: 'option', invalidSwitchValue: raw };
    return { mode: parsed ? 'on' : 'off', reason: 'env_switch' };
  }

  function mode(context: CaptureContext | undefined, isShutDown: boolean): ModeDecision {
    if (isShutDown) return SHUT_DOWN;
    const dnt = env.DO_NOT_TRACK;
    const raw = env[options.usageStatsSwitch];
    if (last === undefined || dnt !== lastDnt || raw !== lastRaw) {
      last = Object.freeze(fromEnv(dnt, raw));
      lastDnt = dnt;
      lastRaw = raw;
      notAllowed.clear();
    }
    if (last.mode === 'off' || context === undefined || options.isCaptureAllowed === undefined)
      return last;
    if (isAllowed(options, context)) return last;
    let off = notAllowed.get(last);
    if (off === undefined) {
      off = Object.freeze({ ...last, mode: 'off', reason: 'not_allowed_for_context' });
      notAllowed.set(last, off);
    }
    return off;
  }

  return {
    mode,
    decide(context, isShutDown) {
      const debug = options.debug || parseSwitch(env[`${options.usageStatsSwitch}_DEBUG`]) === true;
      return { ...mode(context, isShutDown), debug, deployment: readDeployment(options) };
    },
  };
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
