import { describe, expect, expectTypeOf, it } from 'vitest';
import { type EventInput, type EventName, extendCatalog } from '../define/catalog.js';
import { ENVELOPE } from '../define/envelope.js';
import { defineEvent, type PropertyMap } from '../define/event.js';
import { bucketLabel, bucketLabels, type PropertyDefinition, prop } from '../define/property.js';
import { CatalogError } from '../errors.js';
import { AMOUNT_BOUNDS } from './billing.js';
import { type PsaCatalog, psaCatalog } from './psa-catalog.js';

type Created = EventInput<PsaCatalog, 'ticket_created'>;

/** The events the issue asks for, by category. */
const REQUIRED_EVENTS = {
  tickets: [
    'ticket_created',
    'ticket_updated',
    'ticket_resolved',
    'ticket_assigned',
    'ticket_deleted',
    'ticket_searched',
    'ticket_comment_added',
  ],
  auth: ['user_logged_in', 'login_failed', 'user_signed_up', 'user_logged_out', 'auth_validated'],
  performance: ['api_request', 'slow_query', 'api_error', 'slow_operation', 'operation_error'],
  time_tracking: [
    'time_entry_created',
    'time_entry_updated',
    'time_entry_deleted',
    'timesheet_submitted',
    'timesheet_approved',
    'timesheet_rejected',
  ],
  billing: [
    'invoice_generated',
    'invoice_finalized',
    'invoice_sent',
    'payment_recorded',
    'billing_rule_created',
    'billing_rule_updated',
    'credit_applied',
  ],
  product_usage: ['feature_used'],
} as const;

/** Every property map in the catalog, named for test output. */
const MAPS: ReadonlyArray<readonly [string, PropertyMap]> = [
  ['envelope', ENVELOPE],
  ['person', psaCatalog.person],
  ['tenant', psaCatalog.tenant],
  ...Object.entries(psaCatalog.events).map(([name, e]) => [name, e.properties] as const),
];
const ALL_PROPERTIES = MAPS.flatMap(([owner, map]) =>
  Object.entries(map).map(([name, definition]) => [`${owner}.${name}`, definition] as const),
);

const PRIVACY_OF_KIND: Record<PropertyDefinition['kind'], PropertyDefinition['privacy']> = {
  enum: 'safe',
  boolean: 'safe',
  integer: 'safe',
  number: 'safe',
  enum_list: 'safe',
  flags: 'safe',
  pattern: 'safe',
  id: 'pseudonymous_id',
  bucket: 'bucketed',
};

describe('psaCatalog', () => {
  it.each(Object.entries(REQUIRED_EVENTS))(
    'defines every %s event the issue lists',
    (category, names) => {
      for (const name of names) {
        expect(psaCatalog.events, name).toHaveProperty(name);
        expect(psaCatalog.events[name as EventName<PsaCatalog>].category).toBe(category);
      }
    },
  );

  it('gives every event a description, a firesWhen and version 1', () => {
    for (const [name, event] of Object.entries(psaCatalog.events)) {
      expect(event.description.trim(), name).not.toBe('');
      expect(event.firesWhen.trim(), name).not.toBe('');
      expect(event.version, name).toBe(1);
    }
  });

  it.each(ALL_PROPERTIES)(
    '%s has a description and the privacy class of its kind',
    (_, definition) => {
      expect(definition.description.trim().length).toBeGreaterThan(5);
      expect(definition.privacy).toBe(PRIVACY_OF_KIND[definition.kind]);
    },
  );

  it('never lets an event property shadow an envelope property or a $-prefixed PostHog key', () => {
    for (const [name, event] of Object.entries(psaCatalog.events)) {
      for (const key of Object.keys(event.properties)) {
        expect(Object.hasOwn(ENVELOPE, key), `${name}.${key}`).toBe(false);
        expect(key.startsWith('$'), `${name}.${key}`).toBe(false);
      }
    }
  });

  it('uses an id property for every *_id and nothing else ends in _id', () => {
    for (const [name, definition] of ALL_PROPERTIES) {
      expect(name.endsWith('_id'), name).toBe(definition.kind === 'id');
    }
  });
});

describe('free text', () => {
  const patterns = ALL_PROPERTIES.filter(([, d]) => d.kind === 'pattern');

  it('has pattern properties to check', () => {
    expect(patterns.length).toBeGreaterThan(5);
  });

  it.each(patterns)('%s is bounded and rejects spaces, @ and names', (_, definition) => {
    const pattern = definition.pattern as RegExp;
    const example = definition.example as string;
    const maxLength = (definition.schema as unknown as { maxLength: number | null }).maxLength;
    expect(maxLength).not.toBeNull();
    expect(maxLength).toBeLessThanOrEqual(200);
    expect(pattern.test(example)).toBe(true);
    const middle = Math.floor(example.length / 2);
    for (const insert of [' ', '@', '\t']) {
      for (const at of [0, middle, example.length]) {
        const probe = example.slice(0, at) + insert + example.slice(at);
        expect(definition.schema.safeParse(probe).success, JSON.stringify(probe)).toBe(false);
      }
    }
    for (const text of ['John Smith', 'jane.doe@example.com', 'Printer on fire?', '']) {
      expect(definition.schema.safeParse(text).success, text).toBe(false);
    }
  });

  it('rejects a string where a number, boolean or enum is expected', () => {
    const searched = psaCatalog.events.ticket_searched.properties;
    expect(searched.query_length.schema.safeParse('reset password').success).toBe(false);
    expect(searched.search_fields.schema.safeParse(['title', 'reset password']).success).toBe(
      false,
    );
    expect(searched.filters_used.schema.safeParse({ status: true, query: 'x' }).success).toBe(
      false,
    );
  });
});

describe('bucket labels', () => {
  const amount = psaCatalog.events.invoice_generated.properties.amount;

  it('sends money as the label of its bucket', () => {
    expect(amount.bounds).toEqual(AMOUNT_BOUNDS);
    expect(bucketLabel(AMOUNT_BOUNDS, -500)).toBe('<0');
    expect(bucketLabel(AMOUNT_BOUNDS, 0)).toBe('0-1000');
    expect(bucketLabel(AMOUNT_BOUNDS, 12_345)).toBe('10000-50000');
    expect(bucketLabel(AMOUNT_BOUNDS, 10_000_000)).toBe('10000000+');
  });

  it('lists every label once, in order, for every bucket property', () => {
    for (const [name, definition] of ALL_PROPERTIES.filter(([, d]) => d.kind === 'bucket')) {
      const labels = bucketLabels(definition.bounds ?? []);
      expect(new Set(labels).size, name).toBe(labels.length);
      expect(labels.length, name).toBe((definition.bounds ?? []).length + 1);
    }
  });
});

describe('typed inputs', () => {
  it('types ticket_created from its definition', () => {
    expectTypeOf<Created['priority']>().toEqualTypeOf<
      'low' | 'medium' | 'high' | 'urgent' | 'other'
    >();
    expectTypeOf<Created['board_id']>().toEqualTypeOf<string | number>();
    expectTypeOf<Created>().toHaveProperty('ticket_type');
    const input = {
      ticket_id: 'b5f0c1e2',
      created_via: 'email',
      priority: 'high',
      priority_id: 7,
      board_id: 'board-1',
      has_category: true,
      has_subcategory: false,
      is_assigned: false,
      has_asset: false,
      has_description: true,
      used_template: false,
    } satisfies Created;
    // @ts-expect-error a free-text title is not a property of the event
    const withTitle: Created = { ...input, title: 'Printer on fire' };
    // @ts-expect-error priority is an enum
    const badPriority: Created = { ...input, priority: 'critical' };
    expect([withTitle, badPriority]).toHaveLength(2);
    for (const [key, value] of Object.entries(input)) {
      const definition = psaCatalog.events.ticket_created.properties[key as keyof Created];
      expect(definition.schema.safeParse(value).success, key).toBe(true);
    }
  });

  it('makes an optional property optional and a bucket take a number', () => {
    type Assigned = EventInput<PsaCatalog, 'ticket_assigned'>;
    expectTypeOf({
      ticket_id: 1,
      is_reassignment: true,
      is_self_assignment: false,
    }).toExtend<Assigned>();
    expectTypeOf<EventInput<PsaCatalog, 'credit_applied'>['amount']>().toEqualTypeOf<number>();
  });
});

describe('extendCatalog', () => {
  const reportExported = defineEvent({
    category: 'reporting',
    version: 1,
    description: 'A report was exported.',
    firesWhen: 'When the export file is ready.',
    properties: { format: prop.enum(['pdf', 'csv'], 'File format of the export') },
  });

  it('keeps the built-in types and adds the vendor ones', () => {
    const extended = extendCatalog(psaCatalog, { events: { report_exported: reportExported } });
    expectTypeOf<EventName<typeof extended>>().toEqualTypeOf<
      EventName<PsaCatalog> | 'report_exported'
    >();
    expectTypeOf<EventInput<typeof extended, 'report_exported'>>()
      .toHaveProperty('format')
      .toEqualTypeOf<'pdf' | 'csv'>();
    expectTypeOf<EventInput<typeof extended, 'ticket_created'>['priority']>().toEqualTypeOf<
      Created['priority']
    >();
    expect(Object.keys(extended.events)).toHaveLength(Object.keys(psaCatalog.events).length + 1);
    expect(extended.events.ticket_created).toBe(psaCatalog.events.ticket_created);
  });

  it('rejects an event or property name the catalog already defines', () => {
    const redefine = () =>
      extendCatalog(psaCatalog, { events: { ticket_created: reportExported } });
    expect(redefine).toThrow(CatalogError);
    expect(redefine).toThrow(expect.objectContaining({ code: 'duplicate_name' }));
    const person = { user_type: prop.boolean('Shadows the built-in user_type') };
    expect(() => extendCatalog(psaCatalog, { events: {}, person })).toThrow(CatalogError);
  });
});
