import {
  type Catalog,
  ENVELOPE,
  type PropertyMap,
  protocolEvents,
  sanitizeProperties,
  scrubDeep,
  scrubString,
} from '@tally/catalog';
import { reasonCodeOf } from '@tally/flags';
import type { IdentityChange, IngestEvent, Project } from '@tally/store';
import { MAX_GROUP_TYPES } from '@tally/store';
import type { DecodedCapture, DecodedEvent } from '../capture/decode.js';
import { resolveTimestamp } from '../capture/timestamp.js';
import type { IngestCounts } from './counts.js';
import { IDENTITY_EVENTS, identityChanges } from './identity.js';

export interface ProcessContext {
  readonly catalog: Catalog;
  readonly counts: IngestCounts;
  /** Keyed hash for ids that hold PII (an email as distinct id): they still join, never leak. */
  readonly hashId: (id: string) => string;
  readonly mintUuid: (nowMs: number) => string;
  /** The project's group type index for a type name, assigned on first sight. */
  readonly groupTypeIndex: (projectId: number, groupType: string) => Promise<number | undefined>;
  readonly nowMs: number;
}

export interface ProcessedBatch {
  readonly events: IngestEvent[];
  readonly changes: IdentityChange[];
}

/** Properties that must never be stored, whatever a client sends. */
const NEVER_STORED = ['$ip', 'ip', '$raw_user_agent'];
const DOLLAR = 0x24;

/**
 * The server side of the privacy pipeline, per event: catalog check (strict projects drop
 * uncatalogued events; others store them scrubbed and count them), schema check of catalogued
 * properties (violations dropped and counted), the same PII scrub as the SDK on everything else,
 * ids that hold PII keyed-hashed, no IP ever, then enrichment (clock-skew-corrected timestamp,
 * uuid minted when missing, groups mapped to type indexes) and the identity changes it implies.
 */
export async function processCapture(
  capture: DecodedCapture,
  project: Project,
  context: ProcessContext,
): Promise<ProcessedBatch> {
  const events: IngestEvent[] = [];
  const changes: IdentityChange[] = [];
  // Group type indexes are looked up once per type per request, so the per-event work below is
  // synchronous (an await per event costs more than the event's own processing).
  const groupTypes = new Map<string, number | undefined>();
  for (const decoded of capture.events) {
    const types = Object.keys(asObject(decoded.properties.$groups) ?? {});
    if (decoded.event === '$groupidentify' && typeof decoded.properties.$group_type === 'string') {
      types.push(decoded.properties.$group_type);
    }
    for (const type of types) {
      if (!groupTypes.has(type))
        groupTypes.set(type, await context.groupTypeIndex(project.id, type));
    }
  }
  // A bare "person seen" (no $set/$set_once/$unset) is idempotent: only the first per distinct id
  // in a request matters, so the store plans one person lookup per user, not one per event.
  const seen = new Set<string>();
  for (const decoded of capture.events) {
    const processed = processEvent(decoded, capture, project, context, groupTypes);
    if (processed === undefined) continue;
    events.push(processed.event);
    for (const change of processed.changes) {
      const isBare =
        change.kind === 'person_seen' &&
        change.set === undefined &&
        change.setOnce === undefined &&
        change.unset === undefined;
      if (isBare) {
        if (seen.has(change.distinctId)) continue;
        seen.add(change.distinctId);
      }
      changes.push(change);
    }
  }
  return { events, changes };
}

/**
 * An id as it is stored: keyed-hashed when it looks like PII (an email used as a user id), as
 * is otherwise. Flag requests look persons up by the same rule.
 */
export function storedId(raw: string, hashId: (id: string) => string): string {
  return scrubString(raw).found.length > 0 ? hashId(raw) : raw;
}

function processEvent(
  decoded: DecodedEvent,
  capture: DecodedCapture,
  project: Project,
  context: ProcessContext,
  groupTypes: ReadonlyMap<string, number | undefined>,
): { event: IngestEvent; changes: IdentityChange[] } | undefined {
  const { counts, catalog } = context;
  const projectId = project.id;
  const name = scrubString(decoded.event).value;
  const isProtocol = name.startsWith('$');
  // Catalogued protocol events (flag exposures) are checked like the app's own: a strict
  // project keeps them, and their `$` properties are validated, not only scrubbed.
  const definition = Object.hasOwn(catalog.events, name)
    ? catalog.events[name]
    : isProtocol && Object.hasOwn(protocolEvents, name)
      ? protocolEvents[name as keyof typeof protocolEvents]
      : undefined;
  if (definition === undefined && !IDENTITY_EVENTS.has(name)) {
    if (project.isStrict) {
      counts.add(projectId, 'dropped_uncatalogued', name);
      return undefined;
    }
    counts.add(projectId, isProtocol ? 'protocol' : 'uncatalogued', name);
  }

  const id = (raw: string): string => storedId(raw, context.hashId);
  const raw = { ...decoded.properties };
  for (const key of NEVER_STORED) delete raw[key];
  // PostHog SDKs echo the flag server's reason description on exposures ("Matched condition
  // set 2"); the catalog keeps the reason as its code.
  const reason = raw.$feature_flag_reason;
  if (name === '$feature_flag_called' && typeof reason === 'string')
    raw.$feature_flag_reason = reasonCodeOf(reason) ?? reason;
  const properties =
    definition === undefined
      ? scrubbed(raw, name, projectId, counts)
      : checked(definition.properties, raw, name, projectId, counts, id);

  const distinctId = id(decoded.distinctId);
  const timestampMs = resolveTimestamp({
    timestamp: decoded.timestamp,
    offsetMs: decoded.offsetMs,
    sentAtMs: capture.sentAtMs,
    ignoreSentAt: raw.$ignore_sent_at === true,
    nowMs: context.nowMs,
  });
  const groups: (string | null)[] = new Array(MAX_GROUP_TYPES).fill(null);
  const rawGroups = asObject(raw.$groups);
  if (rawGroups !== undefined) {
    const mapped: Record<string, string> = {};
    for (const [type, key] of Object.entries(rawGroups)) {
      if (typeof key !== 'string' && typeof key !== 'number') continue;
      const index = groupTypes.get(type);
      const groupKey = id(String(key));
      mapped[type] = groupKey;
      if (index !== undefined) groups[index] = groupKey;
    }
    properties.$groups = mapped;
  }
  const processPerson = raw.$process_person_profile !== false;
  const set =
    decoded.set === undefined
      ? undefined
      : (scrubDeep(decoded.set).value as Record<string, unknown>);
  const setOnce =
    decoded.setOnce === undefined
      ? undefined
      : (scrubDeep(decoded.setOnce).value as Record<string, unknown>);
  const groupSet = raw.$group_set;
  const eventChanges = identityChanges({
    projectId,
    event: name,
    distinctId,
    properties: raw,
    set,
    setOnce,
    atMs: timestampMs,
    processPerson,
    anonDistinctId:
      typeof raw.$anon_distinct_id === 'string' ? id(raw.$anon_distinct_id) : undefined,
    alias: typeof raw.alias === 'string' ? id(raw.alias) : undefined,
    group:
      name === '$groupidentify' && typeof raw.$group_type === 'string'
        ? {
            index: groupTypes.get(raw.$group_type),
            key:
              typeof raw.$group_key === 'string' || typeof raw.$group_key === 'number'
                ? id(String(raw.$group_key))
                : undefined,
            set:
              groupSet !== null && typeof groupSet === 'object'
                ? (scrubDeep(groupSet).value as Record<string, unknown>)
                : {},
          }
        : undefined,
  });
  if (typeof raw.$anon_distinct_id === 'string')
    properties.$anon_distinct_id = id(raw.$anon_distinct_id);
  if (name === '$create_alias' && typeof raw.alias === 'string') properties.alias = id(raw.alias);
  if (set !== undefined) properties.$set = set;
  if (setOnce !== undefined) properties.$set_once = setOnce;
  const sessionId = typeof raw.$session_id === 'string' ? id(raw.$session_id) : null;
  if (sessionId !== null) properties.$session_id = sessionId;
  return {
    event: {
      projectId,
      uuid: decoded.uuid ?? context.mintUuid(context.nowMs),
      event: name,
      distinctId,
      timestampMs,
      receivedAtMs: context.nowMs,
      properties,
      groups,
      sessionId,
      processPerson,
    },
    changes: eventChanges,
  };
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Uncatalogued events: everything kept, everything scrubbed. */
function scrubbed(
  raw: Record<string, unknown>,
  event: string,
  projectId: number,
  counts: IngestCounts,
): Record<string, unknown> {
  const { value, redactions } = scrubDeep(raw);
  if (redactions > 0) counts.add(projectId, 'pii_redacted', event, redactions);
  return (value ?? {}) as Record<string, unknown>;
}

/**
 * Catalogued events: the event's own properties and the envelope are checked against their
 * definitions (a foreign client may not send the envelope, so it is optional here); `$`
 * protocol properties pass through the scrub; anything else is dropped and counted.
 */
function checked(
  definitions: PropertyMap,
  raw: Record<string, unknown>,
  event: string,
  projectId: number,
  counts: IngestCounts,
  id: (raw: string) => string,
): Record<string, unknown> {
  // Built key by key: a `{ ...a, ...b, ...c }` of these small objects cost ~5 us per event and
  // `Object.entries` ~0.7 us (bench/ingest/stages.ts), more than the checks themselves.
  const own: Record<string, unknown> = {};
  const envelope: Record<string, unknown> = {};
  const protocol: Record<string, unknown> = {};
  for (const key of Object.keys(raw)) {
    if (key.charCodeAt(0) === DOLLAR && !Object.hasOwn(definitions, key)) protocol[key] = raw[key];
    else if (Object.hasOwn(ENVELOPE, key)) envelope[key] = raw[key];
    else own[key] = raw[key];
  }
  const result = sanitizeProperties(definitions, own, id, { isWire: true });
  const env = sanitizeProperties(ENVELOPE, envelope, id, { isPartial: true, isWire: true });
  for (const key of result.unknown) counts.add(projectId, 'unknown_property', `${event}.${key}`);
  for (const key of result.invalid) counts.add(projectId, 'violation', `${event}.${key}`);
  for (const key of env.invalid) counts.add(projectId, 'violation', `${event}.${key}`);
  const scrub = scrubDeep(protocol);
  const redactions = result.redactions + env.redactions + scrub.redactions;
  if (redactions > 0) counts.add(projectId, 'pii_redacted', event, redactions);
  const properties = (scrub.value ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(env.properties)) properties[key] = env.properties[key];
  for (const key of Object.keys(result.properties)) properties[key] = result.properties[key];
  return properties;
}
