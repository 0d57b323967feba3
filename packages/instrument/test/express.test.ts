import { createServer } from 'node:http';
import express, { type ErrorRequestHandler, type Request } from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ERROR_KEYS, propsOf, REQUEST_KEYS, SECRETS, setup, ValidationError } from './helpers.js';
import { listen } from './servers.js';

type AuthedRequest = Request & { user?: { id: string; tenantId: string } };

describe('Express adapter (real server)', () => {
  const ctx = setup();
  let server: Awaited<ReturnType<typeof listen>>;
  let tallySymbols: symbol[] | undefined;

  beforeAll(async () => {
    const app = express();
    app.use(
      ctx.http.express({
        identify: (req: AuthedRequest) =>
          req.user && { distinctId: req.user.id, tenantId: req.user.tenantId },
      }),
    );
    app.use((req: AuthedRequest, _res, next) => {
      if (req.headers.authorization === 'Bearer ok') req.user = { id: 'u-9', tenantId: 't-2' };
      next();
    });
    const api = express.Router();
    api.get('/tickets/:id', (req, res) => {
      res.json({ id: req.params.id });
    });
    api.post('/tickets', async () => {
      throw new ValidationError(SECRETS.message);
    });
    api.get('/slow/:ms', (req, res) => {
      ctx.clock.advance(Number(req.params.ms));
      res.send('done');
    });
    api.get('/later/:ms', (req, res) => {
      setTimeout(() => {
        ctx.clock.advance(Number(req.params.ms));
        tallySymbols = Object.getOwnPropertySymbols(res).filter((s) => /tally/i.test(String(s)));
        res.send('later');
      }, 1);
    });
    app.use('/api', api);
    const tasks = express.Router();
    tasks.get('/:taskId', (_req, res) => {
      res.send('task');
    });
    const v2 = express.Router();
    v2.use('/projects/:projectId/tasks', tasks);
    app.use('/api/v2', v2);
    const tenantTickets = express.Router({ mergeParams: true });
    tenantTickets.delete('/:ticketId', () => {
      throw new ValidationError(SECRETS.message);
    });
    app.use('/tenants/:tenantId/tickets', tenantTickets);
    app.use(ctx.http.expressErrors());
    const onError: ErrorRequestHandler = (error, _req, res, _next) => {
      res.status(error instanceof ValidationError ? 422 : 500).send('failed');
    };
    app.use(onError);
    server = await listen(createServer(app));
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => {
    ctx.analytics.reset();
  });

  it('records req.baseUrl + req.route.path, never the raw path or query', async () => {
    expect(await server.send(`/api/tickets/printer?email=${SECRETS.email}`)).toBe(200);
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
    expect(await server.send(`/users/${SECRETS.email}/keys/${SECRETS.token}`)).toBe(404);
    ctx.analytics.expectEvent('api_request', { route: '/users/:email/keys/:token', status: 404 });
    ctx.analytics.expectNoPII([SECRETS.email, SECRETS.token]);
  });

  it('reports an async handler error with the status the app sent, class only', async () => {
    expect(await server.send('/api/tickets', { method: 'POST' })).toBe(422);
    expect(propsOf(ctx.analytics, 'api_error', ERROR_KEYS)).toEqual([
      {
        route: '/api/tickets',
        method: 'POST',
        status: 422,
        error_type: 'ValidationError',
        duration_ms: 0,
        has_auth: false,
      },
    ]);
    ctx.analytics.expectNoPII([SECRETS.message, 'Dana']);
  });

  it('keeps the mount path of an error that unwound out of a router mounted with a parameter', async () => {
    expect(await server.send('/tenants/4711/tickets/printer', { method: 'DELETE' })).toBe(422);
    ctx.analytics.expectEvent('api_error', {
      route: '/tenants/:id/tickets/:ticketId',
      error_type: 'ValidationError',
    });
    ctx.analytics.expectNoPII(['4711', 'printer']);
  });

  it('identifies the user after the auth middleware ran', async () => {
    await server.send('/api/tickets/1', { headers: { authorization: 'Bearer ok' } });
    const event = ctx.analytics.expectEvent('api_request', { has_auth: true });
    expect(event.distinct_id).toBe('u-9');
  });

  it('emits slow_query above slowQueryMs with the template', async () => {
    await server.send('/api/slow/3000');
    ctx.analytics.expectEvent('api_request', {
      route: '/api/slow/:ms',
      is_slow: true,
      sample_rate: 1,
    });
    ctx.analytics.expectEvent('slow_query', {
      route: '/api/slow/:ms',
      duration_ms: 3000,
      threshold_ms: 2000,
    });
  });

  it('templates the mount paths of nested routers, a raw id in a mount path replaced', async () => {
    expect(await server.send('/api/v2/projects/77/tasks/printer')).toBe(200);
    ctx.analytics.expectEvent('api_request', {
      route: '/api/v2/projects/:id/tasks/:taskId',
      status: 200,
    });
    ctx.analytics.expectNoPII(['printer']);
  });

  it('templates an unmatched path with its ids replaced', async () => {
    expect(await server.send(`/orders/12345/items/${SECRETS.uuid}?q=1`)).toBe(404);
    ctx.analytics.expectEvent('api_request', { route: '/orders/:id/items/:id', status: 404 });
    ctx.analytics.expectNoPII(['12345', SECRETS.uuid]);
  });

  it('times a response sent later from the middleware, adding no property to the response', async () => {
    expect(await server.send('/api/later/1500')).toBe(200);
    expect(tallySymbols).toEqual([]);
    ctx.analytics.expectEvent('api_request', {
      route: '/api/later/:ms',
      duration_ms: 1500,
      is_slow: true,
    });
  });
});
