import { normalizeDistinctId } from './distinct-id.js';
import { CaptureError, fieldPath } from './errors.js';
import type { TokenCandidate } from './token.js';
import { canonicalUuid } from './uuid.js';

/** One decoded event, its fields in wire types (posthog-wire-protocol.md §1.3). */
export interface DecodedEvent {
  event: string;
  /** Stringified, NUL-free, at most 200 code points. */
  distinctId: string;
  /** A valid UUID, lowercase and hyphenated; `undefined` when absent or `''` (mint a v7). */
  uuid: string | undefined;
  /** The event's own token (`token`/`$token`/`api_key`/`properties.token`), untrimmed. */
  token: string | undefined;
  /** As sent; parse it with `resolveTimestamp`. */
  timestamp: string | undefined;
  /** `offset`: the event happened this many ms before the request arrived. */
  offsetMs: number | undefined;
  /** As sent, `$set`/`$set_once` included. */
  properties: Record<string, unknown>;
  /** `properties.$set` overlaid with the top-level `$set` (top-level wins per key). */
  set: Record<string, unknown> | undefined;
  setOnce: Record<string, unknown> | undefined;
}

/**
 * An event whose fields have been type-checked. `distinct_id` and `$cookieless_mode` are checked
 * later by `completeEvent`, after the token, in the Rust service's order.
 */
export interface ParsedEvent {
  /** Field path prefix for error messages: `batch[3]`, or `''` for a single event. */
  prefix: string;
  event: string;
  tokenCandidate: TokenCandidate | undefined;
  distinctIdValue: unknown;
  uuid: string | undefined;
  timestamp: string | undefined;
  offsetMs: number | undefined;
  properties: Record<string, unknown>;
  set: Record<string, unknown> | undefined;
  setOnce: Record<string, unknown> | undefined;
}

const TOKEN_KEYS = ['token', '$token', 'api_key'] as const;

/**
 * Type-checks one wire event. `nameWhenMissing` is `$identify` for an `/engage` object without
 * `event`; otherwise a missing or empty name is refused.
 */
export function parseEvent(raw: unknown, prefix: string, nameWhenMissing?: string): ParsedEvent {
  if (!isRecord(raw)) {
    throw new CaptureError('bad_json', { reason: 'not_an_object', field: prefix || undefined });
  }
  const field = (key: string): string => fieldPath(prefix, key);

  const name = own(raw, 'event');
  let event: string;
  if (typeof name === 'string' && name !== '') event = name;
  else if ((name === undefined || name === null) && nameWhenMissing !== undefined) {
    event = nameWhenMissing;
  } else throw new CaptureError('missing_event', { field: field('event') });

  const propertiesValue = own(raw, 'properties');
  let properties: Record<string, unknown> = {};
  if (isRecord(propertiesValue)) properties = propertiesValue;
  else if (propertiesValue !== undefined && propertiesValue !== null) {
    throw new CaptureError('bad_json', { reason: 'wrong_type', field: field('properties') });
  }

  return {
    prefix,
    event,
    tokenCandidate: eventToken(raw, properties, prefix),
    distinctIdValue: distinctIdValue(raw, properties),
    uuid: parseUuidField(own(raw, 'uuid'), field('uuid')),
    timestamp: parseTimestampField(own(raw, 'timestamp'), field('timestamp')),
    offsetMs: parseOffsetField(own(raw, 'offset'), field('offset')),
    properties,
    set: mergeSet(raw, properties, '$set', field('$set')),
    setOnce: mergeSet(raw, properties, '$set_once', field('$set_once')),
  };
}

/** Checks `distinct_id` and `$cookieless_mode`, the checks that follow token resolution. */
export function completeEvent(parsed: ParsedEvent): DecodedEvent {
  const distinctId = normalizeDistinctId(parsed.distinctIdValue);
  if (distinctId === undefined) {
    throw new CaptureError('missing_distinct_id', {
      field: fieldPath(parsed.prefix, 'distinct_id'),
    });
  }
  const cookieless = own(parsed.properties, '$cookieless_mode');
  if (cookieless !== undefined && typeof cookieless !== 'boolean') {
    throw new CaptureError('invalid_cookieless_mode', {
      field: fieldPath(parsed.prefix, 'properties.$cookieless_mode'),
    });
  }
  return {
    event: parsed.event,
    distinctId,
    uuid: parsed.uuid,
    token: parsed.tokenCandidate?.token,
    timestamp: parsed.timestamp,
    offsetMs: parsed.offsetMs,
    properties: parsed.properties,
    set: parsed.set,
    setOnce: parsed.setOnce,
  };
}

/** Top-level `token`/`$token`/`api_key`, else a string `properties.token` (posthog-js puts it there). */
function eventToken(
  raw: Record<string, unknown>,
  properties: Record<string, unknown>,
  prefix: string,
): TokenCandidate | undefined {
  for (const key of TOKEN_KEYS) {
    const value = own(raw, key);
    if (value === undefined || value === null) continue;
    const field = fieldPath(prefix, key);
    if (typeof value !== 'string')
      throw new CaptureError('invalid_token', { reason: 'wrong_type', field });
    return { token: value, field };
  }
  const fromProperties = own(properties, 'token');
  if (typeof fromProperties === 'string') {
    return { token: fromProperties, field: fieldPath(prefix, 'properties.token') };
  }
  return undefined;
}

/** `distinct_id` (alias `$distinct_id`), falling back to `properties.distinct_id`. */
function distinctIdValue(
  raw: Record<string, unknown>,
  properties: Record<string, unknown>,
): unknown {
  return own(raw, 'distinct_id') ?? own(raw, '$distinct_id') ?? own(properties, 'distinct_id');
}

function parseUuidField(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const uuid = typeof value === 'string' ? canonicalUuid(value) : undefined;
  if (uuid === undefined) throw new CaptureError('invalid_uuid', { field });
  return uuid;
}

function parseTimestampField(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new CaptureError('invalid_timestamp', { field });
  return value;
}

function parseOffsetField(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new CaptureError('invalid_timestamp', { field });
  }
  return value;
}

/**
 * `$set` is accepted at the top level (posthog-js) and inside `properties` (posthog-node); both
 * are merged, the top level winning per key, as PostHog's ingestion does.
 */
function mergeSet(
  raw: Record<string, unknown>,
  properties: Record<string, unknown>,
  key: '$set' | '$set_once',
  field: string,
): Record<string, unknown> | undefined {
  const top = own(raw, key);
  if (top !== undefined && top !== null && !isRecord(top)) {
    throw new CaptureError('bad_json', { reason: 'wrong_type', field });
  }
  const inner = own(properties, key);
  const fromProperties = isRecord(inner) ? inner : undefined;
  if (top === undefined || top === null) return fromProperties;
  return fromProperties === undefined ? top : { ...fromProperties, ...top };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own property only: `own({}, 'constructor')` is `undefined`, not `Object`. */
export function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
