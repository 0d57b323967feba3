import { describe, expect, it } from 'vitest';
import { makeEnv, makeFlag, sdkValue } from '../../test/builders.js';
import { evaluateFlag, evaluateFlags } from '../evaluate/flag.js';
import { resolveFlagDependencies } from './dependencies.js';
import type { FlagDefinition } from './schema.js';

function dependsOn(key: string, id: number, target: string, value: unknown = true): FlagDefinition {
  return makeFlag({
    key,
    id,
    filters: {
      groups: [
        {
          properties: [{ key: target, operator: 'flag_evaluates_to', value, type: 'flag' }],
          rollout_percentage: null,
        },
      ],
    },
  });
}

function chains(flags: FlagDefinition[]): Record<string, unknown> {
  return Object.fromEntries(
    resolveFlagDependencies(flags).map((flag) => [
      flag.key,
      flag.filters.groups[0]?.properties[0]?.dependency_chain,
    ]),
  );
}

describe('resolveFlagDependencies', () => {
  it('resolves ids to keys and lists the chain in evaluation order', () => {
    const base = makeFlag({ key: 'base', id: 1 });
    const mid = dependsOn('mid', 2, '1'); // by id, as PostHog stores it
    const top = dependsOn('top', 3, 'mid'); // by key
    const resolved = resolveFlagDependencies([top, mid, base]);
    expect(resolved[1]?.filters.groups[0]?.properties[0]?.key).toBe('base');
    expect(chains([top, mid, base])).toEqual({
      top: ['base', 'mid'],
      mid: ['base'],
      base: undefined,
    });
  });

  it('gives a cycle an empty chain', () => {
    expect(
      chains([dependsOn('a', 1, 'b'), dependsOn('b', 2, 'a'), dependsOn('c', 3, 'a')]),
    ).toEqual({
      a: [],
      b: [],
      c: [],
    });
  });
});

describe('flag dependencies', () => {
  it('matches on the dependency value: true, false or a variant', () => {
    const on = makeFlag({ key: 'on', id: 1 });
    const off = makeFlag({
      key: 'off',
      id: 2,
      filters: { groups: [{ properties: [], rollout_percentage: 0 }] },
    });
    const variant = makeFlag({
      key: 'variant',
      id: 3,
      filters: {
        groups: [{ properties: [], rollout_percentage: 100, variant: 'b' }],
        multivariate: {
          variants: [
            { key: 'a', rollout_percentage: 50 },
            { key: 'b', rollout_percentage: 50 },
          ],
        },
      },
    });
    const flags = resolveFlagDependencies([
      on,
      off,
      variant,
      dependsOn('needs-on', 10, 'on'),
      dependsOn('needs-off-false', 11, 'off', false),
      dependsOn('needs-variant-true', 12, 'variant', true),
      dependsOn('needs-variant-b', 13, 'variant', 'b'),
      dependsOn('needs-variant-a', 14, 'variant', 'a'),
    ]);
    const results = evaluateFlags({ distinctId: 'u' }, makeEnv({ flags }));
    expect(
      Object.fromEntries(Object.entries(results).map(([key, result]) => [key, sdkValue(result)])),
    ).toEqual({
      on: true,
      off: false,
      variant: 'b',
      'needs-on': true,
      'needs-off-false': true,
      'needs-variant-true': true,
      'needs-variant-b': true,
      'needs-variant-a': false,
    });
  });

  it('is inconclusive on a cycle, a missing dependency, or one without a chain', () => {
    const flags = resolveFlagDependencies([
      dependsOn('a', 1, 'b'),
      dependsOn('b', 2, 'a'),
      dependsOn('c', 3, 'gone'),
    ]);
    const env = makeEnv({ flags });
    for (const flag of flags) {
      const result = evaluateFlag(flag, { distinctId: 'u' }, env);
      expect(result.inconclusive && result.reason.code).toBe('unsupported_definition');
    }
    const unresolved = dependsOn('d', 4, 'a');
    expect(evaluateFlag(unresolved, { distinctId: 'u' }, env).inconclusive).toBe(true);
  });

  it('passes on an undecidable dependency as unresolved_dependency', () => {
    const needsPlan = makeFlag({
      key: 'needs-plan',
      id: 1,
      filters: {
        groups: [
          {
            properties: [{ key: 'plan', operator: 'exact', value: 'pro', type: 'person' }],
            rollout_percentage: null,
          },
        ],
      },
    });
    const flags = resolveFlagDependencies([needsPlan, dependsOn('top', 2, 'needs-plan')]);
    const top = flags[1];
    if (top === undefined) throw new Error('no flag');
    const result = evaluateFlag(top, { distinctId: 'u' }, makeEnv({ flags }));
    expect(result.inconclusive && result.reason.code).toBe('unresolved_dependency');
    expect(
      sdkValue(
        evaluateFlag(
          top,
          { distinctId: 'u', personProperties: { plan: 'PRO' } },
          makeEnv({ flags }),
        ),
      ),
    ).toBe(true);
  });
});
