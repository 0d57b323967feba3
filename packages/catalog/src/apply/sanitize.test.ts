import { describe, expect, it } from 'vitest';
import { bucketLabel, type PropertyDefinition, prop } from '../define/property.js';
import { sanitizeProperties } from './sanitize.js';

const BOUNDS = [0, 1_000, 10_000];
const definitions = { amount: prop.bucket('An amount', { bounds: BOUNDS, unit: 'cents' }) };
const same = (id: string) => id;

describe('sanitizeProperties: bucketed properties', () => {
  it('buckets a number on both sides', () => {
    for (const isWire of [false, true])
      expect(
        sanitizeProperties(definitions, { amount: 2_500 }, same, { isWire }).properties,
      ).toEqual({
        amount: bucketLabel(BOUNDS, 2_500),
      });
  });

  it("keeps one of the property's labels as sent on the wire (what the SDK sends)", () => {
    const label = bucketLabel(BOUNDS, 2_500);
    const result = sanitizeProperties(definitions, { amount: label }, same, { isWire: true });
    expect(result.properties).toEqual({ amount: label });
    expect(result.invalid).toEqual([]);
  });

  it('refuses a label from the caller of the SDK, and any string that is not a label', () => {
    const label = bucketLabel(BOUNDS, 2_500);
    expect(sanitizeProperties(definitions, { amount: label }, same).invalid).toEqual(['amount']);
    const wire = sanitizeProperties(definitions, { amount: '2500 EUR' }, same, { isWire: true });
    expect(wire.properties).toEqual({});
    expect(wire.invalid).toEqual(['amount']);
  });
});

describe('sanitizeProperties: pattern tokens', () => {
  const tokens = {
    token: prop.pattern(/[A-Za-z0-9@._+-]+/, 'A token', { maxLength: 80, example: 'abc' }),
  };

  it('drops a token holding PII on every call, also once its verdict is cached and evicted', () => {
    for (let round = 0; round < 3; round++) {
      // More distinct tokens than the verdict cache holds, so it is cleared in between.
      for (let i = 0; i < 1_200; i++) {
        const clean = sanitizeProperties(tokens, { token: `build-${i}` }, same);
        expect(clean.properties).toEqual({ token: `build-${i}` });
        const pii = sanitizeProperties(tokens, { token: `jane.doe${i}@example.com` }, same);
        expect(pii.properties).toEqual({});
        expect(pii.invalid).toEqual(['token']);
        expect(pii.redactions).toBe(1);
      }
    }
  });
});

describe('sanitizeProperties: required properties', () => {
  it('reports each missing required key, in the order of the definitions, on every call', () => {
    const frozen = Object.freeze({
      a: prop.boolean('a'),
      b: prop.boolean('b').optional(),
      c: prop.integer('c'),
    });
    for (let i = 0; i < 3; i++) {
      expect(sanitizeProperties(frozen, {}, same).invalid).toEqual(['a', 'c']);
      expect(sanitizeProperties(frozen, { c: 1.5 }, same).invalid).toEqual(['c', 'a']);
      expect(sanitizeProperties(frozen, { a: true, c: 1 }, same).invalid).toEqual([]);
    }
  });

  it('reads a map that is not frozen afresh, so a later change is seen', () => {
    const open: Record<string, PropertyDefinition> = { a: prop.boolean('a') };
    expect(sanitizeProperties(open, {}, same).invalid).toEqual(['a']);
    open.b = prop.boolean('b');
    expect(sanitizeProperties(open, {}, same).invalid).toEqual(['a', 'b']);
  });
});
