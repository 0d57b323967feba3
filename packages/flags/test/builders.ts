import {
  type FlagDefinition,
  type FlagEnvironment,
  type FlagEvaluation,
  flagDefinitionSchema,
  type PropertyFilter,
} from '../src/index.js';

/** A flag in PostHog's shape; `filters` overrides merge over one 100% condition set. */
export function makeFlag(
  overrides: Partial<Omit<FlagDefinition, 'filters'>> & { filters?: Record<string, unknown> } = {},
): FlagDefinition {
  const { filters, ...rest } = overrides;
  return flagDefinitionSchema.parse({
    id: 1,
    key: 'test-flag',
    name: 'Test flag',
    active: true,
    deleted: false,
    ensure_experience_continuity: false,
    ...rest,
    filters: { groups: [{ properties: [], rollout_percentage: 100 }], ...filters },
  });
}

export function person(key: string, operator: string, value?: unknown): PropertyFilter {
  return value === undefined
    ? { key, operator, type: 'person' }
    : { key, operator, value, type: 'person' };
}

export function makeEnv(overrides: Partial<FlagEnvironment> = {}): FlagEnvironment {
  return {
    flags: [],
    cohorts: {},
    groupTypeMapping: { '0': 'company', '1': 'project' },
    now: () => new Date('2026-11-26T12:00:00Z'),
    ...overrides,
  };
}

/** The value an SDK returns: `undefined` when inconclusive. */
export function sdkValue(result: FlagEvaluation): boolean | string | undefined {
  return result.inconclusive ? undefined : result.value;
}
