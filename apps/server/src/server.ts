import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import { type Catalog, psaCatalog } from '@tally/catalog';
import { createIdHasher, resolveSecret, uuidv7 } from '@tally/sdk';
import {
  createDuckDbStore,
  createGroupCommitter,
  type GroupCommitter,
  type Store,
} from '@tally/store';
import type { Hono } from 'hono';
import { createApp } from './app.js';
import { type Bootstrapped, bootstrap } from './bootstrap.js';
import type { ServerConfig } from './config.js';
import { IngestCounts } from './ingest/counts.js';
import { ProjectCache } from './ingest/projects.js';
import { RateLimiter } from './ingest/rate-limit.js';

export const DATABASE_FILE = 'tally.duckdb';
const COUNTS_FLUSH_MS = 2_000;

export interface Tally {
  readonly app: Hono;
  readonly store: Store;
  readonly committer: GroupCommitter;
  /** Set on the first start of a new data dir. */
  readonly bootstrapped: Bootstrapped | undefined;
  /** Drains the writer, writes counters, closes the store. */
  close(): Promise<void>;
}

/**
 * Opens the data dir (one DuckDB file, one instance per process: a second process gets a
 * `locked` StoreError) and builds the app on it. No port is opened: see `listen`.
 */
export async function openTally(
  config: ServerConfig,
  options: { catalog?: Catalog; now?: () => number } = {},
): Promise<Tally> {
  const dataDir = resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const store = await createDuckDbStore({ path: join(dataDir, DATABASE_FILE) });
  try {
    const bootstrapped = await bootstrap(store, config);
    const now = options.now ?? Date.now;
    const { secret } = resolveSecret({ dataDir, deployment: 'on-premise' });
    const committer = createGroupCommitter(store.events, {
      maxPendingRows: config.maxPendingRows,
      maxBatchRows: config.maxBatchRows,
      maxWaitMs: config.commitWaitMs,
    });
    const counts = new IngestCounts();
    const projects = new ProjectCache(store.metadata, now);
    const app = createApp({
      store,
      committer,
      catalog: options.catalog ?? psaCatalog,
      projects,
      counts,
      rateLimiter: new RateLimiter(config.rateLimitPerSecond, config.rateLimitBurst, now),
      hashId: createIdHasher(secret),
      mintUuid: uuidv7,
      now,
      maxDecompressedBytes: config.maxDecompressedBytes,
    });
    const flushCounts = async () => {
      for (const [projectId, list] of counts.take())
        await store.metadata.addCounters(projectId, list);
    };
    const timer = setInterval(() => {
      flushCounts().catch((error) =>
        console.error('[tally] could not write ingestion counters', error),
      );
    }, COUNTS_FLUSH_MS);
    timer.unref();
    let closing: Promise<void> | undefined;
    return {
      app,
      store,
      committer,
      bootstrapped,
      close() {
        closing ??= (async () => {
          clearInterval(timer);
          await committer.close();
          await flushCounts();
          await store.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** Serves the app on a port (0 picks a free one); resolves once it accepts connections. */
export function listen(
  app: Hono,
  port: number,
  host: string,
): Promise<{ server: ServerType; url: string }> {
  return new Promise((resolveListen, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: host }, (info: AddressInfo) => {
      const shownHost = info.address.includes(':') ? `[${info.address}]` : info.address;
      resolveListen({ server, url: `http://${shownHost}:${info.port}` });
    });
    server.once('error', reject);
  });
}
