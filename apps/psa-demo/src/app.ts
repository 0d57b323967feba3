import type { PGlite } from '@electric-sql/pglite';
import type { CaptureClient } from '@tally/instrument';
import { Hono } from 'hono';
import type { AccountingService } from './accounting.js';
import type { PsaDeps, PsaEnv } from './context.js';
import { PsaError } from './errors.js';
import { createFakeAccounting } from './fake-accounting.js';
import { NO_HOOKS, type PsaHooks } from './hooks.js';
import { type IdSource, randomIds } from './ids.js';
import { createPsaInstrumentation, type PsaInstrumentationOptions } from './instrumentation.js';
import { accountingRoutes } from './routes/accounting.js';
import { authRoutes } from './routes/auth.js';
import { billingRoutes } from './routes/billing.js';
import { oauthRoutes } from './routes/oauth.js';
import { commentRoutes } from './routes/ticket-comments.js';
import { ticketRoutes } from './routes/tickets.js';
import { timeRoutes } from './routes/time.js';
import { userRoutes } from './routes/users.js';
import { requireSession } from './session.js';
import { type FlagReader, NO_FLAGS } from './ticket-form.js';

export const DEFAULT_SESSION_TTL_MS = 12 * 60 * 60_000;

export interface PsaAppOptions {
  /** An open, migrated database (see openPsaDatabase). */
  db: PGlite;
  /** The clock every row and session uses; a simulator passes its simulated time. */
  now?: () => Date;
  /** Row ids and tokens; createSequentialIds() for reproducible runs. */
  ids?: IdSource;
  /**
   * The accounting system invoices are exported to (`POST /api/invoices/:id/sync`). Default: an
   * in-process fake with network-like latency and failures (createFakeAccounting()).
   */
  accounting?: AccountingService;
  /**
   * The Tally client (an SDK `Analytics`, or createTestAnalytics in tests). With it the app is
   * instrumented through @tally/instrument (HTTP middleware and domain trackers); without it,
   * and without `hooks`, the app emits nothing.
   */
  analytics?: CaptureClient;
  /** Options of the instrumentation built from `analytics`. */
  instrumentation?: PsaInstrumentationOptions;
  /** Your own hooks instead of `analytics` (they win when both are given). */
  hooks?: PsaHooks;
  /**
   * Feature flags (an SDK `Analytics`): `new-ticket-form` picks the ticket form a tenant gets.
   * Default: no flags, the classic form for everyone.
   */
  flags?: FlagReader;
  sessionTtlMs?: number;
  /** Gets errors that became a 500 (a bug, not a client error). Default: logged to stderr. */
  onUnexpectedError?: (error: unknown) => void;
  /** Hono middleware mounted before every route (the HTTP instrumentation goes here). */
  middleware?: Parameters<Hono<PsaEnv>['use']>[1][];
}

/**
 * The PSA demo's HTTP API: auth (credentials, simulated OAuth), users and clients, tickets,
 * time and billing, all scoped to the caller's tenant.
 *
 * @example
 * const app = createPsaApp({ db: await openPsaDatabase(), now: () => clock.now() });
 * const res = await app.request('/auth/signup', { method: 'POST', body: JSON.stringify({...}) });
 */
export function createPsaApp(options: PsaAppOptions): Hono<PsaEnv> {
  const now = options.now ?? (() => new Date());
  const instrumented =
    options.analytics === undefined
      ? undefined
      : createPsaInstrumentation(options.analytics, {
          ...options.instrumentation,
          // Ages and delays in events follow the app's (possibly simulated) clock.
          trackers: { now: () => now().getTime(), ...options.instrumentation?.trackers },
          // So do measured durations when the clock is injected: a simulated accounting call's
          // latency is simulated time. Otherwise `measure` keeps the monotonic performance.now.
          ...(options.now === undefined
            ? {}
            : {
                performance: {
                  now: () => now().getTime(),
                  ...options.instrumentation?.performance,
                },
              }),
        });
  const deps: PsaDeps = Object.freeze({
    db: options.db,
    now,
    ids: options.ids ?? randomIds,
    hooks: options.hooks ?? instrumented?.hooks ?? NO_HOOKS,
    flags: options.flags ?? NO_FLAGS,
    accounting: options.accounting ?? createFakeAccounting(),
    sessionTtlMs: options.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS,
  });
  const onUnexpectedError =
    options.onUnexpectedError ??
    ((error: unknown) => console.error('psa-demo: unexpected error', error));
  const app = new Hono<PsaEnv>();
  if (instrumented !== undefined) app.use('*', instrumented.middleware);
  for (const mw of options.middleware ?? []) app.use('*', mw);
  app.onError((err, c) => {
    if (err instanceof PsaError) return c.json(err.toJSON(), err.status);
    onUnexpectedError(err);
    return c.json({ error: 'internal', message: 'Internal error' }, 500);
  });
  app.notFound((c) => c.json(new PsaError('not_found').toJSON(), 404));
  app.get('/health', (c) => c.json({ ok: true }));
  app.route('/auth', authRoutes(deps));
  app.route('/', oauthRoutes(deps));
  // Everything under /api needs a session; the route modules check roles.
  app.use('/api/*', requireSession(deps));
  app.route('/api', userRoutes(deps));
  app.route('/api', ticketRoutes(deps));
  app.route('/api', commentRoutes(deps));
  app.route('/api', timeRoutes(deps));
  app.route('/api', billingRoutes(deps));
  app.route('/api', accountingRoutes(deps));
  return app;
}
