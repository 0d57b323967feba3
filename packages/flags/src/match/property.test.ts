import { describe, expect, it } from 'vitest';
import { Inconclusive } from './inconclusive.js';
import { matchProperty } from './property.js';

const NOW = new Date('2026-11-26T12:00:00Z');

// [operator, filter value, property value, expected]; 'inconclusive' when it cannot be decided
// locally. Edge cases follow posthog-node 5.70's matchProperty (read, not copied).
type Row = [string, unknown, unknown, boolean | 'inconclusive'];

function run(operator: string, value: unknown, actual: unknown): boolean | 'inconclusive' {
  try {
    return matchProperty({ key: 'p', operator, value }, { p: actual }, { now: NOW });
  } catch (error) {
    if (error instanceof Inconclusive) return 'inconclusive';
    throw error;
  }
}

const TABLE: Record<string, Row[]> = {
  exact: [
    ['exact', 'pro', 'PRO', true],
    ['exact', 'pro', 'free', false],
    ['exact', ['pro', 'team'], 'Team', true],
    ['exact', ['pro', 'team'], 'free', false],
    ['exact', 'true', true, true], // boolean-like filters compare truthiness
    ['exact', 'false', true, false],
    ['exact', true, 'TRUE', true],
    ['exact', false, 'no', true], // 'no' is not truthy, so it equals false
    ['exact', [], 'anything', false], // an empty list is "true"; 'anything' is not
    ['exact', '5.5', 5.5, true],
    ['exact', '5', 5, 'inconclusive'], // 5 could be 5 or 5.0 on the server
    ['exact', 5, '5', 'inconclusive'],
    ['exact', 'null', null, true], // null reads as "null" for string operators
    ['exact', 'ÜSER', 'üser', true], // full Unicode lower-casing here
  ],
  is_not: [
    ['is_not', 'pro', 'PRO', false],
    ['is_not', ['pro', 'team'], 'free', true],
    ['is_not', 'true', false, true],
  ],
  is_set: [
    ['is_set', '', null, true],
    ['is_not_set', '', 'x', false],
  ],
  contains: [
    ['icontains', 'ACME', 'jane@acme.com', true],
    ['icontains', 'Ü', 'ü', false], // only ASCII letters fold
    ['icontains', 'nul', null, true],
    ['not_icontains', 'acme', 'bob@example.org', true],
    ['starts_with', 'JA', 'jane', true],
    ['not_starts_with', 'ja', 'jane', false],
    ['ends_with', '.COM', 'a.com', true],
    ['not_ends_with', '.com', 'a.org', true],
    ['icontains', 5, 150, true],
  ],
  regex: [
    ['regex', '^pro$', 'pro', true],
    ['regex', '^pro$', 'PRO', false], // case-sensitive
    ['regex', 'pro|team', 'my team', true],
    ['regex', '[', 'x', false], // does not compile: no match
    ['regex', '', 'x', true],
    ['regex', '(?=p)', 'p', 'inconclusive'], // lookahead: Rust has none
    ['regex', '\\bpro', 'pro', 'inconclusive'], // word boundaries go to the server
    ['regex', 'ü', 'ü', 'inconclusive'], // non-ASCII
    ['regex', 'a', 'ü', 'inconclusive'],
    ['regex', '[\\s-9]', 'x', 'inconclusive'],
    ['regex', '\\d+', 42.5, true],
    ['not_regex', '^pro$', 'team', true],
    ['not_regex', '(', 'x', false],
  ],
  numeric: [
    ['gt', 5, 10, true],
    ['gt', '5', '10', true], // both parse: numeric
    ['gt', 5, '12abc', true], // parseFloat reads 12
    ['gt', 'abc', 'abd', true], // string order
    ['gt', 5, 'abc', true], // 5 does not parse from 'abc': 'abc' > '5' as strings
    ['gte', 5, 5, true],
    ['lt', '10', 9.5, true],
    ['lte', 5, 5.5, false],
    ['gt', 5, null, false], // null never matches non-string operators
    ['lt', 'q', 'pro', true],
  ],
  dates: [
    ['is_date_before', '2026-01-01', '2025-12-31', true],
    ['is_date_after', '2026-01-01', '2025-12-31', false],
    ['is_date_before', '-7d', '2026-11-18T12:00:00Z', true],
    ['is_date_before', '-7d', '2026-11-20T12:00:00Z', false],
    ['is_date_after', '-1h', '2026-11-26T11:30:00Z', true],
    ['is_date_after', '-2w', '2026-11-11T12:00:00Z', false],
    ['is_date_after', '-1m', '2026-10-27T00:00:00Z', true],
    ['is_date_before', '-1y', '2025-11-25T00:00:00Z', true],
    ['is_date_before', '2026-01-01', 1_700_000_000_000, true], // numbers are epoch ms
    ['is_date_before', '-10000d', '2026-01-01', 'inconclusive'], // not relative, not a date
    ['is_date_before', 'yesterday', '2026-01-01', 'inconclusive'],
    ['is_date_before', true, '2026-01-01', 'inconclusive'],
    ['is_date_before', '2026-01-01', 'garbage', 'inconclusive'],
    ['is_date_before', '2026-01-01', null, false],
  ],
  semver: [
    ['semver_eq', '1.2.3', 'v1.2.3', true],
    ['semver_eq', '1.2', '1.2.0', true],
    ['semver_eq', '1.2.3', '1.2.3-beta', true], // pre-release dropped
    ['semver_neq', '1.2.3', '1.2.4', true],
    ['semver_gt', '1.2.0', '1.10.0', true],
    ['semver_gte', '1.2.3', '1.2.3', true],
    ['semver_lt', '2.0.0', '1.99.99', true],
    ['semver_lte', '0.0.3', '0.0.4', false],
    ['semver_eq', '1.2.3', '01.2.3', 'inconclusive'], // leading zero
    ['semver_eq', 'bad', '1.2.3', 'inconclusive'],
    ['semver_tilde', '1.2.0', '1.2.9', true],
    ['semver_tilde', '1.2.0', '1.3.0', false],
    ['semver_caret', '1.2.3', '1.9.0', true],
    ['semver_caret', '0.2.3', '0.3.0', false],
    ['semver_caret', '0.0.3', '0.0.3', true],
    ['semver_caret', '0.0.3', '0.0.4', false],
    ['semver_wildcard', '1.*', '1.99.0', true],
    ['semver_wildcard', '1.2.*', '1.3.0', false],
    ['semver_wildcard', '*', '1.0.0', 'inconclusive'],
  ],
  unknown: [['fuzzy_match', 'x', 'x', 'inconclusive']],
};

describe('matchProperty', () => {
  for (const [group, rows] of Object.entries(TABLE)) {
    it.each(rows)(`${group}: %s %j against %j -> %s`, (operator, value, actual, expected) => {
      expect(run(operator, value, actual)).toBe(expected);
    });
  }

  it('treats a property that was not supplied as undecidable, even for is_not_set', () => {
    const options = { now: NOW };
    expect(() => matchProperty({ key: 'p', operator: 'is_not_set' }, {}, options)).toThrow(
      Inconclusive,
    );
    expect(() => matchProperty({ key: 'p', operator: 'exact', value: 'x' }, {}, options)).toThrow(
      expect.objectContaining({ reason: 'missing_context' }),
    );
  });

  it.each([
    ['is_not_set', true],
    ['is_set', false],
    ['exact', false],
    ['is_not', true],
    ['icontains', false],
    ['not_icontains', true],
    ['regex', false],
    ['not_regex', true],
    ['not_starts_with', true],
    ['gt', false],
    ['is_date_before', false],
    ['semver_eq', false],
  ])('with complete properties decides %s on an absent key: %s', (operator, expected) => {
    const options = { now: NOW, propertiesComplete: true };
    expect(matchProperty({ key: 'p', operator, value: '1.2.3' }, {}, options)).toBe(expected);
  });

  it('with complete properties still rejects an unknown operator', () => {
    const options = { now: NOW, propertiesComplete: true };
    expect(() => matchProperty({ key: 'p', operator: 'fuzzy', value: 'x' }, {}, options)).toThrow(
      Inconclusive,
    );
  });

  it('blames the filter, not the context, when the filter is unusable', () => {
    expect(() =>
      matchProperty({ key: 'p', operator: 'semver_gt', value: 'bad' }, {}, { now: NOW }),
    ).toThrow(expect.objectContaining({ reason: 'unsupported_definition' }));
  });

  it('defaults a missing operator to exact', () => {
    expect(matchProperty({ key: 'p', value: 'x' }, { p: 'X' }, { now: NOW })).toBe(true);
  });

  it('compares boolean-like filters as strings under property matching version 2', () => {
    const options = { now: NOW, propertyMatchingVersion: 2 };
    expect(matchProperty({ key: 'p', value: 'true' }, { p: 'TRUE' }, options)).toBe(true);
    expect(matchProperty({ key: 'p', value: 'true' }, { p: 1.5 }, options)).toBe(false);
  });
});
