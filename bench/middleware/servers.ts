// One server under load, in its own child process (BENCH_TARGET, e.g. `express instrumented`):
// the servers compared share no JIT feedback, heap or SDK timers, and the load generator does
// not share their event loop. Hono on @hono/node-server and Express, each bare, with one empty
// middleware, or instrumented, same routes. The instrumented ones use a real SDK client (privacy
// pipeline, batching) with a stub fetch.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { psaCatalog } from '@tally/catalog';
import { createHttpInstrumentation } from '@tally/instrument';
import { createAnalytics } from '@tally/sdk';
import express from 'express';
import { Hono } from 'hono';

const analytics = createAnalytics({
  catalog: psaCatalog,
  host: 'http://127.0.0.1:9',
  token: 'phc_benchmark_token',
  appVersion: '1.0.0',
  env: {},
  fetch: async () => new Response('{"status":"Ok"}', { status: 200 }),
});
const http = createHttpInstrumentation(analytics, {
  sampleRate: Number(process.env.BENCH_SAMPLE_RATE ?? 0.1),
  identify: () => ({ distinctId: 'u-1', tenantId: 't-1' }),
});

const ticket = { id: 'tk-1', title: 'Printer on fire', status: 'open', priority: 'high' };

/** `empty` is a middleware that does nothing: the cost of being a middleware at all. */
type Variant = 'bare' | 'empty' | 'instrumented';

function hono(variant: Variant): Promise<Server> {
  const app = new Hono();
  if (variant === 'empty') app.use((_c, next) => next());
  if (variant === 'instrumented') app.use(http.hono());
  app.get('/api/tickets/:id', (c) => c.json({ ...ticket, id: c.req.param('id') }));
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(server as Server),
    ) as Server;
  });
}

function expressApp(variant: Variant): Promise<Server> {
  const app = express();
  app.set('etag', false);
  if (variant === 'empty') app.use((_req, _res, next) => next());
  if (variant === 'instrumented') app.use(http.express());
  const api = express.Router();
  api.get('/tickets/:id', (req, res) => {
    res.json({ ...ticket, id: req.params.id });
  });
  app.use('/api', api);
  if (variant === 'instrumented') app.use(http.expressErrors());
  const server = createServer(app);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const [framework, variant] = (process.env.BENCH_TARGET ?? '').split(' ', 2) as [string, string];
const start = { hono, express: expressApp }[framework];
if (start === undefined || !['bare', 'empty', 'instrumented'].includes(variant)) {
  throw new Error(`BENCH_TARGET: expected "<hono|express> <bare|empty|instrumented>"`);
}
const server = await start(variant as Variant);
// Each server idles while the others are loaded: keep its keep-alive sockets open across
// rounds (node's default 5 s would close them under the load generator's pooled agent).
server.keepAliveTimeout = 120_000;

process.on('message', (message: string) => {
  if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
  if (message === 'stop') {
    server.close();
    setTimeout(() => process.exit(0), 3_000).unref();
    void analytics.shutdown(1_000).finally(() => process.exit(0));
  }
});
// The load generator gone (finished or killed): no server outlives it.
process.on('disconnect', () => process.exit(0));
process.send?.({ port: (server.address() as AddressInfo).port });
