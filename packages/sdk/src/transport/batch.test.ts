import { describe, expect, it } from 'vitest';
import { planBatches, serializeEvent, splitInHalves } from './batch.js';
import { buildBodyJson, envelopeBytes } from './body.js';

const makeEvent = (i: number, overrides: Record<string, unknown> = {}) => ({
  event: 'ticket_created',
  distinct_id: 'user_1',
  uuid: `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`,
  timestamp: '2026-01-02T03:04:05.678Z',
  properties: { priority: 'high' },
  ...overrides,
});

const EVENT_BYTES = Buffer.byteLength(JSON.stringify(makeEvent(0)));
const ENVELOPE = envelopeBytes('phc_token');

describe('planBatches', () => {
  it('splits by maxBatchSize, keeping order', () => {
    const events = [0, 1, 2, 3, 4].map((i) => makeEvent(i));
    const plan = planBatches(events, {
      maxBatchSize: 2,
      maxBatchBytes: 1e6,
      envelopeBytes: ENVELOPE,
    });
    expect(plan.batches.map((b) => b.events.map((e) => JSON.parse(e.json).uuid.slice(-1)))).toEqual(
      [['0', '1'], ['2', '3'], ['4']],
    );
  });

  it('splits by maxBatchBytes of the whole body, envelope and commas included', () => {
    // Room for exactly two events: envelope + e + ',' + e.
    const maxBatchBytes = ENVELOPE + 2 * EVENT_BYTES + 1;
    const events = [0, 1, 2, 3, 4].map((i) => makeEvent(i));
    const plan = planBatches(events, { maxBatchSize: 100, maxBatchBytes, envelopeBytes: ENVELOPE });
    expect(plan.batches.map((b) => b.events.length)).toEqual([2, 2, 1]);
    for (const batch of plan.batches) {
      const body = buildBodyJson('phc_token', batch.events, new Date(0).toISOString());
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(maxBatchBytes);
    }
    // One byte less and only one event fits per batch.
    const tight = planBatches(events, {
      maxBatchSize: 100,
      maxBatchBytes: maxBatchBytes - 1,
      envelopeBytes: ENVELOPE,
    });
    expect(tight.batches.map((b) => b.events.length)).toEqual([1, 1, 1, 1, 1]);
  });

  it('drops an event larger than maxBatchBytes instead of sending it forever', () => {
    const huge = makeEvent(1, { properties: { blob: 'x'.repeat(500) } });
    const plan = planBatches([makeEvent(0), huge, makeEvent(2)], {
      maxBatchSize: 100,
      maxBatchBytes: ENVELOPE + 300,
      envelopeBytes: ENVELOPE,
    });
    expect(plan.oversized).toBe(1);
    expect(plan.batches.flatMap((b) => b.events).length).toBe(2);
  });

  it('drops an event JSON.stringify cannot serialize', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const plan = planBatches([makeEvent(0, { properties: { n: 1n } }), cyclic, makeEvent(1)], {
      maxBatchSize: 100,
      maxBatchBytes: 1e6,
      envelopeBytes: ENVELOPE,
    });
    expect(plan.unserializable).toBe(2);
    expect(plan.batches.flatMap((b) => b.events).length).toBe(1);
  });
});

describe('body', () => {
  it('builds the same JSON as JSON.stringify of the envelope', () => {
    const events = [makeEvent(0), makeEvent(1)];
    const serialized = events.map((e) => serializeEvent(e)).filter((e) => e !== undefined);
    const sentAt = '2026-01-02T03:04:06.000Z';
    expect(buildBodyJson('phc_"quoted"', serialized, sentAt)).toBe(
      JSON.stringify({ api_key: 'phc_"quoted"', batch: events, sent_at: sentAt }),
    );
  });

  it('halves an odd batch with the larger half first', () => {
    const serialized = [0, 1, 2]
      .map((i) => serializeEvent(makeEvent(i)))
      .filter((e) => e !== undefined);
    const [first, second] = splitInHalves({ events: serialized });
    expect([first.events.length, second.events.length]).toEqual([2, 1]);
  });
});
