import { describe, expect, it } from 'vitest';
import { psaCatalog } from '../events/psa-catalog.js';
import { ENVELOPE } from './envelope.js';
import { fastCheckOf, isValidValue } from './fast-check.js';
import { ID_PATTERN, type PropertyDefinition, prop } from './property.js';

const FAST_KINDS = ['enum', 'boolean', 'integer', 'number', 'id', 'bucket', 'pattern'];

/** Values zod and the fast checks must agree on: edge cases of every kind. */
const VALUES: unknown[] = [
  // numbers
  0,
  -0,
  1,
  -1,
  0.5,
  -0.5,
  1.5,
  99,
  100,
  100.5,
  599,
  599.0001,
  600,
  0.0001,
  0.00009,
  1e-300,
  5e-324,
  1e21,
  -1e21,
  2 ** 53 - 1,
  2 ** 53,
  -(2 ** 53 - 1),
  -(2 ** 53),
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.NaN,
  Infinity,
  -Infinity,
  Number.EPSILON,
  // strings
  '',
  ' ',
  '0',
  '1',
  '200',
  'NaN',
  'Infinity',
  'true',
  'false',
  'null',
  'GET',
  'get',
  'GET ',
  '2xx',
  'incident',
  'email',
  'high',
  'prio-17',
  'c0f3b1de-8d8e-4bb1-9a55-0b0c8f6a7e21',
  'user-1',
  'a',
  '/',
  '/api/v1/tickets/:id',
  '/api/v1/tickets/123',
  '/api/v1/tickets/:id?x=1',
  '/api/v1/*',
  'jane.doe@example.com',
  'Jane Doe',
  '+1 415 555 0100',
  '4111 1111 1111 1111',
  '10.0.0.1',
  'DE89370400440532013000',
  'ValidationError',
  'TypeError',
  'search_tickets',
  'a.b.c',
  'a..b',
  '1.42.0',
  '1.0.0-beta+1',
  'x'.repeat(40),
  'x'.repeat(41),
  'x'.repeat(80),
  'x'.repeat(81),
  'x'.repeat(199),
  'x'.repeat(200),
  'x'.repeat(201),
  `/${'a'.repeat(199)}`,
  `/${'a'.repeat(200)}`,
  'A'.repeat(79),
  `A${'😀'.repeat(40)}`,
  `/${'😀'.repeat(100)}`,
  `a${'\ud83d'.repeat(100)}`,
  'line\nbreak',
  'tab\there',
  '\u0000',
  'é',
  'production',
  'on-premise',
  'hosted',
  // other types
  true,
  false,
  null,
  undefined,
  [],
  ['a'],
  [1],
  {},
  { a: 1 },
  new Date(0),
  10n,
  Symbol('s'),
  () => 1,
  new String('GET'),
  new Number(1),
  new Boolean(true),
  Object.create(null),
];

function definitionsUnderTest(): [string, PropertyDefinition][] {
  const out: [string, PropertyDefinition][] = [];
  for (const [name, event] of Object.entries(psaCatalog.events))
    for (const [key, d] of Object.entries(event.properties)) out.push([`${name}.${key}`, d]);
  for (const [key, d] of Object.entries(psaCatalog.person)) out.push([`person.${key}`, d]);
  for (const [key, d] of Object.entries(psaCatalog.tenant)) out.push([`tenant.${key}`, d]);
  for (const [key, d] of Object.entries(ENVELOPE)) out.push([`envelope.${key}`, d]);
  const built: Record<string, PropertyDefinition> = {
    int: prop.integer('i'),
    intMin: prop.integer('i', { min: 1 }),
    intNegRange: prop.integer('i', { min: -5, max: -1 }),
    num: prop.number('n'),
    numRange: prop.number('n', { min: 0.0001, max: 1 }),
    numMax: prop.number('n', { max: 0 }),
    bucket: prop.bucket('b', { bounds: [0, 10, 100], unit: 'x' }),
    id: prop.id('i'),
    idOptional: prop.id('i').optional(),
    enum: prop.enum(['a', 'GET', 'true', '0', ''], 'e'),
    bool: prop.boolean('b'),
    sticky: prop.pattern(/[a-z]+/y, 'p', { maxLength: 5, example: 'abc' }),
    unicode: prop.pattern(/.+/u, 'p', { maxLength: 3, example: 'ab' }),
  };
  for (const [key, d] of Object.entries(built)) out.push([`built.${key}`, d]);
  return out;
}

describe('fast property checks', () => {
  it('are registered for every primitive kind and never for lists or flags', () => {
    for (const [name, d] of definitionsUnderTest()) {
      expect(fastCheckOf(d.schema) !== undefined, name).toBe(FAST_KINDS.includes(d.kind));
    }
  });

  it('accept and reject exactly what zod does, on edge values for every property', () => {
    const mismatches: string[] = [];
    let compared = 0;
    for (const [name, d] of definitionsUnderTest()) {
      VALUES.forEach((value, i) => {
        if (isValidValue(d.schema, value) !== d.schema.safeParse(value).success)
          mismatches.push(`${name} VALUES[${i}]`);
        compared++;
      });
    }
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThan(1000);
  });

  it('agree with zod on random numbers and strings', () => {
    let seed = 11;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const alphabet = 'aZ09_-.:/*@ ?😀\ud83d';
    const definitions = definitionsUnderTest();
    const mismatches: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const scale = 10 ** Math.floor(random() * 20 - 6);
      const number = (random() * 2 - 1) * scale;
      const values: Array<number | string> = [
        number,
        Math.round(number),
        Math.round(random() * 700),
      ];
      let s = random() < 0.5 ? '/' : '';
      for (let n = Math.floor(random() * 12); n > 0; n--)
        s += alphabet[Math.floor(random() * alphabet.length)];
      values.push(s);
      for (const [name, d] of definitions)
        for (const value of values)
          if (isValidValue(d.schema, value) !== d.schema.safeParse(value).success)
            mismatches.push(`${name} ${JSON.stringify(value)}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('falls back to zod for a schema it does not know', () => {
    const d = prop.enumList(['a', 'b'], 'l');
    expect(isValidValue(d.schema, ['a'])).toBe(true);
    expect(isValidValue(d.schema, ['c'])).toBe(false);
    expect(ID_PATTERN.test('user-1')).toBe(true);
  });
});
