// End to end: the simulator drives the PSA demo in-process, its SDK sends to a real `tally start`
// process, and the stored events are read back through the read API.
//
// 19 days from a Monday and 20 tenants: two whole weekly cycles (time sheets submitted on
// Monday, approved or sent back, invoiced on Wednesday, paid or credited on Wednesday and
// Friday), so the rarer paths (rejected sheets, credits, deletions, failed OAuth) happen at the
// simulator's everyday rates without raising them for the test; the issue asks for >= 20
// tenants. 90 days is what `npm start` runs.
import { eventJsonSchema, psaCatalog } from '@tally/catalog';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiEvent,
  allEvents,
  spawnTally,
  type TallyProcess,
  TOKEN,
  tempDataDir,
} from '../../server/test/helpers.js';
import { type SimulationResult, simulate } from '../src/index.js';

const START = '2026-03-02'; // a Monday, in the past of any run of this test

async function stopTally(tally: TallyProcess): Promise<void> {
  tally.child.kill('SIGTERM');
  await tally.exited;
}

/** Reads until two reads agree: the server may still be writing the last batch. */
async function storedEvents(tally: TallyProcess): Promise<ApiEvent[]> {
  let last = -1;
  for (;;) {
    const events = await allEvents(fetch, tally.url);
    if (events.length === last) return events;
    last = events.length;
    await new Promise((r) => setTimeout(r, 300));
  }
}

describe('simulate against a real tally start (hosted)', () => {
  let tally: TallyProcess;
  let result: SimulationResult;
  let events: ApiEvent[];
  let optOutEvents: number;
  let optOut: SimulationResult;

  beforeAll(async () => {
    tally = await spawnTally(['--data-dir', tempDataDir()]);
    // Opted out first: the store must still be empty afterwards.
    optOut = await simulate({
      seed: 3,
      days: 2,
      tenants: 20,
      tallyUrl: tally.url,
      token: TOKEN,
      startDate: START,
      env: { ALGA_USAGE_STATS: 'false' },
    });
    optOutEvents = (await storedEvents(tally)).length;
    result = await simulate({
      seed: 7,
      days: 19,
      tenants: 20,
      tallyUrl: tally.url,
      token: TOKEN,
      startDate: START,
    });
    events = await storedEvents(tally);
  }, 600_000);
  afterAll(async () => {
    if (tally !== undefined) await stopTally(tally);
  });

  it('stores nothing when ALGA_USAGE_STATS=false, though the PSA did the same kind of work', () => {
    expect(optOut.requests).toBeGreaterThan(500);
    expect(optOut.sdk.captured).toBe(0);
    expect(optOut.sdk.droppedConsent).toBeGreaterThan(0);
    expect(optOutEvents).toBe(0);
  });

  it('delivers every event it captured', () => {
    expect(result.sdk.captured).toBeGreaterThan(1000);
    expect(result.sdk.sent).toBe(result.sdk.captured);
    expect(events).toHaveLength(result.sdk.sent);
  });

  // slow_operation and operation_error included: the billing admins export invoices to the
  // simulated accounting system, whose latency (simulated time) and failures come from the seed.
  it('fires every catalog event, each matching its JSON Schema', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const byName = new Map<string, ApiEvent[]>();
    for (const e of events) byName.set(e.event, [...(byName.get(e.event) ?? []), e]);
    const expected = Object.keys(psaCatalog.events);
    expect(expected.length).toBeGreaterThan(20);
    const missing = expected.filter((n) => !byName.has(n));
    expect(missing).toEqual([]);
    const failures: string[] = [];
    for (const name of expected) {
      const published = eventJsonSchema(psaCatalog, name as never);
      const validate = ajv.compile(published);
      for (const e of byName.get(name) ?? []) {
        if (!validate(e.properties)) {
          failures.push(`${name}: ${ajv.errorsText(validate.errors)}`);
          break;
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('times accounting exports on the simulated clock and reports failed ones by class only', () => {
    const slow = events.filter((e) => e.event === 'slow_operation');
    const failed = events.filter((e) => e.event === 'operation_error');
    // The billing run takes no simulated time; only the remote call is slow or fails.
    const operations = new Set([...slow, ...failed].map((e) => e.properties.operation));
    expect([...operations]).toEqual(['accounting.export_invoice']);
    expect(slow.every((e) => Number(e.properties.duration_ms) > 500)).toBe(true);
    const classes = new Set(failed.map((e) => e.properties.error_type));
    expect(
      [...classes].filter((c) => c !== 'AccountingTimeoutError' && c !== 'AccountingSyncError'),
    ).toEqual([]);
    // Each failed export is one 502 (service down) or 504 (timeout) answer to the billing admin.
    const answered = (result.statusCounts[502] ?? 0) + (result.statusCounts[504] ?? 0);
    expect(answered).toBe(failed.length);
  });

  it('spans the simulated days and at least 20 tenants', () => {
    const days = new Set(events.map((e) => e.timestamp.slice(0, 10)));
    expect(days.size).toBeGreaterThanOrEqual(15);
    expect([...days].sort()[0]).toBe(START);
    const tenants = new Set(events.map((e) => e.properties.$groups).map((g) => JSON.stringify(g)));
    expect(tenants.size).toBeGreaterThanOrEqual(20);
  });

  it('never stores the PII that is in the PSA data (names, emails, phones, addresses, passwords)', () => {
    expect(result.pii.length).toBeGreaterThan(500);
    const raw = JSON.stringify(events).toLowerCase();
    const leaked = result.pii.filter((v) => raw.includes(v.toLowerCase()));
    expect(leaked).toEqual([]);
    // The check itself can find a value that is there.
    expect(raw.includes(String(events[0]?.uuid).toLowerCase())).toBe(true);
  });
});

describe('simulate against a real tally start (on-premise)', () => {
  let tally: TallyProcess;
  let result: SimulationResult;
  let events: ApiEvent[];

  beforeAll(async () => {
    tally = await spawnTally(['--data-dir', tempDataDir()]);
    result = await simulate({
      seed: 11,
      days: 3,
      tenants: 20,
      tallyUrl: tally.url,
      token: TOKEN,
      startDate: START,
      deployment: 'on-premise',
    });
    events = await storedEvents(tally);
  }, 600_000);
  afterAll(async () => {
    if (tally !== undefined) await stopTally(tally);
  });

  it('stores only keyed-hash ids: HMAC-SHA256 hex, never an id of the PSA', () => {
    expect(events.length).toBeGreaterThan(200);
    const hex = /^[0-9a-f]{64}$/;
    // Requests before sign-in (login, OAuth, signup) have no user: the SDK gives them a fresh
    // anonymous UUIDv7. Everything else, and everything with a tenant, carries a keyed hash.
    const uuidv7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const hashed = events.filter((e) => hex.test(e.distinct_id));
    expect(hashed.length).toBeGreaterThan(events.length / 2);
    const rest = events.filter((e) => !hex.test(e.distinct_id));
    expect(rest.filter((e) => !uuidv7.test(e.distinct_id))).toEqual([]);
    expect(rest.filter((e) => e.properties.$groups !== undefined)).toEqual([]);
    const tenantKeys = events.map((e) => e.properties.$groups).filter((g) => g !== undefined);
    expect(tenantKeys.length).toBeGreaterThan(0);
    for (const g of tenantKeys) {
      for (const key of Object.values(g as Record<string, string>)) expect(key).toMatch(hex);
    }
    const raw = JSON.stringify(events);
    expect(result.psaIds.filter((id) => raw.includes(id))).toEqual([]);
  });
});
