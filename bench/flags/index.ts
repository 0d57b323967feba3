// Remote flag evaluation: one `POST /flags?v=2` through Tally in-process (no socket) next to the
// same decisions made locally by @tally/flags from the definitions Tally serves, the callers'
// properties given (what a server SDK with local evaluation does). Same process, interleaved
// blocks; prints the median per call of each and the ratio, for callers Tally has stored (and
// recently ingested), callers it has never seen asking once, and such callers asking again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateFlags, type FlagEnvironment, flagDefinitionSchema } from '@tally/flags';
import { openTally, resolveConfig } from '@tally/server';

const TOKEN = 'phc_benchflags0001';
const API_KEY = 'phx_benchflags0001';
const CALLERS = 2_000;
const TENANTS = 50;
const BLOCK = 200;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);

const dataDir = mkdtempSync(join(tmpdir(), 'tally-bench-flags-'));
const tally = await openTally(
  resolveConfig(
    { dataDir },
    {
      TALLY_BOOTSTRAP_TOKEN: TOKEN,
      TALLY_BOOTSTRAP_API_KEY: API_KEY,
      TALLY_BOOTSTRAP_ADMIN_EMAIL: 'bench@example.com',
      TALLY_BOOTSTRAP_ADMIN_PASSWORD: 'bench-password-0001',
    },
  ),
);

async function call(path: string, init: RequestInit): Promise<unknown> {
  const response = await tally.app.request(path, init);
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}
const api = (path: string, body: unknown) =>
  call(`/api/projects/1${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

// Ten flags as a PSA vendor might have them: rollouts by person and by tenant, a person-property
// release, a tenant-property release, and a multivariate tenant experiment.
const person = (key: string, value: string[]) => ({ key, type: 'person', value });
const rollout = (pct: number, index: number | null) => ({
  aggregation_group_type_index: index,
  groups: [{ properties: [], rollout_percentage: pct }],
});
const flagsMade = [
  { key: 'timesheets-v2', filters: rollout(30, null) },
  { key: 'dispatch-board', filters: rollout(100, null) },
  { key: 'sla-timer', filters: rollout(40, 0) },
  { key: 'invoice-preview', filters: rollout(10, 0) },
  {
    key: 'pro-reports',
    filters: {
      aggregation_group_type_index: null,
      groups: [{ properties: [person('plan', ['pro'])], rollout_percentage: 100 }],
    },
  },
  {
    key: 'enterprise-sso',
    filters: {
      aggregation_group_type_index: 0,
      groups: [
        {
          properties: [{ key: 'tier', type: 'group', group_type_index: 0, value: ['enterprise'] }],
          rollout_percentage: 100,
        },
      ],
    },
  },
  {
    key: 'new-ticket-form',
    filters: {
      aggregation_group_type_index: 0,
      groups: [{ properties: [], rollout_percentage: 100 }],
      multivariate: {
        variants: [
          { key: 'control', rollout_percentage: 50 },
          { key: 'test', rollout_percentage: 50 },
        ],
      },
    },
  },
  ...['a', 'b', 'c'].map((k) => ({ key: `beta-${k}`, filters: rollout(50, null) })),
];
for (const flag of flagsMade) await api('/feature_flags', flag);

const plan = (i: number) => (i % 3 === 0 ? 'pro' : 'basic');
const tier = (t: number) => (t % 4 === 0 ? 'enterprise' : 'standard');
// Stored callers: identified with their plan; tenants with their tier.
const batch = [
  ...Array.from({ length: CALLERS }, (_, i) => ({
    event: '$identify',
    distinct_id: `user-${i}`,
    properties: { $set: { plan: plan(i) } },
  })),
  ...Array.from({ length: TENANTS }, (_, t) => ({
    event: '$groupidentify',
    distinct_id: `user-${t}`,
    properties: { $group_type: 'tenant', $group_key: `tenant-${t}`, $group_set: { tier: tier(t) } },
  })),
];
await call('/batch/', { method: 'POST', body: JSON.stringify({ api_key: TOKEN, batch }) });

const definitions = (await call(`/flags/definitions?token=${TOKEN}`, {
  headers: { authorization: `Bearer ${API_KEY}` },
})) as { flags: unknown[]; group_type_mapping: Record<string, string> };
const env: FlagEnvironment = {
  flags: definitions.flags.map((f) => flagDefinitionSchema.parse(f)),
  groupTypeMapping: definitions.group_type_mapping,
  cohorts: {},
};

const remote = async (prefix: string, i: number) => {
  const body = {
    api_key: TOKEN,
    distinct_id: `${prefix}-${i}`,
    groups: { tenant: `tenant-${i % TENANTS}` },
  };
  await call('/flags?v=2', { method: 'POST', body: JSON.stringify(body) });
};
const local = (prefix: string, i: number) =>
  evaluateFlags(
    {
      distinctId: `${prefix}-${i}`,
      groups: { tenant: `tenant-${i % TENANTS}` },
      personProperties: { plan: plan(i) },
      groupProperties: { tenant: { tier: tier(i % TENANTS) } },
    },
    env,
  );

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

async function perCall(run: (i: number) => unknown, offset: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < BLOCK; i++) await run((offset + i) % CALLERS);
  return ((performance.now() - started) * 1000) / BLOCK;
}

// An anonymous visitor Tally stores no person for asks again on every page: the third case.
for (let i = 0; i < CALLERS; i++) await remote('again', i);
const rows: string[][] = [];
for (const [label, prefixOf] of [
  ['stored callers', () => 'user'],
  ['never seen, first call', (round: number) => `new${round}`],
  ['never seen, asking again', () => 'again'],
] as const) {
  const times = { remote: [] as number[], local: [] as number[] };
  for (let round = -2; round < ROUNDS; round++) {
    const offset = (round + 2) * BLOCK;
    const prefix = prefixOf(round);
    const r = await perCall((i) => remote(prefix, i), offset);
    const l = await perCall((i) => local(prefix, i), offset);
    if (round < 0) continue; // warm-up
    times.remote.push(r);
    times.local.push(l);
  }
  const [r, l] = [median(times.remote), median(times.local)];
  rows.push([label, `${r.toFixed(0)} us`, `${l.toFixed(1)} us`, `${(r / l).toFixed(1)}x`]);
}

console.log(
  `${flagsMade.length} flags, ${CALLERS} callers, median of ${ROUNDS} blocks of ${BLOCK}\n`,
);
console.log('| callers | POST /flags (in-process) | local evaluation | ratio |');
console.log('|---|---:|---:|---:|');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
await tally.close();
rmSync(dataDir, { recursive: true, force: true });
