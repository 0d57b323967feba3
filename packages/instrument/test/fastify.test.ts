import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ERROR_KEYS, propsOf, REQUEST_KEYS, SECRETS, setup, ValidationError } from './helpers.js';

describe('Fastify adapter (real server)', () => {
  const ctx = setup({
    identify: (request: { headers: Record<string, unknown> }) =>
      request.headers.authorization === 'Bearer ok'
        ? { distinctId: 'u-4', tenantId: 't-1' }
        : undefined,
  });
  let app: FastifyInstance;
  let base: string;
  const send = async (path: string, init?: RequestInit) => {
    const response = await fetch(`${base}${path}`, init);
    await response.arrayBuffer();
    return response.status;
  };

  beforeAll(async () => {
    app = Fastify();
    await app.register(ctx.http.fastify);
    await app.register(
      async (api) => {
        api.get('/tickets/:id', async (request) => ({ id: (request.params as { id: string }).id }));
        api.post('/tickets', async () => {
          throw new ValidationError(SECRETS.message);
        });
        api.get('/slow/:ms', async (request) => {
          ctx.clock.advance(Number((request.params as { ms: string }).ms));
          return 'done';
        });
      },
      { prefix: '/api' },
    );
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
  });
  beforeEach(() => {
    ctx.analytics.reset();
  });

  it('records routeOptions.url of a prefixed plugin route, never the raw path', async () => {
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

  it('templates an unmatched path', async () => {
    expect(await send(`/files/${SECRETS.uuid}`)).toBe(404);
    ctx.analytics.expectEvent('api_request', { route: '/files/:id', status: 404, sample_rate: 1 });
  });

  it('reports a thrown error by class with the status Fastify sent', async () => {
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
    ctx.analytics.expectNoPII([SECRETS.message, 'Dana']);
  });

  it('uses the instrumentation identify', async () => {
    await send('/api/tickets/1', { headers: { authorization: 'Bearer ok' } });
    expect(ctx.analytics.expectEvent('api_request', { has_auth: true }).distinct_id).toBe('u-4');
  });

  it('emits slow_query above slowQueryMs', async () => {
    await send('/api/slow/2001');
    ctx.analytics.expectEvent('slow_query', { route: '/api/slow/:ms', duration_ms: 2001 });
  });
});
