// Seeded generators of flag definitions, cohorts and callers for the posthog-node cross-check.
// The pools deliberately mix types (numbers vs numeric strings, booleans vs 'true', nulls,
// unicode, invalid semvers and dates) because that is where evaluators disagree.

export type Rng = () => number;

/** mulberry32: small, fast, deterministic. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick from an empty list');
  return items[Math.floor(rng() * items.length)] as T;
}

const DAY_MS = 86_400_000;

// Half a day off any whole-day boundary, so relative dates never sit on a millisecond edge.
function daysAgo(now: number, days: number): string {
  return new Date(now - days * DAY_MS - DAY_MS / 2).toISOString();
}

export const GROUP_TYPE_MAPPING = { '0': 'company', '1': 'project' } as const;

const PERSON_KEYS = [
  'plan',
  'email',
  'seats',
  'app_version',
  'signed_up',
  'is_beta',
  'country',
  'score',
];
const GROUP_KEYS = ['industry', 'employees', 'tier', '$group_key'];

const GENERAL_VALUES: unknown[] = [
  'pro',
  'Pro',
  'free',
  'team',
  'PRO',
  '',
  'true',
  'false',
  'TRUE',
  true,
  false,
  null,
  0,
  1,
  5,
  5.5,
  10,
  12.25,
  -3,
  '5',
  '5.5',
  '10',
  '12abc',
  'abc',
  'üser',
  'ÜSER',
  'jane@acme.com',
  'bob@Example.org',
  'line\r\nbreak',
  ['pro', 'team'],
  [],
  ['true'],
  { tier: 1.5 },
  'null',
  undefined,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  new Date('2025-03-01T00:00:00Z'),
];

function keyValues(key: string, now: number): unknown[] {
  switch (key) {
    case 'plan':
    case 'tier':
      return ['pro', 'Pro', 'free', 'team', 'enterprise', null, true];
    case 'email':
      return ['jane@acme.com', 'JANE@ACME.COM', 'bob@example.org', 'ann@acme.co', 'ü@acme.com', ''];
    case 'seats':
    case 'employees':
    case 'score':
      return [0, 3, 5, 5.5, 7.25, 10, 250, '5', '7.5', '12abc', 'abc', -1.5, null];
    case 'app_version':
      return [
        '1.2.3',
        'v1.2.3',
        '1.2',
        '1.10.0',
        '2.0.0',
        '0.2.3',
        '0.0.3',
        '0.0.4',
        '0.3.0',
        '0.9.1',
        '0.2.9',
        '1.2.3-beta',
        '01.2.3',
        'bad',
        '3',
        ' 1.3.0 ',
      ];
    case 'signed_up':
      return [
        daysAgo(now, 1),
        daysAgo(now, 3),
        daysAgo(now, 10),
        daysAgo(now, 20),
        daysAgo(now, 45),
        daysAgo(now, 400),
        '2024-01-15',
        '2023-06-01T10:00:00Z',
        now - 5 * DAY_MS - 7,
        'garbage',
        true,
      ];
    case 'is_beta':
      return [true, false, 'true', 'false', 'True', 'yes', 1.5, null];
    case 'country':
      return ['US', 'us', 'DE', 'GB', null];
    case 'industry':
      return ['saas', 'SaaS', 'retail', 'health', null];
    default:
      return GENERAL_VALUES;
  }
}

export const OPERATOR_VALUES: Record<string, unknown[]> = {
  exact: [
    'pro',
    'Pro',
    'free',
    ['pro', 'team'],
    ['PRO', 'free'],
    'true',
    'false',
    true,
    false,
    ['true'],
    [],
    5,
    5.5,
    '5',
    'jane@acme.com',
    'US',
    'saas',
    null,
  ],
  is_not: ['pro', ['pro', 'team'], 'true', false, [], '5', 5.5, 'US', 'saas'],
  is_set: [''],
  is_not_set: [''],
  icontains: ['pro', 'PR', 'acme', '@', 'ü', '', 'true', 5, 'us'],
  not_icontains: ['pro', 'acme', 'ü', ''],
  starts_with: ['pr', 'JANE', '1.', 'ü'],
  not_starts_with: ['pr', 'jane'],
  ends_with: ['.com', 'O', '3'],
  not_ends_with: ['.com', 'am'],
  regex: [
    '^pro$',
    'pro|team',
    '^[a-z]+@acme\\.com$',
    '\\d+',
    '(?i)pro',
    '\\bpro',
    '(?=p)',
    '[',
    'a{2}',
    '^v?1\\.',
    '.*',
    '',
    'ü',
    '[\\s-9]',
    '^$',
    'ACME',
    '[a-z]{3,}',
  ],
  not_regex: ['^pro$', '@acme\\.', '(', '\\d'],
  gt: [5, '5', 10.5, 'abc', '2024-01-01', 0, -1, '1e2', 'pro'],
  gte: [5, '7.25', 'm'],
  lt: [5, '10', 3.5, 'q', '2024-06-01'],
  lte: [5.5, '0', 'free'],
  is_date_before: [
    '2024-01-01',
    '2025-06-15T00:00:00Z',
    '-7d',
    '-1h',
    '-2w',
    '-1m',
    '-1y',
    '-10000d',
    '7d',
    'yesterday',
    1_700_000_000_000,
    true,
    '-3x',
    '-30d',
  ],
  is_date_after: ['2023-01-01', '-7d', '-14d', '-2w', '-1m', '-1y', '-12h', 'bad-date'],
  semver_eq: ['1.2.3', 'v1.2.3', '1.2', 'bad', '01.2.3'],
  semver_neq: ['1.2.3', '2.0.0'],
  semver_gt: ['1.2.0', '0.2.3', '1.2.3-rc1'],
  semver_gte: ['1.2.3', '1.10'],
  semver_lt: ['2.0.0', '1'],
  semver_lte: ['1.2.3', '0.0.3'],
  semver_tilde: ['1.2.0', '1.2', '0.2.3', 'bad'],
  semver_caret: ['1.2.3', '0.2.3', '0.0.3', '1'],
  semver_wildcard: ['1.*', '1.2.*', '*', 'v2.*', '1', 'x.*'],
  fuzzy_match: ['pro'],
};
const OPERATORS = Object.keys(OPERATOR_VALUES);

type Json = Record<string, unknown>;

// Operators rotate rather than being drawn, so every one of them appears in every workload.
let operatorTurn = 0;

function makeFilter(
  rng: Rng,
  keys: readonly string[],
  type: 'person' | 'group',
  groupIndex?: number,
): Json {
  const operator = OPERATORS[operatorTurn++ % OPERATORS.length] ?? 'exact';
  const key = rng() < 0.08 ? 'never_supplied' : rng() < 0.05 ? 'distinct_id' : pick(rng, keys);
  const filter: Json = { key, operator, value: pick(rng, OPERATOR_VALUES[operator] ?? ['']), type };
  if (type === 'group') filter.group_type_index = groupIndex ?? 0;
  return filter;
}

export const COHORTS: Record<string, unknown> = {
  '1': {
    type: 'AND',
    values: [
      { key: 'plan', operator: 'exact', value: ['pro', 'team'], type: 'person' },
      { key: 'seats', operator: 'gt', value: 5, type: 'person' },
    ],
  },
  '2': {
    type: 'OR',
    values: [
      { type: 'AND', values: [{ key: 'country', operator: 'exact', value: 'US', type: 'person' }] },
      {
        type: 'AND',
        values: [
          { key: 'email', operator: 'icontains', value: '@acme', type: 'person' },
          { key: 'is_beta', operator: 'exact', value: ['true'], type: 'person' },
        ],
      },
    ],
  },
  '3': {
    type: 'OR',
    values: [
      { key: 'plan', operator: 'exact', value: 'free', type: 'person', negation: true },
      { key: 'score', operator: 'lt', value: 3, type: 'person' },
    ],
  },
  '4': {
    type: 'AND',
    values: [
      { key: 'id', operator: 'in', value: 1, type: 'cohort' },
      { key: 'app_version', operator: 'semver_gte', value: '1.2.0', type: 'person' },
    ],
  },
  '5': { type: 'AND', values: [{ key: 'id', operator: 'in', value: 99, type: 'cohort' }] },
  '6': {},
  '7': { type: 'OR', values: [] },
  '8': {
    type: 'OR',
    values: [
      { key: 'industry', operator: 'exact', value: 'saas', type: 'group', group_type_index: 0 },
      { key: 'employees', operator: 'gte', value: 100, type: 'group', group_type_index: 0 },
    ],
  },
};
const COHORT_IDS = [1, 2, 3, 4, 5, 6, 7, 8, 99];

function makeVariants(rng: Rng): Json[] {
  const layouts = [
    [50, 50],
    [33.3, 33.3, 33.4],
    [25, 25, 25, 25],
    [10, 90],
    [50, 20, 20, 5, 5],
  ];
  const names = ['control', 'test', 'alpha', 'beta', 'gamma'];
  return pick(rng, layouts).map((pct, i) => ({ key: names[i], rollout_percentage: pct }));
}

/** Flag definitions in PostHog's local-evaluation shape; `flag` filters reference by key or id. */
export function makeFlags(rng: Rng, count: number): Json[] {
  operatorTurn = 0;
  const flags: Json[] = [];
  for (let i = 0; i < count; i++) {
    const aggregation = rng() < 0.2 ? pick(rng, [0, 0, 1, 2]) : undefined;
    const variants = rng() < 0.4 ? makeVariants(rng) : undefined;
    const variantKeys = (variants ?? []).map((variant) => String(variant.key));
    const groups: Json[] = [];
    const conditionCount = 1 + Math.floor(rng() * 3);
    for (let c = 0; c < conditionCount; c++) {
      const properties: Json[] = [];
      const filterCount = Math.floor(rng() * 3.5);
      for (let f = 0; f < filterCount; f++) {
        const roll = rng();
        if (roll < 0.12) {
          properties.push({
            key: 'id',
            type: 'cohort',
            operator: pick(rng, ['in', 'in', 'not_in']),
            value: pick(rng, COHORT_IDS),
          });
        } else if (roll < 0.22 && i > 0) {
          const target = Math.floor(rng() * count);
          properties.push({
            key: rng() < 0.5 ? `flag-${target}` : String(1000 + target),
            type: 'flag',
            operator: 'flag_evaluates_to',
            value: pick(rng, [true, true, false, 'control', 'test']),
          });
        } else if (aggregation !== undefined) {
          properties.push(makeFilter(rng, GROUP_KEYS, 'group', aggregation));
        } else {
          properties.push(makeFilter(rng, PERSON_KEYS, 'person'));
        }
      }
      const condition: Json = {
        properties,
        rollout_percentage: pick(rng, [null, null, 0, 100, 45, 33.3, 72.5, 50]),
      };
      if (variants !== undefined && rng() < 0.25)
        condition.variant = pick(rng, [...variantKeys, 'nonexistent']);
      if (aggregation === undefined && rng() < 0.1) {
        condition.aggregation_group_type_index = pick(rng, [0, 1, null]);
        condition.properties = [makeFilter(rng, GROUP_KEYS, 'group', 0)];
      }
      groups.push(condition);
    }
    const payloads: Json = {};
    if (rng() < 0.5) payloads.true = pick(rng, ['{"a":1}', '"text"', 'not json', '0', '']);
    for (const key of variantKeys)
      if (rng() < 0.5) payloads[key] = pick(rng, ['{"v":"x"}', '[1,2]', 'raw']);
    const filters: Json = { groups, payloads };
    if (variants !== undefined) filters.multivariate = { variants };
    if (aggregation !== undefined) filters.aggregation_group_type_index = aggregation;
    if (rng() < 0.2) filters.early_exit = true;
    if (rng() < 0.08) filters.holdout = { id: 3, exclusion_percentage: pick(rng, [10, 50, 100]) };
    flags.push({
      id: 1000 + i,
      key: `flag-${i}`,
      name: `Flag ${i}`,
      active: rng() < 0.9,
      deleted: false,
      ensure_experience_continuity: rng() < 0.04,
      ...(rng() < 0.1 ? { bucketing_identifier: 'device_id' } : {}),
      filters,
    });
  }
  return flags;
}

/** Every property value the generators use, for exhaustive operator grids. */
export function allPropertyValues(now: number): unknown[] {
  const keys = [...PERSON_KEYS, ...GROUP_KEYS];
  return [...new Set([...GENERAL_VALUES, ...keys.flatMap((key) => keyValues(key, now))])];
}

export interface Caller {
  distinctId: string;
  groups: Record<string, string>;
  personProperties: Record<string, unknown>;
  groupProperties: Record<string, Record<string, unknown>>;
}

function bag(rng: Rng, keys: readonly string[], now: number): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const key of keys) {
    if (rng() < 0.3) continue;
    properties[key] = rng() < 0.75 ? pick(rng, keyValues(key, now)) : pick(rng, GENERAL_VALUES);
  }
  return properties;
}

export function makeCaller(rng: Rng, index: number, now: number): Caller {
  const distinctId =
    rng() < 0.9 ? `user_${index}` : pick(rng, [`ü-${index}`, `${index}`, `user ${index}@x`]);
  const groups: Record<string, string> = {};
  const groupProperties: Record<string, Record<string, unknown>> = {};
  if (rng() < 0.6) groups.company = `acme_${Math.floor(rng() * 50)}`;
  if (rng() < 0.3) groups.project = `p_${Math.floor(rng() * 20)}`;
  for (const groupType of ['company', 'project']) {
    if (rng() < 0.7) groupProperties[groupType] = bag(rng, GROUP_KEYS.slice(0, 3), now);
  }
  const personProperties = bag(rng, PERSON_KEYS, now);
  if (rng() < 0.5)
    personProperties.$device_id = rng() < 0.9 ? `device_${Math.floor(rng() * 1000)}` : '';
  return { distinctId, groups, personProperties, groupProperties };
}
