import type { FlagDefinition, PropertyGroup } from '../definition/schema.js';
import type { UnresolvedReason } from '../match/inconclusive.js';

/** What is known about the caller: PostHog's `/flags` request fields, camel-cased. */
export interface FlagInput {
  distinctId: string;
  /** Group type -> group key, e.g. `{ company: 'acme' }`. */
  groups?: Readonly<Record<string, string>>;
  personProperties?: Readonly<Record<string, unknown>>;
  /** Group type -> that group's properties. */
  groupProperties?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /**
   * The properties given are all there are (a server reading stored persons and groups): an
   * absent property is unset, so `is_not_set` matches it and `exact` does not. Off by default,
   * as in an SDK, where an absent property is unknown and makes the flag inconclusive.
   */
  propertiesComplete?: boolean;
}

/** The project's definitions, as PostHog's local-evaluation payload carries them. */
export interface FlagEnvironment {
  /** Group type index (as a string) -> group type name: `{ '0': 'company' }`. */
  groupTypeMapping: Readonly<Record<string, string>>;
  /** Cohort id -> its property group (dynamic cohorts only; static ones need the server). */
  cohorts: Readonly<Record<string, PropertyGroup>>;
  /** Every flag, so `flag` filters can evaluate their dependencies. */
  flags: readonly FlagDefinition[];
  /** PostHog's `property_matching_version`. */
  propertyMatchingVersion?: number;
  /** Clock for relative dates (`-7d`); defaults to the real one. */
  now?: () => Date;
}

/** PostHog's `/flags` v2 reason codes, plus `flag_disabled` for an inactive flag. */
export type FlagReasonCode =
  | 'condition_match'
  | 'no_condition_match'
  | 'out_of_rollout_bound'
  | 'no_group_type'
  | 'holdout_condition_value'
  | 'flag_disabled';

export interface FlagReason {
  code: FlagReasonCode;
  /** 0-based index of the deciding condition set, when one decided. */
  condition_index: number | null;
  description: string;
}

/** A decided flag: PostHog's `FlagDetails` plus the `value` SDKs return. */
export interface FlagResult {
  key: string;
  inconclusive: false;
  enabled: boolean;
  variant: string | null;
  /** `variant ?? enabled`, what `getFeatureFlag` returns. */
  value: boolean | string;
  reason: FlagReason;
  /** The payload for `String(value)`, JSON-parsed (raw string when not JSON), or null. */
  payload: unknown;
}

/** Not decidable locally; a local evaluator asks the server instead. */
export interface InconclusiveFlagResult {
  key: string;
  inconclusive: true;
  reason: { code: UnresolvedReason; description: string };
}

export type FlagEvaluation = FlagResult | InconclusiveFlagResult;
