// Seeded PSA usage data for comparing the query engine with the reference evaluators: persons in
// tenants working tickets over several weeks. Deterministic by seed (mulberry32, no Math.random,
// no clock). Deliberately awkward: ties within an actor, events at local midnight and at exact
// conversion-window offsets (+-1 ms), a DST switch, idle persons and tenants, personless events.

import {
  chance,
  hex,
  INDUSTRIES,
  int,
  mulberry32,
  nextEvent,
  PLANS,
  pick,
  type Ticket,
  USER_TYPES,
  uuid,
} from './dataset-psa.js';
import {
  DAY_MS,
  DEFAULT_TIMEZONE,
  HOUR_MS,
  MINUTE_MS,
  SECOND_MS,
  zonedParts,
  zonedToUtc,
} from './reference/time.js';

export { mulberry32 } from './dataset-psa.js';

export interface RefEvent {
  uuid: string;
  event: string;
  distinctId: string;
  /** The person of `distinctId` after all merges; null for personless events. */
  personId: string | null;
  timestampMs: number;
  properties: Record<string, unknown>;
  /** Group keys by group type index, length 5; index 0 = tenant. */
  groups: (string | null)[];
}

export interface RefPerson {
  id: string;
  distinctIds: string[];
  properties: Record<string, unknown>;
  createdAtMs: number;
}

export interface RefGroup {
  groupTypeIndex: number;
  groupKey: string;
  properties: Record<string, unknown>;
  createdAtMs: number;
}

export interface Dataset {
  events: RefEvent[];
  persons: RefPerson[];
  groups: RefGroup[];
}

export interface DatasetOptions {
  events?: number;
  persons?: number;
  tenants?: number;
  days?: number;
  /** First instant of the data; defaults to local midnight of Monday 2024-03-04 in `timezone`. */
  startMs?: number;
  timezone?: string;
}

/** 9 weeks from Monday 4 March 2024: spans three months and Berlin's spring-forward (31 March). */
export const DEFAULT_DATASET_OPTIONS = {
  events: 2_000,
  persons: 40,
  tenants: 5,
  days: 63,
  timezone: DEFAULT_TIMEZONE,
} as const;

interface PersonPlan {
  person: RefPerson;
  tenant: string;
  /** Relative activity; 0 = never active. */
  weight: number;
  firstDay: number;
  lastDay: number;
  createdAtFirstEvent: boolean;
}

interface Session {
  startMs: number;
  size: number;
}

/** What every stage needs: the seeded PRNG and the calendar of the generated range. */
interface Context {
  seed: number;
  rng: () => number;
  timezone: string;
  days: number;
  startMs: number;
  endMs: number;
  /** Local date of day 0. */
  base: { year: number; month: number; day: number };
}

/** Stages: tenants -> persons -> sessions (who, when, how many events) -> events -> createdAt. */
export function generateDataset(seed: number, options: DatasetOptions = {}): Dataset {
  const timezone = options.timezone ?? DEFAULT_DATASET_OPTIONS.timezone;
  const days = options.days ?? DEFAULT_DATASET_OPTIONS.days;
  const startMs = options.startMs ?? zonedToUtc({ year: 2024, month: 3, day: 4 }, timezone);
  const base = localDate(startMs, timezone);
  const endMs = zonedToUtc({ ...base, day: base.day + days }, timezone);
  const ctx: Context = { seed, rng: mulberry32(seed), timezone, days, startMs, endMs, base };

  const groups = makeTenants(ctx, options.tenants ?? DEFAULT_DATASET_OPTIONS.tenants);
  // With three or more tenants the last one has no persons, hence no events.
  const staffed = groups.length >= 3 ? groups.slice(0, -1) : groups;
  const newTenants = new Set(staffed.filter(() => chance(ctx.rng, 0.3)).map((g) => g.groupKey));
  const plans = makePersons(ctx, options.persons ?? DEFAULT_DATASET_OPTIONS.persons, staffed);
  const sessions = scheduleSessions(ctx, plans, options.events ?? DEFAULT_DATASET_OPTIONS.events);
  const events = emitEvents(ctx, sessions, staffed);

  // Persons and tenants created inside the range are created at their first event.
  const firstSeen = new Map<string, number>();
  for (const e of events) {
    for (const key of [e.personId, e.groups[0]]) {
      if (key !== null && key !== undefined && !firstSeen.has(key)) {
        firstSeen.set(key, e.timestampMs);
      }
    }
  }
  for (const plan of plans) {
    const first = firstSeen.get(plan.person.id);
    plan.person.createdAtMs =
      plan.createdAtFirstEvent && first !== undefined ? first : before(ctx, 120);
  }
  for (const group of groups) {
    const first = firstSeen.get(group.groupKey);
    if (newTenants.has(group.groupKey) && first !== undefined) group.createdAtMs = first;
  }
  return { events, persons: plans.map((p) => p.person), groups };
}

function makeTenants(ctx: Context, count: number): RefGroup[] {
  const { rng } = ctx;
  return range(count).map((i) => {
    const properties: Record<string, unknown> = { plan: pick(rng, PLANS) };
    if (chance(rng, 0.85)) properties.industry = pick(rng, INDUSTRIES);
    return {
      groupTypeIndex: 0,
      groupKey: `tenant-${i}`,
      properties,
      createdAtMs: before(ctx, 200),
    };
  });
}

function makePersons(ctx: Context, count: number, staffed: readonly RefGroup[]): PersonPlan[] {
  const { rng, days } = ctx;
  return range(count).map((i) => {
    // The first persons staff one tenant each, so every staffed tenant has someone.
    const group = i < staffed.length ? staffed[i] : pick(rng, staffed);
    const idCount = int(rng, 1, 3);
    const distinctIds = [`user-${ctx.seed}-${i}`];
    if (idCount >= 2) distinctIds.unshift(`anon-${hex(rng, 12)}`);
    if (idCount === 3) distinctIds.push(`device-${hex(rng, 8)}`);
    const properties: Record<string, unknown> = { is_admin: chance(rng, 0.15) };
    if (chance(rng, 0.95)) properties.user_type = pick(rng, USER_TYPES);
    if (chance(rng, 0.9)) properties.plan = group?.properties.plan ?? 'free';
    const person: RefPerson = { id: uuid(rng), distinctIds, properties, createdAtMs: 0 };
    const firstDay = chance(rng, 0.7) ? 0 : int(rng, 1, Math.floor(days * 0.6));
    const lastDay = chance(rng, 0.75) ? days - 1 : int(rng, firstDay, days - 1);
    const weight = chance(rng, 0.1) ? 0 : 0.2 + rng() ** 2 * 3;
    const createdAtFirstEvent = firstDay > 0 || chance(rng, 0.3);
    const tenant = group?.groupKey ?? 'tenant-0';
    return { person, tenant, weight, firstDay, lastDay, createdAtFirstEvent };
  });
}

/** Sessions by person (null = personless visitors) whose sizes add up to exactly `events`. */
function scheduleSessions(
  ctx: Context,
  plans: readonly PersonPlan[],
  events: number,
): Map<PersonPlan | null, Session[]> {
  const { rng, timezone, base } = ctx;
  const dayStart = (d: number): number => zonedToUtc({ ...base, day: base.day + d }, timezone);
  const dstDays = range(ctx.days).filter((d) => dayStart(d + 1) - dayStart(d) !== DAY_MS);
  const cumulative: number[] = [];
  let totalWeight = 0;
  for (const plan of plans) {
    totalWeight += plan.weight;
    cumulative.push(totalWeight);
  }
  const sessions = new Map<PersonPlan | null, Session[]>();
  for (let remaining = events; remaining > 0; ) {
    const size = Math.min(remaining, int(rng, 1, 8));
    remaining -= size;
    const personless = totalWeight === 0 || chance(rng, 0.03);
    const plan = personless ? null : (plans[lowerBound(cumulative, rng() * totalWeight)] ?? null);
    let day = int(rng, plan?.firstDay ?? 0, plan?.lastDay ?? ctx.days - 1);
    const roll = rng();
    let local: { hour: number; minute: number; second: number; millisecond: number };
    if (roll < 0.04) {
      local = { hour: 0, minute: 0, second: 0, millisecond: 0 }; // exactly on a day boundary
    } else if (roll < 0.1) {
      // Night work, half of it on a DST-switch day, around the skipped or repeated hour.
      if (dstDays.length > 0 && chance(rng, 0.5)) day = pick(rng, dstDays);
      local = {
        hour: int(rng, 0, 3),
        minute: int(rng, 0, 59),
        second: int(rng, 0, 59),
        millisecond: 0,
      };
    } else {
      const whole = chance(rng, 0.2); // whole minutes make ties across sessions likelier
      local = {
        hour: int(rng, 7, 19),
        minute: int(rng, 0, 59),
        second: whole ? 0 : int(rng, 0, 59),
        millisecond: whole ? 0 : int(rng, 0, 999),
      };
    }
    const at = zonedToUtc({ ...base, day: base.day + day, ...local }, timezone);
    const list = sessions.get(plan) ?? [];
    list.push({ startMs: Math.min(Math.max(at, ctx.startMs), ctx.endMs - 1), size });
    sessions.set(plan, list);
  }
  return sessions;
}

function emitEvents(
  ctx: Context,
  sessions: Map<PersonPlan | null, Session[]>,
  staffed: readonly RefGroup[],
): RefEvent[] {
  const { rng, endMs } = ctx;
  const events: RefEvent[] = [];
  let ticketCounter = 0;
  const clamp = (ms: number): number => Math.min(ms, endMs - 1);
  for (const [plan, list] of sessions) {
    list.sort((a, b) => a.startMs - b.startMs);
    const open: Ticket[] = [];
    let cursorMs = 0; // a person's session that starts before the previous one ended waits
    list.forEach((session, index) => {
      const visitor = `anon-${hex(rng, 12)}`;
      const ids = plan?.person.distinctIds ?? [visitor];
      // Anonymous until the first session ends; a merge then gives all ids the same person.
      const distinctId =
        index === 0 || ids.length === 1 ? (ids[0] as string) : (pick(rng, ids.slice(1)) as string);
      const tenant =
        plan === null ? (chance(rng, 0.5) ? null : pick(rng, staffed)?.groupKey) : plan.tenant;
      let t = plan === null ? session.startMs : Math.max(session.startMs, cursorMs);
      for (let n = 0; n < session.size; n++) {
        if (n > 0) {
          const gap = rng(); // 12 % ties, 4 % exactly one hour, else 1 s .. 15 min
          t = clamp(
            t + (gap < 0.12 ? 0 : gap < 0.16 ? HOUR_MS : int(rng, SECOND_MS, 15 * MINUTE_MS)),
          );
        }
        const kind = plan === null ? 'visitor' : n === 0 ? 'login' : 'work';
        const next = nextEvent(rng, kind, open, t, endMs);
        if (next.event === 'ticket_created') ticketCounter += 1;
        const properties = next.properties(`tkt-${ctx.seed}-${ticketCounter}`);
        events.push({
          uuid: uuid(rng),
          event: next.event,
          distinctId,
          personId: plan?.person.id ?? null,
          timestampMs: next.atMs === undefined ? t : clamp(next.atMs),
          properties,
          groups: [chance(rng, 0.97) ? (tenant ?? null) : null, null, null, null, null],
        });
      }
      cursorMs = t;
    });
  }
  return events.sort((a, b) => a.timestampMs - b.timestampMs || (a.uuid < b.uuid ? -1 : 1));
}

/** A random instant 1..`maxDays` days before the range. */
function before(ctx: Context, maxDays: number): number {
  return ctx.startMs - int(ctx.rng, 1, maxDays) * DAY_MS - int(ctx.rng, 0, DAY_MS - 1);
}

function localDate(ms: number, timezone: string): { year: number; month: number; day: number } {
  const p = zonedParts(ms, timezone);
  return { year: p.year, month: p.month, day: p.day };
}

function range(n: number): number[] {
  return Array.from({ length: Math.max(0, n) }, (_, i) => i);
}

/** First index whose cumulative weight exceeds `target`. */
function lowerBound(cumulative: readonly number[], target: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cumulative[mid] ?? 0) > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
