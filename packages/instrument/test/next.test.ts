import { beforeEach, describe, expect, it } from 'vitest';
import { ERROR_KEYS, propsOf, REQUEST_KEYS, SECRETS, setup, ValidationError } from './helpers.js';

/** What the App Router passes a route handler in Next 15: a Request and `{ params: Promise }`. */
type Ctx = { params: Promise<{ id: string }> };
const ctxOf = (id: string): Ctx => ({ params: Promise.resolve({ id }) });

describe('Next.js route-handler wrapper', () => {
  const ctx = setup({
    identify: (request: Request) =>
      request.headers.get('authorization') === 'Bearer ok' ? { distinctId: 'u-5' } : undefined,
  });
  beforeEach(() => {
    ctx.analytics.reset();
  });

  const GET = ctx.http.next('/api/tickets/[id]', async (_request: Request, { params }: Ctx) => {
    const { id } = await params;
    return Response.json({ id });
  });
  const POST = ctx.http.next('/api/tickets/[id]', async () => {
    throw new ValidationError(SECRETS.message);
  });
  const REDIRECT = ctx.http.next('/(portal)/api/go/[...slug]', async () => {
    // What `redirect('/login')` throws.
    throw Object.assign(new Error('NEXT_REDIRECT'), {
      digest: 'NEXT_REDIRECT;replace;/login;307;',
    });
  });

  it('records the file-route template given to the wrapper and returns the handler response', async () => {
    const response = await GET(
      new Request(`http://psa.test/api/tickets/printer?email=${SECRETS.email}`),
      ctxOf('printer'),
    );
    expect(await response.json()).toEqual({ id: 'printer' });
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

  it('re-throws the original error and reports its class with status 500', async () => {
    const request = new Request('http://psa.test/api/tickets/1', {
      method: 'POST',
      headers: { authorization: 'Bearer ok' },
    });
    const thrown = await POST(request, ctxOf('1')).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as Error).message).toBe(SECRETS.message);
    expect(propsOf(ctx.analytics, 'api_error', ERROR_KEYS)).toEqual([
      {
        route: '/api/tickets/:id',
        method: 'POST',
        status: 500,
        error_type: 'ValidationError',
        duration_ms: 0,
        has_auth: true,
      },
    ]);
    ctx.analytics.expectNoPII([SECRETS.message, 'Dana']);
  });

  it('records redirect() as the redirect status, not as an error, and drops the route group', async () => {
    await expect(REDIRECT(new Request('http://psa.test/api/go/a/b'), ctxOf('x'))).rejects.toThrow(
      'NEXT_REDIRECT',
    );
    ctx.analytics.expectEvent('api_request', {
      route: '/api/go/*',
      status: 307,
      status_class: '3xx',
    });
    ctx.analytics.expectNoEvent('api_error');
  });
});
