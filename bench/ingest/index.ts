// Ingestion throughput: gzip /batch/ requests of 100 events over loopback to a Tally server in
// its own process (durable 200s: group commit), then, in the same run, a raw DuckDB append of the
// same rows at the commit size the server's group commit reached, into a bare copy of the events
// table (no key, no HTTP, no decoding, no privacy pipeline, no person updates), by the store's
// JSON insert and by the Appender; the faster is the baseline.
// Prints events/s for both and the ratio. Targets (DESIGN.md): >= 40k events/s, >= 0.5x raw.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  DuckDBDataChunkWriter,
  DuckDBInstance,
  type JS,
  JSToDuckDBValueConverter,
} from '@duckdb/node-api';
import { uuidv7 } from '@tally/sdk';
import { DEFAULT_DUCKDB_CONFIG, type IngestEvent } from '@tally/store';
import {
  encodeEvents,
  insertEvents,
  insertEventsSql,
} from '../../packages/store/src/duckdb/event-rows.js';
import { HOT_COLUMNS } from '../../packages/store/src/duckdb/hot-columns.js';
import { makeWireEvents, type WireEvent } from './events.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const BATCH = 100;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const TOKEN = 'phc_benchmarkingestion01';

async function runServer(
  events: WireEvent[],
  dataDir: string,
): Promise<{
  eventsPerSecond: number;
  rowsPerCommit: number;
  commits: number;
  cpuMicrosPerEvent: number;
  mainThreadMicrosPerEvent: number;
  clientCpuMicrosPerEvent: number;
}> {
  const child = fork(join(import.meta.dirname, 'server.ts'), [dataDir], {
    // The server runs its build (dist/), as `tally start` does; `npm run bench:ingest` builds it.
    execArgv: [
      ...(process.env.BENCH_NODE_FLAGS
        ? process.env.BENCH_NODE_FLAGS.split(/\s+/).filter(Boolean)
        : []),
      '--import',
      'tsx',
      ...(process.env.BENCH_PROFILE
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
        : []),
    ],
    stdio: 'inherit',
  });
  // The server's answers; its early exit fails the run instead of leaving a promise unsettled.
  const reply = <T>(key: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(new Error(`the bench server exited (code ${code}) before answering ${key}`));
      child.once('exit', onExit);
      child.once('message', (m: Record<string, T>) => {
        child.off('exit', onExit);
        resolve(m[key] as T);
      });
    });
  const url = await reply<string>('url');
  const bodies: Buffer[] = [];
  for (let i = 0; i < events.length; i += BATCH) {
    bodies.push(
      gzipSync(
        JSON.stringify({
          api_key: TOKEN,
          batch: events.slice(i, i + BATCH),
          sent_at: new Date().toISOString(),
        }),
      ),
    );
  }
  let next = 0;
  let failed = 0;
  // node:http with keep-alive rather than fetch: the load generator shares the machine, and
  // fetch costs it about twice the CPU per request.
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const target = new URL('/batch/', url);
  const send = (body: Buffer) =>
    new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        target,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-encoding': 'gzip',
            'content-length': body.length,
          },
        },
        (response) => {
          response.resume();
          response.once('end', () => resolve(response.statusCode ?? 0));
        },
      );
      request.once('error', reject);
      request.end(body);
    });
  // Warm-up (JIT, first commits), not counted: the first 2% of the bodies.
  const warm = Math.ceil(bodies.length / 50);
  for (let i = 0; i < warm; i++) await send(bodies[next++] as Buffer);
  child.send('mark');
  const clientCpu = process.cpuUsage();
  const started = performance.now();
  const counted = bodies.length - next;
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++] as Buffer;
      const status = await send(body);
      if (status !== 200) failed++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  const client = process.cpuUsage(clientCpu);
  agent.destroy();
  type Stats = {
    rowsPerCommit: number;
    commits: number;
    cpuMicros: number;
    mainThreadMicros: number;
  };
  const answer = reply<Stats>('stats');
  child.send('stats');
  const stats = await answer;
  child.send('stop');
  await new Promise((resolve) => child.once('exit', resolve));
  if (failed > 0) throw new Error(`${failed} requests were not acknowledged`);
  return {
    eventsPerSecond: (counted * BATCH) / seconds,
    rowsPerCommit: stats.rowsPerCommit,
    commits: stats.commits,
    cpuMicrosPerEvent: stats.cpuMicros / (counted * BATCH),
    mainThreadMicrosPerEvent: stats.mainThreadMicros / (counted * BATCH),
    clientCpuMicrosPerEvent: (client.user + client.system) / (counted * BATCH),
  };
}

type RawMethod = 'json insert' | 'appender';

/**
 * The same rows, stored raw into a keyless copy of `events`, committing every `commitRows`, by
 * the store's own method (one INSERT of the batch's JSON) or by DuckDB's Appender; the faster
 * of the two is the baseline.
 */
async function runRaw(
  events: WireEvent[],
  dataDir: string,
  commitRows: number,
  method: RawMethod,
): Promise<number> {
  // The store's own DuckDB settings (its checkpoint threshold), so only the work differs.
  const instance = await DuckDBInstance.create(join(dataDir, 'tally.duckdb'), {
    ...DEFAULT_DUCKDB_CONFIG,
  });
  const connection = await instance.connect();
  const table = method === 'appender' ? 'raw_appended' : 'raw_inserted';
  await connection.run(`CREATE TABLE ${table} AS SELECT * FROM events LIMIT 0`);
  const rows = events.map(
    (e): IngestEvent => ({
      projectId: 1,
      uuid: uuidv7(Date.parse(e.timestamp)),
      event: e.event,
      distinctId: e.distinct_id,
      timestampMs: Date.parse(e.timestamp),
      receivedAtMs: Date.now(),
      properties: e.properties,
      groups: [(e.properties.$groups as { tenant: string }).tenant, null, null, null, null],
      sessionId: null,
      processPerson: true,
    }),
  );
  const sql = insertEventsSql(table);
  const started = performance.now();
  for (let i = 0; i < rows.length; i += commitRows) {
    const slice = rows.slice(i, i + commitRows);
    await connection.run('BEGIN TRANSACTION');
    if (method === 'json insert') await insertEvents(connection, encodeEvents(slice).rows, sql);
    else {
      const appender = await connection.createAppender(table);
      const writer = DuckDBDataChunkWriter.forAppender(appender, {
        converter: JSToDuckDBValueConverter,
      });
      for (const row of slice) writer.appendRow(appenderRow(row));
      writer.flush();
      appender.flushSync();
      appender.closeSync();
    }
    await connection.run('COMMIT');
  }
  const perSecond = rows.length / ((performance.now() - started) / 1000);
  connection.closeSync();
  instance.closeSync();
  return perSecond;
}

/** An `events` row in column order, for the Appender. */
function appenderRow(event: IngestEvent): JS[] {
  const hot = HOT_COLUMNS.map(({ property }) => {
    const value = event.properties[property];
    return typeof value === 'string' && value !== '' ? value : null;
  });
  return [
    event.uuid,
    event.projectId,
    event.event,
    event.distinctId,
    new Date(event.timestampMs),
    new Date(event.receivedAtMs),
    JSON.stringify(event.properties),
    ...event.groups,
    event.sessionId,
    event.processPerson,
    ...hot,
  ];
}

const dataDir = mkdtempSync(join(tmpdir(), 'tally-bench-ingest-'));
try {
  const events = makeWireEvents(EVENTS);
  const server = await runServer(events, dataDir);
  const commitRows = Math.max(1, Math.round(server.rowsPerCommit));
  const raws = new Map<RawMethod, number>();
  for (const method of ['json insert', 'appender'] as const)
    raws.set(method, await runRaw(events, dataDir, commitRows, method));
  const raw = Math.max(...raws.values());
  console.log(
    `ingestion: ${EVENTS} events, gzip /batch/ of ${BATCH}, ${CONCURRENCY} concurrent requests, loopback`,
  );
  console.log(
    `  tally /batch/ (durable 200s)   ${Math.round(server.eventsPerSecond).toLocaleString('en-US').padStart(9)} events/s   (${server.commits} commits, ${commitRows} rows/commit, CPU per event: server ${server.cpuMicrosPerEvent.toFixed(1)} us (event loop ${server.mainThreadMicrosPerEvent.toFixed(1)}), load generator ${server.clientCpuMicrosPerEvent.toFixed(1)} us)`,
  );
  for (const [method, perSecond] of raws)
    console.log(
      `  raw DuckDB, ${method}, ${commitRows} rows/commit ${Math.round(perSecond).toLocaleString('en-US').padStart(9)} events/s`,
    );
  console.log(
    `  ratio tally/raw (the faster raw): ${(server.eventsPerSecond / raw).toFixed(2)}   (targets: >= 40,000 events/s, >= 0.5)`,
  );
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
