import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCounters, type SdkCounters } from '../counters.js';
import type { SdkError } from '../errors.js';
import { type SerializedBatch, serializeEvent } from './batch.js';
import { createReport } from './report.js';
import { createSpool, type Spool } from './spool.js';

const NOW = Date.parse('2026-01-02T03:04:05.678Z');

/** A batch of `count` same-sized events, uuids numbered from `first`. */
function makeBatch(first: number, count: number): SerializedBatch {
  const events = Array.from({ length: count }, (_, i) =>
    serializeEvent({
      event: 'ticket_created',
      distinct_id: 'user_1',
      uuid: `0194c8a0-0000-7000-8000-${String(first + i).padStart(12, '0')}`,
      timestamp: '2026-01-02T03:04:00.000Z',
      properties: {},
    }),
  );
  return { events: events.filter((e) => e !== undefined) };
}
const fileBytes = (batch: SerializedBatch) =>
  2 + batch.events.reduce((sum, e) => sum + e.bytes, 0) + batch.events.length - 1;
const uuidsIn = (events: readonly object[]) =>
  events.map((e) => (e as { uuid: string }).uuid.slice(-2));

let dir: string;
let counters: SdkCounters;
let errors: SdkError[];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tally-spool-'));
  counters = createCounters();
  errors = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function openSpool(maxSpoolBytes = 1_000_000, now = () => NOW): Spool {
  const report = createReport(counters, (error) => errors.push(error));
  return createSpool({ dir, maxSpoolBytes, now, counters, report });
}
const jsonFiles = async () => (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();

describe('createSpool', () => {
  it('writes one JSON array file per batch, atomically named in time order', async () => {
    const spool = openSpool();
    await spool.write(makeBatch(1, 2));
    spool.writeSync(makeBatch(3, 1));
    const files = await jsonFiles();
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(/^001767323045678-000000000-[0-9a-f]{8}-n2\.json$/);
    expect(JSON.parse(await readFile(join(dir, files[0] ?? ''), 'utf8'))).toHaveLength(2);
    expect(await readdir(dir)).toHaveLength(2); // no temp files left behind
    expect(counters.spooled).toBe(3);
  });

  it("finds a previous process's files, skips foreign ones, removes stale temp files", async () => {
    const before = openSpool();
    await before.write(makeBatch(1, 2));
    await before.write(makeBatch(3, 3));
    await writeFile(join(dir, 'notes.txt'), 'not ours');
    await writeFile(join(dir, '001767323045678-000000009-0badcafe-n1.json.tmp'), '[{"half');
    const after = openSpool();
    expect(after.stats()).toEqual({
      batches: 2,
      events: 5,
      bytes: fileBytes(makeBatch(1, 2)) + fileBytes(makeBatch(3, 3)),
    });
    expect((await readdir(dir)).sort()).toEqual([...(await jsonFiles()), 'notes.txt'].sort());
    const taken = await after.take();
    expect(uuidsIn(taken?.events ?? [])).toEqual(['01', '02']);
  });

  it('drops and counts the oldest files when a batch would exceed maxSpoolBytes', async () => {
    const batchBytes = fileBytes(makeBatch(1, 2));
    const spool = openSpool(Math.floor(batchBytes * 2.5));
    await spool.write(makeBatch(1, 2));
    await spool.write(makeBatch(3, 2));
    expect(errors).toEqual([]);
    await spool.write(makeBatch(5, 2));
    expect(counters).toMatchObject({ spooled: 6, droppedSpoolFull: 2, errors: 1 });
    expect(errors.map((e) => [e.code, e.detail])).toEqual([['spool_full', '2 events in 1 files']]);
    expect(spool.stats()).toEqual({ batches: 2, events: 4, bytes: 2 * batchBytes });
    expect(await jsonFiles()).toHaveLength(2);
    expect(uuidsIn((await spool.take())?.events ?? [])).toEqual(['03', '04']);
  });

  it('drops a batch larger than the whole spool instead of evicting everything', async () => {
    const spool = openSpool(fileBytes(makeBatch(1, 2)));
    await spool.write(makeBatch(1, 2));
    await spool.write(makeBatch(3, 5));
    expect(counters).toMatchObject({ spooled: 2, droppedSpoolFull: 5 });
    expect(errors.map((e) => e.code)).toEqual(['spool_full']);
    expect(spool.stats().events).toBe(2);
  });

  it('removes and reports a corrupt file instead of retrying it forever', async () => {
    await writeFile(join(dir, '001767323045000-000000000-deadbeef-n3.json'), '{"not": "an array"');
    await writeFile(join(dir, '001767323045001-000000000-deadbeef-n1.json'), '[1]');
    const spool = openSpool();
    await spool.write(makeBatch(1, 1));
    const taken = await spool.take();
    expect(uuidsIn(taken?.events ?? [])).toEqual(['01']);
    expect(errors.map((e) => [e.code, e.detail])).toEqual([
      ['spool_io', 'corrupt spool file removed'],
      ['spool_io', 'corrupt spool file removed'],
    ]);
    expect(await jsonFiles()).toHaveLength(1);
    expect(await spool.take()).toBeUndefined();
  });

  it('keeps a taken file out of eviction, and puts it back in order', async () => {
    let clock = NOW;
    const spool = openSpool(1_000_000, () => clock++);
    await spool.write(makeBatch(1, 1));
    await spool.write(makeBatch(2, 1));
    const taken = await spool.take();
    expect(spool.stats().batches).toBe(1);
    if (taken === undefined) throw new Error('nothing taken');
    await spool.putBack(taken.file);
    expect(uuidsIn((await spool.take())?.events ?? [])).toEqual(['01']);
  });

  it('rewrites a partly delivered file with what remains, keeping its place', async () => {
    let clock = NOW;
    const spool = openSpool(1_000_000, () => clock++);
    await spool.write(makeBatch(1, 4));
    await spool.write(makeBatch(5, 1));
    const taken = await spool.take();
    if (taken === undefined) throw new Error('nothing taken');
    await spool.putBack(taken.file, [makeBatch(3, 2)]);
    expect(spool.stats()).toMatchObject({ batches: 2, events: 3 });
    expect(await jsonFiles()).toHaveLength(2);
    expect(uuidsIn((await spool.take())?.events ?? [])).toEqual(['03', '04']);
  });

  it('deletes a completed file', async () => {
    const spool = openSpool();
    await spool.write(makeBatch(1, 1));
    const taken = await spool.take();
    if (taken === undefined) throw new Error('nothing taken');
    await spool.complete(taken.file);
    expect(await readdir(dir)).toEqual([]);
    expect(spool.stats()).toEqual({ batches: 0, events: 0, bytes: 0 });
  });

  it('reports a write it cannot do and counts the events as undelivered', async () => {
    await writeFile(join(dir, 'file'), 'a file where the spool folder should be');
    const report = createReport(counters, (error) => errors.push(error));
    const spool = createSpool({
      dir: join(dir, 'file'),
      maxSpoolBytes: 1e6,
      now: () => NOW,
      counters,
      report,
    });
    await spool.write(makeBatch(1, 2));
    spool.writeSync(makeBatch(3, 1));
    expect(counters).toMatchObject({ spooled: 0, droppedUndelivered: 3 });
    expect(errors.map((e) => e.detail)).toEqual([
      'could not list the spool',
      'could not write a spool file',
      'could not write a spool file',
    ]);
  });
});
