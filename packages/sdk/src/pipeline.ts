import {
  type Deployment,
  type EventDefinition,
  FEATURE_FLAG_PROPERTY_PREFIX,
  ID_PATTERN,
  protocolEvents,
  type SanitizedProperties,
  sanitizeProperties,
  scrubString,
} from '@tally/catalog';
import { createIdHasher } from './ids.js';
import { isoTimestamp } from './iso-time.js';
import type { ResolvedOptions } from './options.js';
import type { QueuedItem } from './queued.js';
import type { WireEvent } from './transport/types.js';
import { SDK_NAME, SDK_VERSION } from './version.js';

/** The result of the privacy pipeline for one queued item. */
export interface Processed {
  readonly wire: WireEvent | undefined;
  readonly unknown: readonly string[];
  readonly invalid: readonly string[];
  readonly redactions: number;
}

export interface Pipeline {
  process(item: QueuedItem, deployment: Deployment): Processed;
  /** The id transform of a deployment: what a user or tenant id becomes when it leaves. */
  id(deployment: Deployment): (id: string) => string;
}

/**
 * The privacy pipeline, in order: catalog allowlist (unknown properties dropped), schema check
 * (invalid values dropped), privacy class (buckets to labels, tokens holding PII dropped), ids
 * (keyed-hashed on-premise; when hosted, only an id that is not id-shaped or holds PII), then the
 * envelope the SDK owns. No IP is ever added: `$geoip_disable` tells PostHog not to derive one.
 */
export function createPipeline(options: ResolvedOptions, secret: string): Pipeline {
  const hash = createIdHasher(secret);
  const hostedIds = new Map<string, string>();
  const transforms: Record<Deployment, (id: string) => string> = {
    'on-premise': hash,
    hosted: (id) => {
      let out = hostedIds.get(id);
      if (out === undefined) {
        // An id that is not id-shaped (a name, an email) is keyed-hashed even when hosted.
        out = ID_PATTERN.test(id) && scrubString(id).found.length === 0 ? id : hash(id);
        if (hostedIds.size >= 10_000) hostedIds.clear();
        hostedIds.set(id, out);
      }
      return out;
    },
  };
  const { catalog, tenantGroupType } = options;

  /**
   * Adds the envelope the SDK owns to `properties` in place (the object the pipeline just built,
   * so no copy is made): same keys, same order and same values as spreading it last.
   */
  function addEnvelope(
    properties: Record<string, unknown>,
    deployment: Deployment,
    schemaVersion: number,
  ): Record<string, unknown> {
    properties.app_version = options.appVersion;
    properties.deployment = deployment;
    properties.environment = options.environment;
    properties.schema_version = schemaVersion;
    properties.$lib = SDK_NAME;
    properties.$lib_version = SDK_VERSION;
    properties.$geoip_disable = true;
    return properties;
  }

  /** A catalog event, or (only for `$` names, which the catalog cannot hold) a protocol event. */
  function eventDefinition(name: string): EventDefinition | undefined {
    if (name.charCodeAt(0) === 36 && Object.hasOwn(protocolEvents, name))
      return protocolEvents[name as keyof typeof protocolEvents];
    return catalog.events[name];
  }

  return {
    id: (deployment) => transforms[deployment],
    process(item, deployment) {
      const id = transforms[deployment];
      const timestamp = isoTimestamp(item.timestampMs);
      switch (item.kind) {
        case 'capture': {
          const definition = eventDefinition(item.event);
          if (definition === undefined)
            return { wire: undefined, unknown: [item.event], invalid: [], redactions: 0 };
          const result = sanitizeProperties(definition.properties, item.properties, id);
          if (item.event === '$feature_flag_called') mirrorFlagResponse(result.properties);
          const context = item.context;
          const properties = addEnvelope(result.properties, deployment, definition.version);
          if (context?.tenantId !== undefined)
            properties.$groups = { [tenantGroupType]: id(context.tenantId) };
          if (context?.sessionId !== undefined) properties.$session_id = id(context.sessionId);
          if (context?.userId === undefined) properties.$process_person_profile = false;
          const distinctId = context?.userId === undefined ? item.uuid : id(context.userId);
          const wire = {
            event: item.event,
            distinct_id: distinctId,
            uuid: item.uuid,
            timestamp,
            properties,
          };
          return withWire(result, wire);
        }
        case 'identify': {
          const result = sanitizeProperties(catalog.person, item.properties, id, {
            isPartial: true,
          });
          const properties = addEnvelope({ $set: result.properties }, deployment, 1);
          if (item.anonymousId !== undefined) properties.$anon_distinct_id = id(item.anonymousId);
          const wire = {
            event: '$identify',
            distinct_id: id(item.userId),
            uuid: item.uuid,
            timestamp,
            properties,
          };
          return withWire(result, wire);
        }
        case 'group': {
          const result = sanitizeProperties(catalog.tenant, item.properties, id, {
            isPartial: true,
          });
          const key = id(item.tenantId);
          const properties = addEnvelope(
            { $group_type: tenantGroupType, $group_key: key, $group_set: result.properties },
            deployment,
            1,
          );
          const wire = {
            event: '$groupidentify',
            distinct_id: `$${tenantGroupType}_${key}`,
            uuid: item.uuid,
            timestamp,
            properties,
          };
          return withWire(result, wire);
        }
        case 'alias': {
          const distinctId = id(item.userId);
          const properties = addEnvelope(
            { distinct_id: distinctId, alias: id(item.alias) },
            deployment,
            1,
          );
          const wire = {
            event: '$create_alias',
            distinct_id: distinctId,
            uuid: item.uuid,
            timestamp,
            properties,
          };
          return { wire, unknown: [], invalid: [], redactions: 0 };
        }
      }
    },
  };
}

/**
 * `$feature/<key>` (protocol.ts in @tally/catalog): the validated response again, under a key
 * naming the validated flag key; absent when either was dropped.
 */
function mirrorFlagResponse(properties: Record<string, unknown>): void {
  const key = properties.$feature_flag;
  const response = properties.$feature_flag_response;
  if (typeof key === 'string' && response !== undefined)
    properties[`${FEATURE_FLAG_PROPERTY_PREFIX}${key}`] = response;
}

/** The pipeline's verdict without copying the sanitized properties (the wire holds them). */
function withWire(result: SanitizedProperties, wire: WireEvent): Processed {
  return {
    wire,
    unknown: result.unknown,
    invalid: result.invalid,
    redactions: result.redactions,
  };
}
