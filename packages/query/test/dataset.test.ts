import { describe, expect, it } from 'vitest';
import { generateDataset, mulberry32 } from './dataset.js';
import { DAY_MS, HOUR_MS, WEEK_MS, zonedParts } from './reference/time.js';

const BERLIN = 'Europe/Berlin';

describe('generateDataset', () => {
  it('is deterministic by seed and differs between seeds', () => {
    expect(generateDataset(7)).toEqual(generateDataset(7));
    expect(generateDataset(7).events[0]).not.toEqual(generateDataset(8).events[0]);
    expect(mulberry32(1)()).toBe(mulberry32(1)());
  });

  it('produces exactly the requested number of events, persons and tenants', () => {
    const ds = generateDataset(3, { events: 777, persons: 13, tenants: 4 });
    expect(ds.events).toHaveLength(777);
    expect(ds.persons).toHaveLength(13);
    expect(ds.groups.map((g) => g.groupKey)).toEqual([
      'tenant-0',
      'tenant-1',
      'tenant-2',
      'tenant-3',
    ]);
    expect(new Set(ds.events.map((e) => e.uuid)).size).toBe(777);
  });

  describe.each([1, 2, 3, 4, 5])('seed %i', (seed) => {
    const ds = generateDataset(seed);
    const startMs = Date.parse('2024-03-03T23:00:00Z');
    const endMs = Date.parse('2024-05-05T22:00:00Z'); // 63 local days later

    it('keeps events in range, sorted, with five group slots', () => {
      for (const e of ds.events) {
        expect(e.timestampMs).toBeGreaterThanOrEqual(startMs);
        expect(e.timestampMs).toBeLessThan(endMs);
        expect(e.groups).toHaveLength(5);
      }
      const times = ds.events.map((e) => e.timestampMs);
      expect(times).toEqual([...times].sort((a, b) => a - b));
    });

    it('links every distinct id of a person to that person, with 1-3 ids each', () => {
      const owner = new Map(
        ds.persons.flatMap((p) => p.distinctIds.map((d) => [d, p.id] as const)),
      );
      for (const p of ds.persons) expect(p.distinctIds.length).toBeGreaterThanOrEqual(1);
      for (const p of ds.persons) expect(p.distinctIds.length).toBeLessThanOrEqual(3);
      for (const e of ds.events.filter((x) => x.personId !== null)) {
        expect(owner.get(e.distinctId)).toBe(e.personId);
      }
      expect(ds.persons.some((p) => p.distinctIds.length === 3)).toBe(true);
    });

    it('contains the awkward cases the comparisons need', () => {
      const events = ds.events;
      const active = new Set(events.map((e) => e.personId));
      const tenantsWithEvents = new Set(events.map((e) => e.groups[0]));
      const local = (ms: number) => zonedParts(ms, BERLIN);
      // Ties within an actor.
      expect(
        events.some(
          (e, i) =>
            i > 0 &&
            events[i - 1]?.timestampMs === e.timestampMs &&
            events[i - 1]?.personId === e.personId &&
            e.personId !== null,
        ),
      ).toBe(true);
      // Events exactly at local midnight, and on the DST day.
      expect(
        events.some((e) => {
          const p = local(e.timestampMs);
          return p.hour === 0 && p.minute === 0 && p.second === 0 && p.millisecond === 0;
        }),
      ).toBe(true);
      expect(
        events.some((e) => local(e.timestampMs).month === 3 && local(e.timestampMs).day === 31),
      ).toBe(true);
      // Idle persons, an idle tenant, personless events, persons created inside the range.
      expect(ds.persons.some((p) => !active.has(p.id))).toBe(true);
      expect(ds.groups.some((g) => !tenantsWithEvents.has(g.groupKey))).toBe(true);
      expect(events.some((e) => e.personId === null)).toBe(true);
      expect(ds.persons.some((p) => p.createdAtMs >= startMs)).toBe(true);
      // Repeated step events and missing properties.
      const created = events.filter((e) => e.event === 'ticket_created');
      expect(created.length).toBeGreaterThan(new Set(created.map((e) => e.personId)).size);
      expect(created.some((e) => e.properties.priority === undefined)).toBe(true);
      expect(
        events.some(
          (e) => e.event === 'time_entry_created' && e.properties.duration_ms === undefined,
        ),
      ).toBe(true);
    });

    it('shares ticket_id across a ticket, with some resolutions at exact window offsets', () => {
      const createdAt = new Map<unknown, number>();
      for (const e of ds.events)
        if (e.event === 'ticket_created') createdAt.set(e.properties.ticket_id, e.timestampMs);
      const offsets = ds.events
        .filter((e) => e.event === 'ticket_resolved')
        .map((e) => e.timestampMs - (createdAt.get(e.properties.ticket_id) ?? Number.NaN));
      expect(offsets.every((o) => o >= 0)).toBe(true);
      const exact = offsets.filter((o) =>
        [HOUR_MS, DAY_MS, WEEK_MS, 2 * WEEK_MS].some((w) => Math.abs(o - w) <= 1),
      );
      expect(exact.length).toBeGreaterThan(0);
    });
  });
});
