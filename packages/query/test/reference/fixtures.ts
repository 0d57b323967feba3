// Builders for the hand-computed fixtures: events, persons and tenants with overrides, uuids
// from a counter (so events at the same instant are ordered by creation) and a fixed clock.

import type { Dataset, RefEvent, RefGroup, RefPerson } from '../dataset.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, zonedToUtc } from './time.js';

/** Monday 2024-03-04 00:00 in Europe/Berlin (23:00 UTC the day before). */
export const MONDAY = zonedToUtc({ year: 2024, month: 3, day: 4 }, 'Europe/Berlin');
export const BERLIN = 'Europe/Berlin';
export { DAY_MS, HOUR_MS, MINUTE_MS };

let counter = 0;

/** A deterministic uuid, increasing with each call. */
export function nextUuid(): string {
  counter += 1;
  return `00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`;
}

export function makeEvent(
  personId: string | null,
  event: string,
  timestampMs: number,
  overrides: Partial<RefEvent> = {},
): RefEvent {
  return {
    uuid: nextUuid(),
    event,
    distinctId: personId ?? 'anonymous',
    personId,
    timestampMs,
    properties: {},
    groups: [null, null, null, null, null],
    ...overrides,
  };
}

/** `makeEvent` with event properties and an optional tenant (group 0). */
export function ev(
  personId: string | null,
  event: string,
  timestampMs: number,
  properties: Record<string, unknown> = {},
  tenant: string | null = null,
): RefEvent {
  return makeEvent(personId, event, timestampMs, {
    properties,
    groups: [tenant, null, null, null, null],
  });
}

export function makePerson(id: string, overrides: Partial<RefPerson> = {}): RefPerson {
  return { id, distinctIds: [id], properties: {}, createdAtMs: MONDAY - 30 * DAY_MS, ...overrides };
}

export function makeTenant(key: string, overrides: Partial<RefGroup> = {}): RefGroup {
  return {
    groupTypeIndex: 0,
    groupKey: key,
    properties: {},
    createdAtMs: MONDAY - 30 * DAY_MS,
    ...overrides,
  };
}

/** A dataset; persons referenced by events but not listed are added with defaults. */
export function makeDataset(
  events: RefEvent[],
  persons: RefPerson[] = [],
  groups: RefGroup[] = [],
): Dataset {
  const known = new Set(persons.map((p) => p.id));
  const extra: RefPerson[] = [];
  for (const e of events) {
    if (e.personId !== null && !known.has(e.personId)) {
      known.add(e.personId);
      extra.push(makePerson(e.personId));
    }
  }
  return { events, persons: [...persons, ...extra], groups };
}
