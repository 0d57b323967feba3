import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_KEYS, propsOf, REQUEST_KEYS, SECRETS, setup, ValidationError } from './helpers.js';

type Env = { Variables: { user: { id: string; tenantId: string } } };

function buildApp(ctx: ReturnType<typeof setup>) {
  const app = new Hono<Env>();
  app.use(
    ctx.http.hono({
      identify: (c) => {
        const user = c.get('user') as Env['Variables']['user'] | undefined;
        return user && { distinctId: user.id, tenantId: user.tenantId };
      },
    }),
  );
  app.use('/api/*', async (c, next) => {
    if (c.req.header('authorization') === 'Bearer ok')
      c.set('user', { id: 'u-7', tenantId: 't-3' });
    await next();
  });
  const api = new Hono<Env>();
  api.get('/tickets/:id', (c) => c.json({ id: c.req.param('id') }));
  api.get('/files/:name{[a-z]+\\.png}', (c) => c.text('png'));
  api.post('/tickets', () => {
    throw new ValidationError(SECRETS.message);
  });
  api.get('/slow/:ms', (c) => {
    ctx.clock.advance(Number(c.req.param('ms')));
    return c.text('done');
  });
  api.get('/forbidden', () => {
    throw new HTTPException(403);
  });
  app.route('/api', api);
  // Like Hono's default handler, without printing the error.
  app.onError((error, c) =>
    error instanceof HTTPException ? error.getResponse() : c.text('failed', 500),
  );
  return app;
}

/** The same suite in-process (`app.request`) and against a real server on port 0. */
const transports = [
  {
    name: 'in-process',
    start: async (app: Hono<Env>) => ({
      request: (path: string, init?: RequestInit) => app.request(path, init),
      close: async () => {},
    }),
  },
  {
    name: 'node server',
    start: async (app: Hono<Env>) => {
      const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
        const s = serve({ fetch: app.fetch, port: 0 }, () => resolve(s));
      });
      const { port } = server.address() as { port: number };
      return {
        request: (path: string, init?: RequestInit) =>
          fetch(`http://127.0.0.1:${port}${path}`, init),
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
      };
    },
  },
];

describe.each(transports)('Hono adapter ($name)', (transport) => {
  const ctx = setup();
  let client: Awaited<ReturnType<(typeof transports)[number]['start']>>;
  beforeAll(async () => {
    client = await transport.start(buildApp(ctx));
  });
  afterAll(async () => {
    await client.close();
  });
  const send = async (path: string, init?: RequestInit) => {
    ctx.analytics.reset();
    const response = await client.request(path, init);
    await response.arrayBuffer();
    return response.status;
  };

  it('records the route template of a mounted sub-app, never the raw path or query', async () => {
    expect(await send(`/api/tickets/printer?email=${SECRETS.email}`)).toBe(200);
    expect(propsOf(ctx.analytics, 'api_request', REQUEST_KEYS)).toEqual([
      {
        route: '/api/tickets/:id',
        method: 'GET',
        status: 200,
        status_class: '2xx',
        duration_ms: 0,
        has_auth: false,
        is_slow: false,
        sample_rate: 0.1,
      },
    ]);
    ctx.analytics.expectNoPII([SECRETS.email, 'printer']);
  });

  it('drops the constraint of a regex parameter', async () => {
    expect(await send('/api/files/logo.png')).toBe(200);
    ctx.analytics.expectEvent('api_request', { route: '/api/files/:name' });
  });

  it('templates an unmatched path: uuids, e-mails and numbers replaced', async () => {
    expect(await send(`/nowhere/${SECRETS.uuid}/${SECRETS.email}/12`)).toBe(404);
    ctx.analytics.expectEvent('api_request', {
      route: '/nowhere/:id/:email/:id',
      status: 404,
      status_class: '4xx',
      sample_rate: 1,
    });
    ctx.analytics.expectNoPII([SECRETS.email, SECRETS.uuid]);
  });

  it('templates the raw path of a 404 that only a wildcard middleware saw', async () => {
    expect(await send('/api/nope/4711')).toBe(404);
    ctx.analytics.expectEvent('api_request', { route: '/api/nope/:id', status: 404 });
  });

  it('records the user and tenant that identify reads after the handler ran', async () => {
    expect(await send('/api/tickets/1', { headers: { authorization: 'Bearer ok' } })).toBe(200);
    const event = ctx.analytics.expectEvent('api_request', { has_auth: true });
    expect(event.distinct_id).toBe('u-7');
    expect(event.properties.$groups).toEqual({ tenant: 't-3' });
  });

  it('reports a thrown error by class and status, never its message, and keeps its api_request', async () => {
    expect(await send('/api/tickets', { method: 'POST' })).toBe(500);
    expect(propsOf(ctx.analytics, 'api_error', ERROR_KEYS)).toEqual([
      {
        route: '/api/tickets',
        method: 'POST',
        status: 500,
        error_type: 'ValidationError',
        duration_ms: 0,
        has_auth: false,
      },
    ]);
    ctx.analytics.expectEvent('api_request', { status: 500, sample_rate: 1 });
    ctx.analytics.expectNoPII([SECRETS.message, 'Dana']);
  });

  it("reports an HTTPException with the status Hono's onError sent", async () => {
    expect(await send('/api/forbidden')).toBe(403);
    ctx.analytics.expectEvent('api_error', { error_type: 'HTTPException', status: 403 });
  });

  it('marks a request over slowRequestMs as slow and keeps it; slow_query only above slowQueryMs', async () => {
    await send('/api/slow/1500');
    ctx.analytics.expectEvent('api_request', {
      route: '/api/slow/:ms',
      is_slow: true,
      duration_ms: 1500,
      sample_rate: 1,
    });
    ctx.analytics.expectNoEvent('slow_query');
    await send('/api/slow/2500');
    expect(
      propsOf(ctx.analytics, 'slow_query', ['route', 'method', 'duration_ms', 'threshold_ms']),
    ).toEqual([{ route: '/api/slow/:ms', method: 'GET', duration_ms: 2500, threshold_ms: 2000 }]);
  });
});

describe('Hono adapter sampling', () => {
  it('drops a fast successful request when random() is at or above sampleRate, keeps errors', async () => {
    const ctx = setup({ random: () => 0.1 });
    const app = buildApp(ctx);
    await app.request('/api/tickets/1');
    ctx.analytics.expectNoEvent('api_request');
    await app.request('/api/tickets', { method: 'POST' });
    ctx.analytics.expectEvent('api_request', { status: 500, sample_rate: 1 });
  });

  it('keeps a fast successful request when random() is below sampleRate', async () => {
    const ctx = setup({ random: () => 0.0999 });
    await buildApp(ctx).request('/api/tickets/1');
    ctx.analytics.expectEvent('api_request', { sample_rate: 0.1 });
  });

  it('asks identify only for a request that emits', async () => {
    let calls = 0;
    const ctx = setup({
      random: () => 0.5,
      identify: () => {
        calls++;
        return { distinctId: 'u-1' };
      },
    });
    const app = new Hono();
    app.use(ctx.http.hono());
    app.get('/ping', (c) => c.text('pong'));
    for (let i = 0; i < 5; i++) await app.request('/ping');
    expect(calls).toBe(0);
    await app.request('/nowhere');
    expect(calls).toBe(1);
    ctx.analytics.expectEvent('api_request', { status: 404, has_auth: true });
  });

  it('reads the route from the instrumentation identify when the adapter has none', async () => {
    const ctx = setup({ identify: () => ({ distinctId: 'u-1' }) });
    const app = new Hono();
    app.use(ctx.http.hono());
    app.get('/ping', (c) => c.text('pong'));
    await app.request('/ping');
    expect(
      ctx.analytics.expectEvent('api_request', { route: '/ping', has_auth: true }).distinct_id,
    ).toBe('u-1');
  });
});
