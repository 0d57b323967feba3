import { describe, expect, it } from 'vitest';
import { parseFlagDefinition } from './validate.js';

function makeFlag(overrides: Record<string, unknown> = {}, filters: Record<string, unknown> = {}) {
  return {
    id: 1,
    key: 'new-checkout',
    name: 'New checkout',
    active: true,
    deleted: false,
    ensure_experience_continuity: false,
    filters: { groups: [{ properties: [], rollout_percentage: 50 }], ...filters },
    ...overrides,
  };
}

function issuesOf(input: unknown) {
  const result = parseFlagDefinition(input);
  return result.ok ? [] : result.issues;
}

describe('parseFlagDefinition', () => {
  it('accepts a valid multivariate flag and fills defaults', () => {
    const result = parseFlagDefinition({
      id: 7,
      key: 'pricing_v2',
      active: true,
      filters: {
        groups: [
          {
            properties: [{ key: 'plan', operator: 'exact', value: ['pro'], type: 'person' }],
            rollout_percentage: null,
            variant: 'test',
          },
        ],
        multivariate: {
          variants: [
            { key: 'control', rollout_percentage: 33.4 },
            { key: 'test', rollout_percentage: 66.6 },
          ],
        },
        payloads: { test: '{"color":"blue"}' },
      },
    });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.definition.deleted).toBe(false);
      expect(result.definition.ensure_experience_continuity).toBe(false);
      expect(result.definition.name).toBe('');
    }
  });

  it('rejects a key with characters other than letters, digits, - and _', () => {
    expect(issuesOf(makeFlag({ key: 'new checkout!' }))).toEqual([
      { path: 'key', message: 'Only letters, digits, "-" and "_" are allowed' },
    ]);
  });

  it('rejects a rollout outside [0, 100] naming the condition', () => {
    const issues = issuesOf(
      makeFlag({}, { groups: [{ properties: [], rollout_percentage: 101 }] }),
    );
    expect(issues.map((issue) => issue.path)).toEqual(['filters.groups.0.rollout_percentage']);
  });

  it('rejects variants that do not sum to 100', () => {
    const issues = issuesOf(
      makeFlag(
        {},
        {
          multivariate: {
            variants: [
              { key: 'a', rollout_percentage: 50 },
              { key: 'b', rollout_percentage: 40 },
            ],
          },
        },
      ),
    );
    expect(issues).toEqual([
      {
        path: 'filters.multivariate.variants',
        message: 'Variant rollout percentages must sum to 100',
      },
    ]);
  });

  it('rejects duplicate variant keys and an override naming no variant', () => {
    const issues = issuesOf(
      makeFlag(
        {},
        {
          groups: [{ properties: [], rollout_percentage: 100, variant: 'c' }],
          multivariate: {
            variants: [
              { key: 'a', rollout_percentage: 50 },
              { key: 'a', rollout_percentage: 50 },
            ],
          },
        },
      ),
    );
    expect(issues.map((issue) => issue.path)).toEqual([
      'filters.multivariate.variants.1.key',
      'filters.groups.0.variant',
    ]);
  });

  it('rejects unknown operators and unparseable values at write time', () => {
    const issues = issuesOf(
      makeFlag(
        {},
        {
          groups: [
            {
              rollout_percentage: null,
              properties: [
                { key: 'plan', operator: 'similar_to', value: 'pro', type: 'person' },
                { key: 'app_version', operator: 'semver_gt', value: 'one.two', type: 'person' },
                {
                  key: 'signed_up',
                  operator: 'is_date_before',
                  value: 'yesterday',
                  type: 'person',
                },
                { key: 'email', operator: 'regex', value: '(unclosed', type: 'person' },
                { key: 'email', operator: 'icontains', type: 'person' },
                { key: 'seats', operator: 'gt', value: 5, type: 'group' },
                { key: 'id', operator: 'in', value: 'abc', type: 'cohort' },
                { key: 'other', operator: 'exact', value: 1, type: 'flag' },
              ],
            },
          ],
        },
      ),
    );
    const at = (i: number, field: string) => `filters.groups.0.properties.${i}.${field}`;
    expect(issues.map((issue) => issue.path)).toEqual([
      at(0, 'operator'),
      at(1, 'value'),
      at(2, 'value'),
      at(3, 'value'),
      at(4, 'value'),
      at(5, 'group_type_index'),
      at(6, 'value'),
      at(7, 'operator'),
      at(7, 'value'),
    ]);
  });

  it('rejects payload keys that are neither "true" nor a variant', () => {
    expect(issuesOf(makeFlag({}, { payloads: { maybe: '1' } }))).toEqual([
      { path: 'filters.payloads.maybe', message: 'Payload keys are "true" or a variant key' },
    ]);
  });

  it('reports shape errors with their paths', () => {
    const issues = issuesOf({
      key: 'x',
      active: 'yes',
      filters: { groups: [{ rollout_percentage: 'half' }] },
    });
    expect(issues.map((issue) => issue.path)).toEqual([
      'id',
      'active',
      'filters.groups.0.rollout_percentage',
    ]);
  });

  it('reads an omitted rollout as the whole group, as PostHog does', () => {
    const parsed = parseFlagDefinition({
      id: 1,
      key: 'x',
      active: true,
      filters: { groups: [{}] },
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    expect(parsed.definition.filters.groups[0]?.rollout_percentage).toBeNull();
  });
});
