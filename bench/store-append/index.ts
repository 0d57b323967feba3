// Throughput of EventStore.append() next to a raw DuckDB Appender, same process, same commit
// sizes, both on an events table that already holds BENCH_PRELOAD rows (default 1M).
//   append(): events + one person_seen per event, dedup by primary key, identity in the same
//             transaction, resolved after COMMIT (WAL fsynced).
//   raw:      DataChunkWriter -> Appender into a bare events table (no key), COMMIT per batch.
// Rounds alternate between the two to spread machine noise. Then the group committer with
// concurrent 100-event submits, the shape of the server's /batch/ load.
// Target (DESIGN.md): >= 40k events/s with durable acks, and >= 0.5x raw at the same commit size.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DuckDBConnection,
  DuckDBDataChunkWriter,
  DuckDBInstance,
  type JS,
  JSToDuckDBValueConverter,
} from '@duckdb/node-api';
import {
  createDuckDbStore,
  createGroupCommitter,
  DEFAULT_DUCKDB_CONFIG,
  type IngestEvent,
} from '@tally/store';
import { makeBatch, preload } from './data.js';

const PRELOAD = Number(process.env.BENCH_PRELOAD ?? 1_000_000);
const USERS = 10_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SIZES = [100, 1_000, 5_000];
// Each timed round is about one checkpoint period (64MB of WAL is ~130k rows per side over two
// rounds), so both sides pay their share of DuckDB's checkpoints, not a lucky gap between them.
const ROWS_PER_ROUND = 60_000;
const WARMUP_ROWS = 10_000;

function rawRow(event: IngestEvent): JS[] {
  const p = event.properties;
  return [
    event.uuid,
    event.projectId,
    event.event,
    event.distinctId,
    new Date(event.timestampMs),
    new Date(event.receivedAtMs),
    JSON.stringify(p),
    event.groups[0] ?? null,
    null,
    null,
    null,
    null,
    event.sessionId,
    event.processPerson,
    (p.$lib as string) ?? null,
    (p.app_version as string) ?? null,
    (p.environment as string) ?? null,
    (p.deployment as string) ?? null,
    null,
    null,
    null,
  ];
}

async function rawAppend(
  connection: DuckDBConnection,
  events: readonly IngestEvent[],
): Promise<void> {
  await connection.run('BEGIN TRANSACTION');
  const appender = await connection.createAppender('events');
  const writer = DuckDBDataChunkWriter.forAppender(appender, {
    converter: JSToDuckDBValueConverter,
  });
  for (const event of events) writer.appendRow(rawRow(event));
  writer.flush();
  appender.closeSync();
  await connection.run('COMMIT');
}

const dir = mkdtempSync(join(tmpdir(), 'tally-bench-store-'));
const storePath = join(dir, 'tally.duckdb');
const rawPath = join(dir, 'raw.duckdb');
try {
  // Schema from the store's own migrations, then the preload straight through SQL.
  await (await createDuckDbStore({ path: storePath })).close();
  let t0 = performance.now();
  {
    const instance = await DuckDBInstance.create(storePath);
    const connection = await instance.connect();
    await preload(connection, PRELOAD, USERS, true);
    await connection.run('CHECKPOINT');
    await connection.run(`ATTACH '${rawPath}' AS raw`);
    await connection.run('CREATE TABLE raw.events AS SELECT * FROM events LIMIT 0');
    await connection.run('INSERT INTO raw.events SELECT * FROM events');
    await connection.run('DETACH raw');
    connection.closeSync();
    instance.closeSync();
  }
  console.log(
    `preloaded ${PRELOAD.toLocaleString('en-US')} events (and ${USERS} persons) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const store = await createDuckDbStore({ path: storePath });
  // Same DuckDB settings as the store (checkpoint_threshold), so only the store's own work differs.
  const rawInstance = await DuckDBInstance.create(rawPath, { ...DEFAULT_DUCKDB_CONFIG });
  const raw = await rawInstance.connect();

  console.log(
    '\ncommit rows | append() rows/s | raw Appender rows/s | ratio | append ms/commit | raw ms/commit',
  );
  for (const size of SIZES) {
    const totals = { store: 0, raw: 0, rows: 0, commits: 0 };
    for (let round = 0; round < ROUNDS + 1; round++) {
      const commits = (round === 0 ? WARMUP_ROWS : ROWS_PER_ROUND) / size;
      const storeBatches = Array.from({ length: commits }, () => makeBatch(size, USERS));
      const rawBatches = Array.from({ length: commits }, () => makeBatch(size, USERS));
      t0 = performance.now();
      for (const batch of rawBatches) await rawAppend(raw, batch.events);
      const rawMs = performance.now() - t0;
      t0 = performance.now();
      for (const batch of storeBatches) await store.events.append(batch.events, batch.changes);
      const storeMs = performance.now() - t0;
      if (round === 0) continue; // warm-up
      totals.store += storeMs;
      totals.raw += rawMs;
      totals.rows += commits * size;
      totals.commits += commits;
    }
    const storeRate = totals.rows / (totals.store / 1000);
    const rawRate = totals.rows / (totals.raw / 1000);
    console.log(
      `${String(size).padStart(11)} | ${fmt(storeRate).padStart(15)} | ${fmt(rawRate).padStart(19)} | ${(storeRate / rawRate).toFixed(2).padStart(5)} | ${(totals.store / totals.commits).toFixed(1).padStart(16)} | ${(totals.raw / totals.commits).toFixed(1).padStart(13)}`,
    );
  }

  // A client retry: a 1,000-row batch whose events are all stored already (the rollback and
  // lookup path), next to the same batch's first append.
  {
    const batch = makeBatch(1_000, USERS);
    t0 = performance.now();
    await store.events.append(batch.events, batch.changes);
    const firstMs = performance.now() - t0;
    t0 = performance.now();
    const retry = await store.events.append(batch.events, batch.changes);
    console.log(
      `\nretried 1,000-row batch: ${(performance.now() - t0).toFixed(1)} ms (first append ${firstMs.toFixed(1)} ms), ${retry.duplicates} duplicates`,
    );
  }

  // The server's shape: many requests of 100 events, pooled by the group committer. Batches are
  // made before the clock starts, as the server's decode and validation are not measured here.
  for (const producers of [4, 16, 64]) {
    const committer = createGroupCommitter(store.events, {
      maxBatchRows: 5_000,
      maxPendingRows: 1_000_000,
    });
    const batches = Array.from({ length: 600 }, () => makeBatch(100, USERS));
    t0 = performance.now();
    await Promise.all(
      Array.from({ length: producers }, async () => {
        for (let batch = batches.pop(); batch !== undefined; batch = batches.pop())
          await committer.submit(batch.events, batch.changes);
      }),
    );
    const ms = performance.now() - t0;
    const stats = committer.stats();
    await committer.close();
    console.log(
      `group commit, ${String(producers).padStart(2)} concurrent 100-event submits: ${fmt(stats.committedRows / (ms / 1000))} rows/s, ${stats.rowsPerCommit.toFixed(0)} rows/commit, last commit ${stats.lastCommitMs?.toFixed(1)} ms`,
    );
  }
  console.log(`\nevents stored: ${(await store.events.countEvents(1)).toLocaleString('en-US')}`);
  raw.closeSync();
  rawInstance.closeSync();
  await store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function fmt(rate: number): string {
  return `${Math.round(rate).toLocaleString('en-US')}`;
}
