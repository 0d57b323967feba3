import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { propsOf, REQUEST_KEYS, SECRETS, setup, ValidationError } from './helpers.js';
import { listen } from './servers.js';

describe('node:http listener wrapper (real server)', () => {
  const ctx = setup();
  let server: Awaited<ReturnType<typeof listen>>;

  beforeAll(async () => {
    const route = (req: IncomingMessage) =>
      req.url?.startsWith('/tickets/') ? '/tickets/:id' : undefined;
    const listener = ctx.http.node(
      async (req, res) => {
        if (req.method === 'POST') {
          res.statusCode = 500;
          res.end('failed');
          throw new ValidationError(SECRETS.message);
        }
        res.end('ok');
      },
      { route },
    );
    const host = createServer((req, res) => {
      // Like a host app's own guard, so the re-thrown rejection does not go unhandled.
      (listener(req, res) as unknown as Promise<void>).catch(() => {});
    });
    server = await listen(host);
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => {
    ctx.analytics.reset();
  });

  it('uses the route option when it names a template', async () => {
    expect(await server.send('/tickets/printer')).toBe(200);
    expect(propsOf(ctx.analytics, 'api_request', REQUEST_KEYS)).toEqual([
      {
        route: '/tickets/:id',
        method: 'GET',
        status: 200,
        status_class: '2xx',
        duration_ms: 0,
        has_auth: false,
        is_slow: false,
        sample_rate: 0.1,
      },
    ]);
  });

  it('templates the raw path otherwise', async () => {
    await server.send(`/contacts/${SECRETS.email}/${SECRETS.uuid}?token=${SECRETS.token}`);
    ctx.analytics.expectEvent('api_request', { route: '/contacts/:email/:id' });
    ctx.analytics.expectNoPII([SECRETS.email, SECRETS.uuid, SECRETS.token]);
  });

  it('reports a rejected listener by class and re-throws the same error', async () => {
    expect(await server.send('/tickets/1', { method: 'POST' })).toBe(500);
    ctx.analytics.expectEvent('api_error', { error_type: 'ValidationError', status: 500 });
    ctx.analytics.expectNoPII([SECRETS.message]);
  });
});

describe('node:http listener wrapper (direct call)', () => {
  it('re-throws the original error object of a rejected listener', async () => {
    const ctx = setup();
    const original = new ValidationError(SECRETS.message);
    const listener = ctx.http.node(async (_req: IncomingMessage, _res: ServerResponse) => {
      throw original;
    });
    const fakeRes = Object.assign(new (await import('node:events')).EventEmitter(), {
      statusCode: 200,
    });
    const result = listener({ method: 'GET', url: '/x' } as never, fakeRes as never) as unknown;
    await expect(result).rejects.toBe(original);
    fakeRes.emit('close');
    ctx.analytics.expectEvent('api_error', { error_type: 'ValidationError', status: 500 });
  });
});
