import { serve } from '@hono/node-server';
import { createPsaApp } from './app.js';
import { openPsaDatabase } from './db/database.js';

export interface ServeOptions {
  /** Directory of the persistent database; in memory when absent. */
  dataDir?: string;
  port?: number;
}

export const DEFAULT_PSA_PORT = 8788;

/** Starts the PSA demo on a real port; resolves with the port and a close function. */
export async function servePsaDemo(
  options: ServeOptions = {},
): Promise<{ port: number; close: () => Promise<void> }> {
  const db = await openPsaDatabase(options.dataDir);
  const app = createPsaApp({ db });
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: options.port ?? DEFAULT_PSA_PORT }, (info) => {
      resolve({
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => {
              void db.close().then(done);
            });
          }),
      });
    });
  });
}
