import { describe, expect, it } from 'vitest';
import { ENVELOPE } from '../define/envelope.js';
import type { EventDefinition } from '../define/event.js';
import { bucketLabel, type PropertyDefinition } from '../define/property.js';
import { CatalogError } from '../errors.js';
import { psaCatalog } from '../events/psa-catalog.js';
import { catalogJsonSchema, eventJsonSchema, type JsonSchema, PERSON_DEF } from './json-schema.js';

// A small JSON Schema evaluator covering exactly the keywords the export emits, so the test
// needs no validator dependency. It returns the paths that failed.
type Schema = JsonSchema | boolean;
interface Keywords {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  maxItems?: number;
  items?: Schema;
  required?: string[];
  properties?: Record<string, Schema>;
  patternProperties?: Record<string, Schema>;
  additionalProperties?: Schema;
  allOf?: Schema[];
  anyOf?: Schema[];
  if?: Schema;
  then?: Schema;
}

function validate(schema: Schema, value: unknown, root: Schema, path = '$'): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${path}: not allowed`];
  const s = schema as Keywords;
  const errors: string[] = [];
  const fail = (why: string) => errors.push(`${path}: ${why}`);
  if (typeof s.$ref === 'string') {
    const target = s.$ref
      .slice(2)
      .split('/')
      .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], root);
    errors.push(...validate(target as Schema, value, root, path));
  }
  if (s.type !== undefined && !hasType(value, s.type)) return [`${path}: not ${s.type}`];
  if (Array.isArray(s.enum) && !s.enum.includes(value)) fail('not in enum');
  if ('const' in s && s.const !== value) fail(`not ${s.const}`);
  if (typeof value === 'number') {
    if (s.minimum !== undefined && value < s.minimum) fail(`< ${s.minimum}`);
    if (s.maximum !== undefined && value > s.maximum) fail(`> ${s.maximum}`);
  }
  if (typeof value === 'string') {
    if (s.minLength !== undefined && value.length < s.minLength) fail('too short');
    if (s.maxLength !== undefined && value.length > s.maxLength) fail('too long');
    if (s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(value)) fail('pattern');
  }
  if (Array.isArray(value)) {
    if (s.maxItems !== undefined && value.length > s.maxItems) fail('too many items');
    for (const [i, item] of value.entries()) {
      errors.push(...validate(s.items ?? true, item, root, `${path}[${i}]`));
    }
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const key of s.required ?? []) if (!Object.hasOwn(value, key)) fail(`missing ${key}`);
    for (const [key, item] of Object.entries(value)) {
      const at = `${path}.${key}`;
      const own = s.properties?.[key];
      const matches = Object.entries(s.patternProperties ?? {}).filter(([p]) =>
        new RegExp(p, 'u').test(key),
      );
      if (own !== undefined) errors.push(...validate(own, item, root, at));
      else if (matches.length > 0) {
        for (const [, sub] of matches) errors.push(...validate(sub, item, root, at));
      } else if (s.additionalProperties !== undefined)
        errors.push(...validate(s.additionalProperties, item, root, at));
    }
  }
  for (const sub of s.allOf ?? []) errors.push(...validate(sub, value, root, path));
  if (s.anyOf && !s.anyOf.some((sub) => validate(sub, value, root, path).length === 0))
    fail('anyOf');
  if (
    s.if !== undefined &&
    validate(s.if, value, root, path).length === 0 &&
    s.then !== undefined
  ) {
    errors.push(...validate(s.then, value, root, path));
  }
  return errors;
}

function hasType(value: unknown, type: string): boolean {
  if (type === 'integer') return Number.isInteger(value);
  if (type === 'array') return Array.isArray(value);
  if (type === 'object')
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  return typeof value === type;
}

/** A valid caller input for a property, derived from its definition. */
function sampleInput(d: PropertyDefinition): unknown {
  const first = d.values?.[0] as string;
  switch (d.kind) {
    case 'enum':
      return first;
    case 'enum_list':
      return [first];
    case 'flags':
      return { [first]: true };
    case 'boolean':
      return true;
    case 'id':
      return 42;
    case 'bucket':
      return 12_345;
    case 'pattern':
      return d.example;
    default:
      return Math.max(0, (d.schema as unknown as { minValue: number | null }).minValue ?? 0);
  }
}

/** What the SDK's privacy stage sends for an input (hosted): ids as strings, buckets as labels. */
function toWire(d: PropertyDefinition, value: unknown): unknown {
  if (d.kind === 'id') return String(value);
  if (d.kind === 'bucket') return bucketLabel(d.bounds ?? [], value as number);
  return value;
}

function wireEvent(name: string, event: EventDefinition, overrides: Record<string, unknown> = {}) {
  const properties: Record<string, unknown> = {
    app_version: '1.42.0',
    deployment: 'hosted',
    environment: 'production',
    schema_version: event.version,
    // What the SDK pipeline adds besides the envelope.
    $lib: 'tally-node',
    $lib_version: '0.1.0',
    $geoip_disable: true,
    $groups: { tenant: 'f'.repeat(64) },
    $session_id: 's_1',
  };
  for (const [key, d] of Object.entries(event.properties)) {
    const input = sampleInput(d);
    expect(d.schema.safeParse(input).success, `${name}.${key} sample input`).toBe(true);
    properties[key] = toWire(d, input);
  }
  return {
    event: name,
    distinct_id: 'u_1',
    uuid: '0190f3a4-5b6c-7d8e-9f00-112233445566',
    timestamp: '2026-03-01T12:00:00.000Z',
    properties: { ...properties, ...overrides },
  };
}

const schema = catalogJsonSchema(psaCatalog);
const created = psaCatalog.events.ticket_created;

describe('catalogJsonSchema', () => {
  it('is a draft 2020-12 document with one $defs entry per event, person and tenant', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    const defs = schema.$defs as Record<string, JsonSchema>;
    expect(Object.keys(defs).sort()).toEqual(
      [...Object.keys(psaCatalog.events), 'person-properties', 'tenant-properties'].sort(),
    );
    expect(Object.keys(defs[PERSON_DEF]?.properties as object)).toEqual(
      Object.keys(psaCatalog.person),
    );
  });

  it.each(Object.entries(psaCatalog.events))('accepts a sample wire %s', (name, event) => {
    expect(validate(schema, wireEvent(name, event), schema)).toEqual([]);
  });

  it('rejects a raw amount, an unknown key, a wrong schema_version and a missing envelope', () => {
    const invoice = psaCatalog.events.invoice_generated;
    const check = (overrides: Record<string, unknown>) =>
      validate(schema, wireEvent('invoice_generated', invoice, overrides), schema);
    expect(check({ amount: 12_345 })).toEqual(['$.properties.amount: not string']);
    expect(check({ amount: '12345' })).toEqual(['$.properties.amount: not in enum']);
    expect(check({ client_name: 'Acme' })).toEqual(['$.properties.client_name: not allowed']);
    expect(check({ schema_version: 2 })).toEqual(['$.properties.schema_version: not 1']);
    const { deployment: _, ...withoutDeployment } = wireEvent(
      'invoice_generated',
      invoice,
    ).properties;
    const event = { ...wireEvent('invoice_generated', invoice), properties: withoutDeployment };
    expect(validate(schema, event, schema)).toEqual(['$.properties: missing deployment']);
  });

  it('lets $-prefixed PostHog events through and rejects unknown event names', () => {
    const base = wireEvent('ticket_created', created);
    expect(
      validate(schema, { ...base, event: '$identify', properties: { $set: {} } }, schema),
    ).toEqual([]);
    expect(validate(schema, { ...base, event: 'ticket_exploded' }, schema)).toEqual([
      '$.event: anyOf',
    ]);
  });

  it('annotates each property with its description and privacy class', () => {
    const event = eventJsonSchema(psaCatalog, 'invoice_generated');
    const properties = event.properties as Record<string, JsonSchema>;
    expect(properties.invoice_id).toMatchObject({
      type: 'string',
      'x-privacy': 'pseudonymous_id',
    });
    expect(properties.amount).toMatchObject({
      type: 'string',
      'x-privacy': 'bucketed',
      'x-unit': 'cents',
    });
    expect(properties.amount?.enum).toEqual(expect.arrayContaining(['<0', '10000000+']));
    expect(properties.currency).toMatchObject({ pattern: '^(?:[A-Z]{3})$', maxLength: 3 });
    for (const [key, property] of Object.entries(properties)) {
      expect(property.description, key).toEqual(expect.stringMatching(/\S/));
      expect(['safe', 'pseudonymous_id', 'bucketed'], key).toContain(property['x-privacy']);
    }
    expect(event.required).toEqual(expect.arrayContaining(Object.keys(ENVELOPE)));
  });
});

describe('eventJsonSchema', () => {
  it('is the same schema as the catalog $defs entry, standalone', () => {
    const { $schema, ...rest } = eventJsonSchema(psaCatalog, 'ticket_searched');
    expect($schema).toBe(schema.$schema);
    expect(rest).toEqual((schema.$defs as Record<string, JsonSchema>).ticket_searched);
  });

  it('throws for a name outside the catalog', () => {
    expect(() => eventJsonSchema(psaCatalog, 'nope' as 'ticket_created')).toThrow(CatalogError);
  });
});
