import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDuckDbStore } from '../src/index.js';
import { batchEvents } from './fixtures/batches.js';
import { FAST_SCRYPT, useTempDirs } from './helpers.js';
import { exited, spawnFixture, waitForLine } from './process.js';

// The reliability contract: kill -9 at any moment loses no acknowledged event. DuckDB writes
// and fsyncs its WAL before COMMIT returns (checked with strace: write + fsync of the .wal per
// commit), so a resolved append survives the process; the file is replayed on the next open.

describe('kill -9 after acknowledged appends', () => {
  const tempDir = useTempDirs();

  it.each([
    ['direct appends', 'direct', 50, 40],
    ['group-committed submits', 'group', 100, 60],
  ])(
    'keeps every batch acknowledged before the kill (%s)',
    async (_, mode, batchSize, killAfter) => {
      const path = join(tempDir(), 'tally.duckdb');
      const child = spawnFixture('append-forever.ts', [path, mode as string, String(batchSize)]);
      const acknowledged = new Set<number>();
      await waitForLine(
        child,
        (line) => {
          const match = /^committed (\d+)$/.exec(line);
          if (match) acknowledged.add(Number(match[1]));
          if (acknowledged.size < (killAfter as number)) return false;
          child.kill('SIGKILL');
          return true;
        },
        60_000,
      );
      await exited(child);
      expect(child.signalCode).toBe('SIGKILL');
      // Nothing was checkpointed on the way down: the acknowledged rows live in the WAL.
      expect(statSync(`${path}.wal`).size).toBeGreaterThan(0);

      const store = await createDuckDbStore({ path, scryptCost: FAST_SCRYPT });
      try {
        const stored = new Set<string>();
        let cursor: string | undefined;
        do {
          const page = await store.events.listEvents({
            projectId: 1,
            limit: 10_000,
            ...(cursor ? { cursor } : {}),
          });
          for (const event of page.results) stored.add(event.uuid);
          cursor = page.nextCursor;
        } while (cursor !== undefined);
        for (const n of acknowledged)
          for (const event of batchEvents(n, batchSize as number))
            expect(stored.has(event.uuid)).toBe(true);
        // Batches are atomic: whatever else survived, survived whole.
        expect(stored.size % (batchSize as number)).toBe(0);
        expect(await store.events.getPerson(1, 'user-0')).toBeDefined();
      } finally {
        await store.close();
      }
    },
  );
});
