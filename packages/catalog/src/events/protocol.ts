import { z } from 'zod';
import { defineEvent } from '../define/event.js';
import { booleanCheck, eitherCheck, stringCheck, withFastCheck } from '../define/fast-check.js';
import { type PropertyDefinition, prop } from '../define/property.js';

// Protocol events: `$`-prefixed events the SDK itself emits, in PostHog's names and shapes, so
// PostHog-era tooling (experiments read `$feature_flag_response`) keeps working. They live apart
// from `psaCatalog.events` because catalog event names are snake_case and a host app never
// captures them: the SDK builds them and runs them through the same privacy pipeline (allowlist,
// schema, privacy class). The server stores them as protocol events (`$` names).

/** A flag key as `@tally/flags` accepts it (`FLAG_KEY_PATTERN`, at most 400 characters). */
export const FLAG_KEY_TOKEN_PATTERN = /[A-Za-z0-9_-]{1,400}/;

/**
 * The dynamic property `$feature/<key>` of `$feature_flag_called`: PostHog repeats the response
 * under a key naming the flag. The catalog has no dynamic keys, so it is not a catalog property:
 * the SDK adds it after the pipeline, only when `$feature_flag` and `$feature_flag_response`
 * both passed their schemas, with the validated response as its value.
 */
export const FEATURE_FLAG_PROPERTY_PREFIX = '$feature/';

/** PostHog's `/flags` reason codes, plus `flag_disabled` for an inactive flag. */
export const FLAG_REASON_CODES = [
  'condition_match',
  'no_condition_match',
  'out_of_rollout_bound',
  'no_group_type',
  'super_condition_value',
  'holdout_condition_value',
  'flag_disabled',
] as const;

const anchoredKey = new RegExp(`^(?:${FLAG_KEY_TOKEN_PATTERN.source})$`);

/** `true`, `false` or a variant key: what `getFeatureFlag` returned. */
const flagResponse: PropertyDefinition<boolean | string, false> = Object.freeze({
  kind: 'pattern',
  privacy: 'safe',
  description: 'What the flag answered: true, false, or the variant key',
  isOptional: false,
  schema: withFastCheck(
    z.union([z.boolean(), z.string().max(400).regex(anchoredKey)]),
    eitherCheck(booleanCheck(), stringCheck(anchoredKey, 400)),
  ),
  pattern: anchoredKey,
  example: 'new-form',
});

const flagKey = () =>
  prop.pattern(FLAG_KEY_TOKEN_PATTERN, 'Key of the flag', {
    maxLength: 400,
    example: 'new-ticket-form',
  });

export const protocolEvents = {
  $feature_flag_called: defineEvent({
    category: 'protocol',
    version: 1,
    description:
      'A flag was evaluated for a user or tenant (an exposure). `$feature/<key>` repeats the response, as in PostHog. `$feature_flag_reason` is the reason code, never a free-text description.',
    firesWhen:
      'The first time getFeatureFlag or isFeatureEnabled returns a given answer for a given user (or tenant) and flag in this process.',
    properties: {
      $feature_flag: flagKey(),
      $feature_flag_response: flagResponse,
      $feature_flag_id: prop.integer('Id of the flag', { min: 0 }).optional(),
      $feature_flag_version: prop.integer('Version of the flag definition', { min: 0 }).optional(),
      $feature_flag_reason: prop.enum(FLAG_REASON_CODES, 'Why the flag answered so').optional(),
      locally_evaluated: prop.boolean(
        'Whether the SDK decided from polled definitions rather than asking the server',
      ),
    },
  }),
} as const;

export type ProtocolEventName = keyof typeof protocolEvents;
