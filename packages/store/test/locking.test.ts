import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDuckDbStore } from '../src/index.js';
import { FAST_SCRYPT, makeEvent, useTempDirs } from './helpers.js';
import { exited, spawnFixture, waitForLine } from './process.js';

describe('one store per data file', () => {
  const tempDir = useTempDirs();

  it('gives a second process StoreError locked and leaves the file intact', async () => {
    const path = join(tempDir(), 'tally.duckdb');
    const store = await createDuckDbStore({ path, scryptCost: FAST_SCRYPT });
    try {
      await store.events.append([makeEvent({ n: 1 })], []);
      const child = spawnFixture('open-store.ts', [path]);
      const line = await waitForLine(child, () => true);
      await exited(child);
      expect(JSON.parse(line)).toEqual({ ok: false, code: 'locked' });
      await store.events.append([makeEvent({ n: 2 })], []);
      expect(await store.events.countEvents(1)).toBe(2);
    } finally {
      await store.close();
    }
    const reopened = await createDuckDbStore({ path, scryptCost: FAST_SCRYPT });
    expect(await reopened.events.countEvents(1)).toBe(2);
    await reopened.close();
  });

  it('gives this process StoreError locked while another process holds the file', async () => {
    const path = join(tempDir(), 'tally.duckdb');
    const holder = spawnFixture('open-store.ts', [path, 'hold']);
    try {
      expect(JSON.parse(await waitForLine(holder, () => true))).toEqual({ ok: true });
      await expect(createDuckDbStore({ path })).rejects.toMatchObject({
        code: 'locked',
        status: 503,
      });
    } finally {
      holder.stdin.end();
      await exited(holder);
    }
    const store = await createDuckDbStore({ path, scryptCost: FAST_SCRYPT });
    await store.close();
  });

  it('refuses a second store on the same file in the same process, which DuckDB would allow', async () => {
    const dir = tempDir();
    const path = join(dir, 'tally.duckdb');
    const store = await createDuckDbStore({ path, scryptCost: FAST_SCRYPT });
    await expect(createDuckDbStore({ path: join(dir, '.', 'tally.duckdb') })).rejects.toMatchObject(
      { code: 'locked' },
    );
    await store.close();
    const again = await createDuckDbStore({ path, scryptCost: FAST_SCRYPT });
    await again.close();
  });

  it('creates the data directory and leaves no WAL behind after close', async () => {
    const path = join(tempDir(), 'nested', 'dir', 'tally.duckdb');
    const store = await createDuckDbStore({ path, scryptCost: FAST_SCRYPT });
    await store.events.append([makeEvent()], []);
    await store.close();
    expect(existsSync(path)).toBe(true);
    expect(existsSync(`${path}.wal`) ? readFileSync(`${path}.wal`).length : 0).toBe(0);
  });
});
