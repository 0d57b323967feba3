// Per-stage cost of ingestion on one core, no HTTP (of the build in dist/, as `tally start` runs
// it: run `npm run build` first): decode (gunzip + JSON + event fields),
// process (catalog check, scrub, enrichment), conversion to the store's JSON rows. Diagnostic only.
import { gzipSync } from 'node:zlib';
import { uuidv7 } from '@tally/sdk';
import { decodeCapture } from '../../apps/server/dist/capture/decode.js';
import { IngestCounts } from '../../apps/server/dist/ingest/counts.js';
import { processCapture } from '../../apps/server/dist/ingest/process.js';
import { psaCatalog } from '../../packages/catalog/dist/index.js';
import { encodeEvents } from '../../packages/store/dist/duckdb/event-rows.js';
import { makeWireEvents } from './events.js';

const bodies: Buffer[] = [];
const events = makeWireEvents(20_000);
for (let b = 0; b < events.length; b += 100) {
  const batch = events.slice(b, b + 100);
  bodies.push(
    gzipSync(JSON.stringify({ api_key: 'phc_x', batch, sent_at: new Date().toISOString() })),
  );
}
const project = { id: 1, isStrict: false } as never;
const counts = new IngestCounts();
const ctx = {
  catalog: psaCatalog,
  counts,
  hashId: (s: string) => s,
  mintUuid: uuidv7,
  groupTypeIndex: async () => 0,
  nowMs: Date.now(),
};
// CPU time (getrusage), not wall time: on a shared machine it drifts far less.
const cpu = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const t = { decode: 0, process: 0, rows: 0 };
const best = { decode: Infinity, process: Infinity, rows: Infinity };
for (let round = 0; round < 10; round++) {
  for (const k of Object.keys(t) as (keyof typeof t)[]) t[k] = 0;
  for (const body of bodies) {
    let s = cpu();
    const decoded = await decodeCapture(
      {
        path: '/batch/',
        method: 'POST',
        query: new URLSearchParams(),
        contentType: 'application/json',
        contentEncoding: 'gzip',
        body,
      },
      { maxBodyBytes: 20e6, maxDecompressedBytes: 20e6 },
    );
    t.decode += cpu() - s;
    s = cpu();
    const processed = await processCapture(decoded, project, ctx);
    t.process += cpu() - s;
    s = cpu();
    encodeEvents(processed.events);
    t.rows += cpu() - s;
  }
  for (const k of Object.keys(t) as (keyof typeof t)[]) best[k] = Math.min(best[k], t[k]);
}
console.log(
  `CPU per event, best of 10 rounds: ${Object.entries(best)
    .map(([k, v]) => `${k} ${((v * 1000) / 20000).toFixed(2)} us`)
    .join('  ')}`,
);
