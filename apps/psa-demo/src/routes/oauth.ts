// Simulated OAuth sign-in (google, microsoft, keycloak), run inside the app so a simulator can go
// through the whole flow over HTTP, failures included:
//   1. POST /auth/oauth/:provider/start           -> { state, authorize_url }
//   2. POST /oauth-sim/:provider/authorize         (the fake provider's consent screen)
//        { state, email, consent: 'grant' | 'deny' } -> { redirect_url } with code or error
//   3. GET  /auth/oauth/:provider/callback?state&code   -> session token
// Failures: denied consent (401 consent_denied), unknown/expired/reused state or a state of
// another provider (400 bad_state), an identity with no account (401 unknown_account).
import { Hono } from 'hono';
import { z } from 'zod';
import type { PsaDeps, PsaEnv } from '../context.js';
import { PsaError } from '../errors.js';
import type { UserRow } from '../records.js';
import { parseWith, readBody } from '../validation.js';
import { completeLogin, email } from './auth.js';

export const OAUTH_PROVIDERS = ['google', 'microsoft', 'keycloak'] as const;
export type OAuthProvider = (typeof OAUTH_PROVIDERS)[number];
const STATE_TTL_MS = 10 * 60_000;

function providerParam(value: string | undefined): OAuthProvider {
  const provider = OAUTH_PROVIDERS.find((p) => p === value);
  if (provider === undefined) throw new PsaError('not_found');
  return provider;
}

const authorizeSchema = z.object({
  state: z.string().min(1).max(200),
  email,
  consent: z.enum(['grant', 'deny']),
});

// The provider redirects back with a code, or with an error instead of one.
const callbackSchema = z
  .object({
    state: z.string().min(1).max(200),
    code: z.string().min(1).max(200).optional(),
    error: z.string().min(1).max(100).optional(),
  })
  .refine((q) => q.code !== undefined || q.error !== undefined, { path: ['code'] });

export function oauthRoutes(deps: PsaDeps): Hono<PsaEnv> {
  const app = new Hono<PsaEnv>();

  app.post('/auth/oauth/:provider/start', async (c) => {
    const provider = providerParam(c.req.param('provider'));
    const state = deps.ids.token();
    await deps.db.query(
      'INSERT INTO oauth_states (state, provider, created_at) VALUES ($1, $2, $3)',
      [state, provider, deps.now()],
    );
    const authorizeUrl = `/oauth-sim/${provider}/authorize?state=${encodeURIComponent(state)}`;
    return c.json({ state, authorize_url: authorizeUrl });
  });

  // The fake identity provider. It does not check the state (a real provider does not know it);
  // it hands back a code bound to the identity, or access_denied.
  app.post('/oauth-sim/:provider/authorize', async (c) => {
    const provider = providerParam(c.req.param('provider'));
    const body = await readBody(c, authorizeSchema);
    const callback = `/auth/oauth/${provider}/callback?state=${encodeURIComponent(body.state)}`;
    if (body.consent === 'deny') return c.json({ redirect_url: `${callback}&error=access_denied` });
    const code = deps.ids.token();
    const known = await deps.db.query('SELECT 1 FROM oauth_states WHERE state = $1', [body.state]);
    if (known.rows.length === 0) {
      // A code must reference a state row; an unknown state fails at the callback anyway.
      return c.json({ redirect_url: `${callback}&code=${encodeURIComponent(code)}` });
    }
    await deps.db.query(
      'INSERT INTO oauth_codes (code, state, provider, email) VALUES ($1, $2, $3, $4)',
      [code, body.state, provider, body.email],
    );
    return c.json({ redirect_url: `${callback}&code=${encodeURIComponent(code)}` });
  });

  app.get('/auth/oauth/:provider/callback', async (c) => {
    const provider = providerParam(c.req.param('provider'));
    const query = parseWith(callbackSchema, c.req.query());
    const now = deps.now();
    // The state is single use: consume it first, whatever the outcome.
    const { rows: states } = await deps.db.query<{ provider: string; created_at: Date }>(
      `UPDATE oauth_states SET used_at = $2 WHERE state = $1 AND used_at IS NULL
       RETURNING provider, created_at`,
      [query.state, now],
    );
    const state = states[0];
    if (
      state === undefined ||
      state.provider !== provider ||
      now.getTime() - state.created_at.getTime() > STATE_TTL_MS
    ) {
      deps.hooks.loginFailed('oauth_error', provider);
      throw new PsaError('bad_state');
    }
    if (query.error !== undefined || query.code === undefined) {
      deps.hooks.loginFailed('oauth_error', provider);
      throw new PsaError('consent_denied');
    }
    const { rows: codes } = await deps.db.query<{ email: string }>(
      'DELETE FROM oauth_codes WHERE code = $1 AND state = $2 AND provider = $3 RETURNING email',
      [query.code, query.state, provider],
    );
    const identity = codes[0];
    if (identity === undefined) {
      deps.hooks.loginFailed('oauth_error', provider);
      throw new PsaError('bad_state');
    }
    const { rows } = await deps.db.query<UserRow>('SELECT * FROM users WHERE email = $1', [
      identity.email,
    ]);
    const user = rows[0];
    if (user === undefined) {
      deps.hooks.loginFailed('unknown_user', provider);
      throw new PsaError('unknown_account');
    }
    if (!user.is_active) {
      deps.hooks.loginFailed('inactive_account', provider);
      throw new PsaError('inactive_account');
    }
    return c.json(await completeLogin(deps, user, provider));
  });

  return app;
}
