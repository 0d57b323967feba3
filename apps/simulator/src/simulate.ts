// The run: set up the demo experiment in Tally (with an API key), open the PSA in-process on an
// in-memory PGlite with the simulated clock, point its SDK at Tally on the same clock, set up the
// tenants, then play each day: shifts of every persona, tenant by tenant, each tenant on its own
// clock so their days overlap as real MSPs' do.
import { psaCatalog } from '@tally/catalog';
import {
  createFakeAccounting,
  createPsaApp,
  createPsaInstrumentation,
  createSequentialIds,
  openPsaDatabase,
} from '@tally/psa-demo';
import { type Analytics, createAnalytics, type SdkCounters } from '@tally/sdk';
import type { MiddlewareHandler } from 'hono';
import { createSimClock, DAY_MS, HOUR_MS, type SimClock } from './clock.js';
import { type DemoExperiment, setUpDemoExperiment } from './demo-experiment.js';
import {
  type ResolvedSimulateOptions,
  resolveSimulateOptions,
  type SimulateOptions,
} from './options.js';
import { createPeople, createPiiLedger, type People } from './people.js';
import {
  billingDay,
  contactDay,
  type Day,
  dispatcherDay,
  ownerDay,
  technicianDay,
} from './personas.js';
import { createPsaClient, type PsaClient } from './psa-client.js';
import { createRandom, type Random } from './random.js';
import { signIn, strayLogin } from './sign-in.js';
import { byPersona, type SimTenant, setUpTenant } from './tenant.js';

export interface SimulationResult {
  readonly days: number;
  readonly tenants: number;
  readonly users: number;
  /** HTTP requests the personas made to the PSA. */
  readonly requests: number;
  readonly statusCounts: Readonly<Record<number, number>>;
  /** Every name, email, phone number, address and company the run put into the PSA. */
  readonly pii: readonly string[];
  /** The SDK's counters after shutdown (captured, sent, dropped...). */
  readonly sdk: Readonly<SdkCounters>;
  /** Ids the PSA gave its tenants and users (on-premise, none of them may reach Tally). */
  readonly psaIds: readonly string[];
  /** The "New ticket form" experiment the run fed; undefined without an API key (skipped). */
  readonly experiment: DemoExperiment | undefined;
}

const SESSION_TTL_MS = 14 * DAY_MS;

/** A share of requests take long on the server: the HTTP middleware sees them as slow. */
function latencyModel(rng: Random, current: () => SimClock): MiddlewareHandler {
  return async (_c, next) => {
    const roll = rng.next();
    const ms =
      roll < 0.003 ? rng.int(2_000, 4_500) : roll < 0.015 ? rng.int(1_001, 1_900) : rng.int(8, 180);
    current().advanceMs(ms);
    await next();
  };
}

/** Staff start first; the tenant's history begins when it signs up (staggered in the first third). */
function signupDay(index: number, tenants: number, days: number): number {
  if (index < Math.ceil((tenants * 2) / 3)) return 0;
  return Math.floor(((index + 1) / tenants) * (days / 3));
}

async function playDay(day: Day, t: SimTenant, people: People, deactivateOn: number, d: number) {
  const rng = t.rng;
  const isWeekend = day.weekday === 0 || day.weekday === 6;
  const techs = byPersona(t, 'technician');
  if (isWeekend) {
    // On call: one technician looks at the queue now and then.
    if (techs.length > 0 && rng.chance(0.25)) await technicianDay(day, t, rng.pick(techs));
    return;
  }
  for (const contact of byPersona(t, 'client_contact')) {
    if (rng.chance(0.1 * t.activity)) await contactDay(day, t, contact);
  }
  for (const u of byPersona(t, 'dispatcher')) await dispatcherDay(day, t, u);
  // Mondays everyone is in (last week's time sheet is due); other days most are.
  for (const u of techs) if (day.weekday === 1 || rng.chance(0.6)) await technicianDay(day, t, u);
  // The owner approves time sheets early in the week; billing runs Wednesday and Friday.
  if (day.weekday === 1 || day.weekday === 2) {
    for (const u of byPersona(t, 'admin')) await ownerDay(day, t, u);
  }
  if (day.weekday === 3 || day.weekday === 5) {
    for (const u of byPersona(t, 'billing_admin')) await billingDay(day, t, u);
  }
  if (rng.chance(0.05)) await strayLogin(day.psa, rng, people);
  if (d === deactivateOn && techs.length >= 3) {
    // A technician leaves: the owner deactivates the account; the next sign-in is refused.
    const leaver = techs[techs.length - 1] as (typeof techs)[number];
    const owner = byPersona(t, 'admin')[0];
    if (owner !== undefined && owner.token === undefined) await signIn(day.psa, rng, owner);
    await day.psa.call('PATCH', `/api/users/${leaver.id}`, owner?.token, { is_active: false });
    leaver.token = undefined;
    await signIn(day.psa, rng, leaver);
    t.users.splice(t.users.indexOf(leaver), 1);
  }
}

/**
 * Runs the PSA demo in this process for `days` simulated days across `tenants` MSPs and sends
 * its usage to Tally. Deterministic by `seed` (the SDK's clock, ids and randomness included).
 *
 * @example
 * const result = await simulate({
 *   seed: 1, days: 90, tenants: 24, tallyUrl: 'http://127.0.0.1:8787',
 *   token: 'phc_...', startDate: '2026-01-05',
 * });
 */
export async function simulate(options: SimulateOptions): Promise<SimulationResult> {
  const o: ResolvedSimulateOptions = resolveSimulateOptions(options);
  const experiment =
    o.apiKey === undefined
      ? undefined
      : await setUpDemoExperiment({
          tallyUrl: o.tallyUrl,
          apiKey: o.apiKey,
          token: o.token,
          tenants: o.tenants,
          startMs: o.startMs,
        });
  const root = createRandom(o.seed);
  const ledger = createPiiLedger();
  const people = createPeople(root.fork('people'), ledger);
  const setupClock = createSimClock(o.startMs + 7 * HOUR_MS);
  let current: SimClock = setupClock;
  const clock = () => current;
  const sdkRng = root.fork('sdk');
  const analytics: Analytics = createAnalytics({
    catalog: psaCatalog,
    host: o.tallyUrl,
    token: o.token,
    // Flags are decided in-process from polled definitions, as a server app does.
    ...(o.apiKey === undefined ? {} : { personalApiKey: o.apiKey }),
    appVersion: '1.0.0',
    deployment: o.deployment,
    // The admin opted in to upload; the env switch (ALGA_USAGE_STATS=false) still wins.
    usageStats: 'on',
    usageStatsSwitch: 'ALGA_USAGE_STATS',
    env: o.env,
    secret: o.secret ?? `simulator-install-secret-${o.seed}`.padEnd(40, '0'),
    now: () => current.nowMs(),
    random: () => sdkRng.next(),
    uuid: seededUuid(root.fork('uuid'), () => current.nowMs()),
    // Events carry simulated timestamps but are sent now: sent_at from the wall clock makes
    // (timestamp - sent_at) their true age, so the collector keeps their simulated dates.
    sendNow: Date.now,
    // Usually a loopback or in-process collector: compression would only cost CPU.
    gzip: false,
    flushAt: 500,
    maxRetries: 2,
    maxQueueSize: 1_000_000,
    // A long interval: the run flushes at the end of each simulated day itself.
    flushIntervalMs: 60_000,
  });
  const db = await openPsaDatabase();
  const instrumentation = createPsaInstrumentation(analytics, {
    http: { now: () => current.nowMs(), random: () => sdkRng.next() },
    trackers: { now: () => current.nowMs() },
    // Measured operations (the billing run, accounting exports) take simulated time.
    performance: { now: () => current.nowMs() },
  });
  // The accounting system the billing admins export invoices to: its latency moves the tenant's
  // simulated clock, its slow calls and failures come from the seed.
  const accountingRng = root.fork('accounting');
  const accounting = createFakeAccounting({
    sleep: (ms) => current.advanceMs(ms),
    random: () => accountingRng.next(),
  });
  const app = createPsaApp({
    db,
    now: () => current.now(),
    ids: createSequentialIds(o.seed),
    accounting,
    // "Keep me signed in": two-week sessions, so people sign in now and then, not every morning.
    sessionTtlMs: SESSION_TTL_MS,
    hooks: instrumentation.hooks,
    // The ticket form comes from the flag only when the experiment is set up: otherwise there is
    // no flag to ask, and every tenant gets the classic form.
    ...(experiment === undefined ? {} : { flags: analytics }),
    middleware: [instrumentation.middleware, latencyModel(root.fork('latency'), clock)],
  });
  const psa: PsaClient = createPsaClient(app);
  const tenants: SimTenant[] = [];
  const clocks: SimClock[] = [];
  const joinDay = Array.from({ length: o.tenants }, (_, i) => signupDay(i, o.tenants, o.days));
  let n = 0;
  const password = () => {
    const p = `Sim-${o.seed}-pass-${(n++).toString(36).padStart(6, '0')}`;
    ledger.add(p);
    return p;
  };
  // The SDK's retry sleeps are unref'd timers (they must not hold a host app open); the run
  // awaits them, so it holds the process open itself until it is done.
  const keepAlive = setInterval(() => {}, 60_000);
  try {
    for (let d = 0; d < o.days; d++) {
      const startMs = o.startMs + d * DAY_MS;
      const weekday = new Date(startMs).getUTCDay();
      for (let i = 0; i < o.tenants; i++) {
        if (joinDay[i] === d) {
          const tenantClock = createSimClock(startMs + 7 * HOUR_MS + i * 60_000);
          current = tenantClock;
          const rng = root.fork(`tenant-${i}`);
          tenants[i] = await setUpTenant(psa, rng, people, i, password);
          clocks[i] = tenantClock;
          // Delivered before the tenant's first ticket: a fresh Tally learns the tenant group
          // type from these events, and decides tenant-bucketed flags only once it has; the
          // definitions are then re-read (ETag: usually a 304) to carry it.
          await analytics.flush();
          if (experiment !== undefined) await analytics.reloadFeatureFlags();
        }
        const t = tenants[i];
        const c = clocks[i];
        if (t === undefined || c === undefined) continue;
        current = c;
        const day: Day = {
          psa,
          people,
          clock: c,
          startMs,
          date: new Date(startMs).toISOString().slice(0, 10),
          weekday,
        };
        await playDay(day, t, people, Math.floor(o.days / 2), d);
      }
      await analytics.flush();
      o.onDay?.(d + 1, o.days);
    }
  } finally {
    await analytics.shutdown();
    await db.close();
    clearInterval(keepAlive);
  }
  const psaIds = tenants.flatMap((t) => [t.id, ...t.users.map((u) => u.id)]);
  return {
    days: o.days,
    tenants: tenants.length,
    users: tenants.reduce((sum, t) => sum + t.users.length, 0),
    requests: psa.requestCount(),
    statusCounts: psa.statusCounts(),
    pii: ledger.values(),
    sdk: analytics.counters(),
    psaIds,
    experiment,
  };
}

/** UUIDv7-shaped event ids from the simulated time and the seeded PRNG (reproducible). */
function seededUuid(rng: Random, nowMs: () => number): (ms: number) => string {
  const hex = (digits: number) =>
    Array.from({ length: digits }, () => Math.floor(rng.next() * 16).toString(16)).join('');
  return (ms) => {
    const t = Math.floor(ms || nowMs())
      .toString(16)
      .padStart(12, '0');
    const variant = (8 + Math.floor(rng.next() * 4)).toString(16);
    return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
  };
}
