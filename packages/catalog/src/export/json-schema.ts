import { z } from 'zod';
import type { Catalog, EventName } from '../define/catalog.js';
import { ENVELOPE } from '../define/envelope.js';
import type { EventDefinition, PropertyMap } from '../define/event.js';
import { bucketLabels, MAX_ID_LENGTH, type PropertyDefinition } from '../define/property.js';
import { CatalogError } from '../errors.js';

// Describes the WIRE form: what a collector receives after the SDK's privacy stage, not what a
// caller passes. Buckets arrive as their label, ids as strings (the raw id when hosted, an
// HMAC-SHA256 hex digest on-premise), and every event carries the envelope.

export type JsonSchema = { readonly [keyword: string]: unknown };

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** `$`-prefixed keys are PostHog's own (`$lib`, `$groups`, `$set`); the catalog cannot define them. */
const POSTHOG_KEYS = { '^\\$': true } as const;

/** The `$defs` keys of the person and tenant maps; event names cannot contain `-`. */
export const PERSON_DEF = 'person-properties';
export const TENANT_DEF = 'tenant-properties';

/** The wire schema of one property, annotated with `x-privacy` and, where known, `x-unit`. */
export function propertyJsonSchema(definition: PropertyDefinition): JsonSchema {
  const annotations: Record<string, unknown> = {
    description: definition.description,
    'x-privacy': definition.privacy,
    'x-kind': definition.kind,
  };
  if (definition.unit !== undefined) annotations['x-unit'] = definition.unit;
  return { ...annotations, ...wireType(definition) };
}

function wireType(definition: PropertyDefinition): JsonSchema {
  switch (definition.kind) {
    case 'bucket': {
      const bounds = definition.bounds ?? [];
      return { type: 'string', enum: bucketLabels(bounds), 'x-bounds': bounds };
    }
    case 'id':
      return { type: 'string', minLength: 1, maxLength: MAX_ID_LENGTH };
    default: {
      // Every other kind is sent as the caller passed it, so the zod input schema is the wire
      // schema. zod drops refinements (`Number.isFinite`), which JSON cannot express anyway.
      const { $schema: _dialect, ...schema } = z.toJSONSchema(definition.schema, {
        target: 'draft-2020-12',
        io: 'input',
      }) as Record<string, unknown>;
      if (definition.kind === 'pattern' && definition.example !== undefined) {
        schema.examples = [definition.example];
      }
      return schema;
    }
  }
}

function objectSchema(map: PropertyMap, extra: Record<string, JsonSchema> = {}): JsonSchema {
  const properties: Record<string, JsonSchema> = { ...extra };
  const required = Object.keys(extra);
  for (const [name, definition] of Object.entries(map)) {
    properties[name] = propertyJsonSchema(definition);
    if (!definition.isOptional) required.push(name);
  }
  return {
    type: 'object',
    properties,
    required,
    patternProperties: POSTHOG_KEYS,
    additionalProperties: false,
  };
}

function eventPropertiesSchema(name: string, event: EventDefinition): JsonSchema {
  const envelope: Record<string, JsonSchema> = {};
  for (const [key, definition] of Object.entries(ENVELOPE)) {
    envelope[key] = propertyJsonSchema(definition);
  }
  // The SDK stamps the definition's version, so a collector can pin it.
  envelope.schema_version = { ...envelope.schema_version, const: event.version };
  return {
    title: name,
    description: `${event.description} Fires: ${event.firesWhen}`,
    'x-category': event.category,
    'x-version': event.version,
    ...objectSchema(event.properties, envelope),
  };
}

/**
 * The JSON Schema (draft 2020-12) of one event's wire `properties`, envelope included.
 * @example
 * const schema = eventJsonSchema(psaCatalog, 'ticket_created');
 */
export function eventJsonSchema<C extends Catalog>(catalog: C, name: EventName<C>): JsonSchema {
  const event = catalog.events[name];
  if (event === undefined) throw new CatalogError('unknown_event', name);
  return { $schema: JSON_SCHEMA_DIALECT, ...eventPropertiesSchema(name, event) };
}

/**
 * A JSON Schema (draft 2020-12) for one wire event (`{event, properties, distinct_id, uuid,
 * timestamp}` as in a `/batch/` body). `properties` is checked against `$defs[event]` for
 * catalogued events; `$`-prefixed PostHog events (`$identify`, `$groupidentify`) pass through.
 * The person and tenant maps are in `$defs['person-properties']` and `$defs['tenant-properties']`.
 * @example
 * writeFileSync('events.schema.json', JSON.stringify(catalogJsonSchema(psaCatalog), null, 2));
 */
export function catalogJsonSchema(catalog: Catalog): JsonSchema {
  const names = Object.keys(catalog.events);
  const defs: Record<string, JsonSchema> = {};
  for (const name of names) {
    defs[name] = eventPropertiesSchema(name, catalog.events[name] as EventDefinition);
  }
  defs[PERSON_DEF] = { title: 'Person properties', ...objectSchema(catalog.person) };
  defs[TENANT_DEF] = { title: 'Tenant (group type 0) properties', ...objectSchema(catalog.tenant) };
  return {
    $schema: JSON_SCHEMA_DIALECT,
    title: `Tally event catalog ${catalog.version} (wire form)`,
    description:
      'One event as a collector receives it. Buckets arrive as labels, ids as strings (HMAC hex on-premise), and every catalogued event carries the envelope.',
    'x-catalog-version': catalog.version,
    type: 'object',
    required: ['event', 'properties', 'distinct_id', 'uuid', 'timestamp'],
    properties: {
      event: { anyOf: [{ enum: names }, { type: 'string', pattern: '^\\$' }] },
      properties: { type: 'object' },
      distinct_id: { type: 'string', minLength: 1, maxLength: MAX_ID_LENGTH },
      uuid: { type: 'string', format: 'uuid' },
      timestamp: { type: 'string', format: 'date-time' },
    },
    allOf: names.map((name) => ({
      if: { required: ['event'], properties: { event: { const: name } } },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, not a thenable
      then: { properties: { properties: { $ref: `#/$defs/${name}` } } },
    })),
    $defs: defs,
  };
}
