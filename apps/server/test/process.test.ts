import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { allEvents, apiGet, spawnTally, TOKEN, tempDataDir } from './helpers.js';

const uuid = (n: number) => `0193a5c8-1111-7000-8000-${String(n).padStart(12, '0')}`;

function batchBody(from: number, count: number): Buffer {
  const batch = Array.from({ length: count }, (_, i) => ({
    event: 'feature_used',
    distinct_id: `user-${(from + i) % 50}`,
    uuid: uuid(from + i),
    properties: { feature: 'api_usage', feature_category: 'integrations', is_first_use: false },
  }));
  return gzipSync(JSON.stringify({ api_key: TOKEN, batch }));
}

describe('tally start', () => {
  it('prints the bootstrap values, serves /_health, and stops cleanly on SIGTERM keeping its data', async () => {
    const dataDir = tempDataDir();
    const first = await spawnTally(['--data-dir', dataDir]);
    expect(first.output()).toContain(`write token (for SDKs):       ${TOKEN}`);
    expect(first.output()).toMatch(/started in \d+ ms/);
    expect((await fetch(`${first.url}/_health`)).status).toBe(200);
    const response = await fetch(`${first.url}/batch/`, {
      method: 'POST',
      body: batchBody(0, 10),
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(response.status).toBe(200);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = await spawnTally(['--data-dir', dataDir]);
    expect(second.output()).not.toContain('write token');
    expect(await allEvents(fetch, second.url)).toHaveLength(10);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 60_000);

  it('refuses a second process on the same data dir with a clear error', async () => {
    const dataDir = tempDataDir();
    const first = await spawnTally(['--data-dir', dataDir]);
    await expect(spawnTally(['--data-dir', dataDir])).rejects.toThrow(
      /exited with 1[\s\S]*in use by another Tally process/,
    );
    expect((await fetch(`${first.url}/_health`)).status).toBe(200);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
  }, 60_000);

  it('keeps every acknowledged event when killed with SIGKILL mid-stream', async () => {
    const dataDir = tempDataDir();
    const first = await spawnTally(['--data-dir', dataDir]);
    const acknowledged: number[] = [];
    let next = 0;
    let killed = false;
    // Four concurrent senders of 100-event batches; SIGKILL lands while they are sending.
    const sender = async () => {
      while (!killed) {
        const from = next;
        next += 100;
        try {
          const response = await fetch(`${first.url}/batch/`, {
            method: 'POST',
            body: batchBody(from, 100),
            headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
          });
          if (response.status === 200) acknowledged.push(from);
        } catch {
          // The connection died with the server: that batch was never acknowledged.
        }
      }
    };
    const senders = [sender(), sender(), sender(), sender()];
    while (acknowledged.length < 30) await new Promise((r) => setTimeout(r, 5));
    first.child.kill('SIGKILL');
    killed = true;
    await Promise.all(senders);
    await first.exited;

    const second = await spawnTally(['--data-dir', dataDir]);
    const stored = new Set((await allEvents(fetch, second.url)).map((e) => e.uuid));
    const missing = acknowledged
      .flatMap((from) => Array.from({ length: 100 }, (_, i) => uuid(from + i)))
      .filter((u) => !stored.has(u));
    expect(acknowledged.length).toBeGreaterThanOrEqual(30);
    expect(missing).toEqual([]);
    const ingestion = await apiGet<{ events_stored: number }>(
      fetch,
      second.url,
      '/api/projects/1/ingestion',
    );
    expect(ingestion.events_stored).toBe(stored.size);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 90_000);
});
