// How to skip events already stored, measured: per-commit cost of each dedup approach on an
// events table that already holds BENCH_PRELOAD rows (default 1M), at 100/1,000/5,000-row
// commits. Not a test; the numbers behind the choice in packages/store/src/duckdb/append.ts.
// BENCH_V4=1 uses random (v4) uuids instead of UUIDv7 for both history and new events.
import { randomUUID } from 'node:crypto';
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
import { DEFAULT_DUCKDB_CONFIG } from '@tally/store';
import { uuidv7 } from './data.js';

const PRELOAD = Number(process.env.BENCH_PRELOAD ?? 1_000_000);
const IS_V4 = process.env.BENCH_V4 === '1';
const SIZES = [100, 1_000, 5_000];
const COLUMNS = `uuid UUID NOT NULL, project_id INTEGER NOT NULL, event VARCHAR NOT NULL,
  distinct_id VARCHAR NOT NULL, timestamp TIMESTAMP NOT NULL, properties JSON NOT NULL,
  group_0 VARCHAR, lib VARCHAR`;

let clockMs = Date.parse('2026-04-01T00:00:00Z');
function row(): JS[] {
  clockMs += 1;
  const uuid = IS_V4 ? randomUUID() : uuidv7(clockMs);
  const properties = JSON.stringify({
    ticket_id: randomUUID(),
    priority: 'high',
    $lib: 'tally-node',
  });
  return [
    uuid,
    1,
    'ticket_created',
    `user-${clockMs % 5000}`,
    new Date(clockMs),
    properties,
    'tenant-7',
    'tally-node',
  ];
}

async function append(connection: DuckDBConnection, table: string, rows: JS[][], catalog?: string) {
  const appender = await connection.createAppender(
    table,
    catalog === undefined ? null : 'main',
    catalog ?? null,
  );
  const writer = DuckDBDataChunkWriter.forAppender(appender, {
    converter: JSToDuckDBValueConverter,
  });
  for (const r of rows) writer.appendRow(r);
  writer.flush();
  appender.closeSync();
}

type Commit = (c: DuckDBConnection, rows: JS[][]) => Promise<void>;
const stage = async (c: DuckDBConnection, rows: JS[][]) => {
  await c.run('BEGIN TRANSACTION');
  await append(c, 'staging', rows, 'temp');
};
const finish = async (c: DuckDBConnection) => {
  await c.run('DELETE FROM staging');
  await c.run('COMMIT');
};
const bounds = (rows: JS[][]) => {
  const uuids = rows.map((r) => r[0] as string).sort();
  return [uuids[0], uuids.at(-1)];
};

const STRATEGIES: Record<string, { key: 'pk' | 'none' | 'uuid-table'; commit: Commit }> = {
  'raw append, no dedup': {
    key: 'none',
    commit: async (c, rows) => {
      await c.run('BEGIN TRANSACTION');
      await append(c, 'events', rows);
      await c.run('COMMIT');
    },
  },
  'PK + Appender straight into events (chosen)': {
    key: 'pk',
    commit: async (c, rows) => {
      await c.run('BEGIN TRANSACTION');
      await append(c, 'events', rows);
      await c.run('COMMIT');
    },
  },
  'PK + staging + INSERT SELECT': {
    key: 'pk',
    commit: async (c, rows) => {
      await stage(c, rows);
      await c.run('INSERT INTO events SELECT * FROM staging');
      await finish(c);
    },
  },
  'PK + staging + INSERT OR IGNORE': {
    key: 'pk',
    commit: async (c, rows) => {
      await stage(c, rows);
      await c.run('INSERT OR IGNORE INTO events SELECT * FROM staging');
      await finish(c);
    },
  },
  'event_uuids PK table + staging': {
    key: 'uuid-table',
    commit: async (c, rows) => {
      await stage(c, rows);
      await c.run('INSERT INTO event_uuids SELECT project_id, uuid FROM staging');
      await c.run('INSERT INTO events SELECT * FROM staging');
      await finish(c);
    },
  },
  'no key, anti-join on uuid range': {
    key: 'none',
    commit: async (c, rows) => {
      await stage(c, rows);
      const [low, high] = bounds(rows);
      await c.run(`INSERT INTO events SELECT s.* FROM staging s WHERE NOT EXISTS (
        SELECT 1 FROM events e WHERE e.project_id = s.project_id AND e.uuid = s.uuid
          AND e.uuid BETWEEN '${low}' AND '${high}')`);
      await finish(c);
    },
  },
  'no key, anti-join on timestamp +-1 day': {
    key: 'none',
    commit: async (c, rows) => {
      await stage(c, rows);
      await c.run(`INSERT INTO events SELECT s.* FROM staging s WHERE NOT EXISTS (
        SELECT 1 FROM events e WHERE e.project_id = s.project_id AND e.uuid = s.uuid
          AND e.timestamp BETWEEN (SELECT min(timestamp) - INTERVAL 1 DAY FROM staging)
                              AND (SELECT max(timestamp) + INTERVAL 1 DAY FROM staging))`);
      await finish(c);
    },
  },
  'no key, full anti-join': {
    key: 'none',
    commit: async (c, rows) => {
      await stage(c, rows);
      await c.run(
        'INSERT INTO events SELECT s.* FROM staging s ANTI JOIN events e USING (project_id, uuid)',
      );
      await finish(c);
    },
  },
};

const dir = mkdtempSync(join(tmpdir(), 'tally-bench-dedup-'));
try {
  console.log(
    `events preloaded: ${PRELOAD.toLocaleString('en-US')}, uuids: ${IS_V4 ? 'v4 (random)' : 'v7 (time-ordered)'}`,
  );
  console.log(
    'strategy                                   |  100 rows/commit |  1000 rows/commit |  5000 rows/commit',
  );
  for (const [name, strategy] of Object.entries(STRATEGIES)) {
    const path = join(dir, `${name.replace(/\W+/g, '-')}.duckdb`);
    const instance = await DuckDBInstance.create(path, { ...DEFAULT_DUCKDB_CONFIG });
    const c = await instance.connect();
    await c.run(
      `CREATE TABLE events (${COLUMNS}${strategy.key === 'pk' ? ', PRIMARY KEY (project_id, uuid)' : ''})`,
    );
    const uuid = IS_V4
      ? 'uuid()'
      : `(substr(h,1,8)||'-'||substr(h,9,4)||'-7'||substr(r,1,3)||'-8'||substr(r,4,3)||'-'||substr(r,7,12))::UUID`;
    await c.run(`INSERT INTO events SELECT ${uuid}, 1, 'ev_' || (i % 20), 'user-' || (i % 10000), ts,
        '{"ticket_id":"' || r || '","priority":"high","n":' || i || '}', 'tenant-' || (i % 40), 'tally-node'
      FROM (SELECT i, ts, lpad(to_hex(epoch_ms(ts)), 12, '0') AS h, md5(i::VARCHAR) AS r
            FROM (SELECT i, TIMESTAMP '2026-01-01' + to_milliseconds(i * 7) AS ts FROM range(${PRELOAD}) t(i)))`);
    if (strategy.key === 'uuid-table') {
      await c.run(
        'CREATE TABLE event_uuids (project_id INTEGER NOT NULL, uuid UUID NOT NULL, PRIMARY KEY (project_id, uuid))',
      );
      await c.run('INSERT INTO event_uuids SELECT project_id, uuid FROM events');
    }
    await c.run('CHECKPOINT');
    await c.run(`CREATE TEMP TABLE staging (${COLUMNS})`);
    const cells: string[] = [];
    for (const size of SIZES) {
      const commits = Math.max(5, 20_000 / size);
      const batches = Array.from({ length: commits + 1 }, () => Array.from({ length: size }, row));
      await strategy.commit(c, batches[0] as JS[][]);
      const t0 = performance.now();
      for (const batch of batches.slice(1)) await strategy.commit(c, batch);
      const ms = (performance.now() - t0) / commits;
      cells.push(
        `${ms.toFixed(1).padStart(6)} ms ${Math.round((size / ms) * 1000)
          .toLocaleString('en-US')
          .padStart(7)}/s`,
      );
    }
    console.log(`${name.padEnd(42)} | ${cells.join(' | ')}`);
    c.closeSync();
    instance.closeSync();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
