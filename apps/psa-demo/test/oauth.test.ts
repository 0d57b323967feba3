import { describe, expect, it } from 'vitest';
import { type Api, makeApp, signupTenant, uniqueEmail } from './helpers.js';

/** Runs the simulated flow up to the callback and returns the callback's response. */
async function oauth(call: Api, provider: string, email: string, consent = 'grant') {
  const start = await call('POST', `/auth/oauth/${provider}/start`);
  expect(start.status).toBe(200);
  expect(start.body.authorize_url).toBe(
    `/oauth-sim/${provider}/authorize?state=${encodeURIComponent(start.body.state)}`,
  );
  const authorize = await call('POST', `/oauth-sim/${provider}/authorize`, undefined, {
    state: start.body.state,
    email,
    consent,
  });
  return { state: start.body.state as string, redirect: authorize.body.redirect_url as string };
}

describe('simulated OAuth sign-in', () => {
  it.each(['google', 'microsoft', 'keycloak'])(
    'signs in an existing user through %s',
    async (provider) => {
      const { call } = await makeApp();
      const t = await signupTenant(call);
      const { redirect } = await oauth(call, provider, t.email.toUpperCase());
      const res = await call('GET', redirect);
      expect(res.status).toBe(200);
      expect(res.body.user).toMatchObject({ id: t.userId, email: t.email });
      expect((await call('GET', '/auth/me', res.body.token)).status).toBe(200);
      // The state is single use.
      expect(await call('GET', redirect)).toMatchObject({
        status: 400,
        body: { error: 'bad_state' },
      });
    },
  );

  it('fails with consent_denied when the user denies consent', async () => {
    const { call } = await makeApp();
    const t = await signupTenant(call);
    const { redirect } = await oauth(call, 'google', t.email, 'deny');
    expect(redirect).toContain('error=access_denied');
    expect(await call('GET', redirect)).toMatchObject({
      status: 401,
      body: { error: 'consent_denied' },
    });
  });

  it('fails with unknown_account for an identity no user has', async () => {
    const { call } = await makeApp();
    const { redirect } = await oauth(call, 'microsoft', uniqueEmail('stranger'));
    expect(await call('GET', redirect)).toMatchObject({
      status: 401,
      body: { error: 'unknown_account' },
    });
  });

  it('fails with bad_state for a forged, expired or cross-provider state', async () => {
    const { call, clock } = await makeApp();
    const t = await signupTenant(call);
    const forged = await call('GET', '/auth/oauth/google/callback?state=forged&code=abc');
    expect(forged).toMatchObject({ status: 400, body: { error: 'bad_state' } });
    const cross = await oauth(call, 'google', t.email);
    const crossRes = await call('GET', cross.redirect.replace('/google/', '/keycloak/'));
    expect(crossRes.body.error).toBe('bad_state');
    const late = await oauth(call, 'keycloak', t.email);
    clock.advanceMinutes(11);
    expect((await call('GET', late.redirect)).body.error).toBe('bad_state');
    const noState = await call('GET', '/auth/oauth/google/callback?code=abc');
    expect(noState).toMatchObject({ status: 400, body: { field: 'state' } });
    expect((await call('POST', '/auth/oauth/github/start')).status).toBe(404);
  });
});
