// Signing in the way people do: credentials or the tenant's OAuth provider, with the usual
// failures (a mistyped password, a denied consent screen, an expired session from yesterday).
import type { People } from './people.js';
import type { PsaClient, PsaResponse } from './psa-client.js';
import type { Random } from './random.js';
import type { SimUser } from './tenant.js';

/** Chances per sign-in; small, as in a real PSA's logs. */
const TYPO_RATE = 0.04;
const CONSENT_DENIED_RATE = 0.03;
const REPLAYED_STATE_RATE = 0.01;

async function oauth(
  psa: PsaClient,
  provider: string,
  email: string,
  consent: 'grant' | 'deny',
): Promise<{ res: PsaResponse; state: string }> {
  const start = await psa.call('POST', `/auth/oauth/${provider}/start`);
  const state: string = start.body.state;
  const authorize = await psa.call('POST', `/oauth-sim/${provider}/authorize`, undefined, {
    state,
    email,
    consent,
  });
  return { res: await psa.call('GET', authorize.body.redirect_url), state };
}

/** Signs the user in (retrying after a failure, as a person would); returns false if it cannot. */
export async function signIn(psa: PsaClient, rng: Random, user: SimUser): Promise<boolean> {
  if (user.login === 'credentials') {
    if (rng.chance(TYPO_RATE)) {
      await psa.call('POST', '/auth/login', undefined, {
        email: user.person.email,
        password: `${user.password}x`,
      });
    }
    const res = await psa.call('POST', '/auth/login', undefined, {
      email: user.person.email,
      password: user.password,
    });
    user.token = res.status === 200 ? res.body.token : undefined;
    return user.token !== undefined;
  }
  if (rng.chance(CONSENT_DENIED_RATE)) await oauth(psa, user.login, user.person.email, 'deny');
  const { res, state } = await oauth(psa, user.login, user.person.email, 'grant');
  if (rng.chance(REPLAYED_STATE_RATE)) {
    // A double-clicked callback: the state is single use, so the second one fails.
    await psa.call(
      'GET',
      `/auth/oauth/${user.login}/callback?state=${encodeURIComponent(state)}&code=replayed`,
    );
  }
  user.token = res.status === 200 ? res.body.token : undefined;
  return user.token !== undefined;
}

/**
 * Calls as the user, signing in first when there is no session or it has expired (yesterday's
 * token: the PSA answers 401 and the person signs in again).
 */
export async function asUser(
  psa: PsaClient,
  rng: Random,
  user: SimUser,
  method: string,
  path: string,
  body?: unknown,
): Promise<PsaResponse | undefined> {
  if (user.token === undefined && !(await signIn(psa, rng, user))) return undefined;
  let res = await psa.call(method, path, user.token, body);
  if (res.status === 401) {
    user.token = undefined;
    if (!(await signIn(psa, rng, user))) return undefined;
    res = await psa.call(method, path, user.token, body);
  }
  return res;
}

export async function signOut(psa: PsaClient, user: SimUser): Promise<void> {
  if (user.token === undefined) return;
  await psa.call('POST', '/auth/logout', user.token);
  user.token = undefined;
}

/** Someone tries an address that has no account (a former employee, a typo in the domain). */
export async function strayLogin(psa: PsaClient, rng: Random, people: People): Promise<void> {
  const stranger = people.person('gmail.example.com');
  if (rng.chance(0.5)) {
    await psa.call('POST', '/auth/login', undefined, {
      email: stranger.email,
      password: 'Summer2026!',
    });
  } else {
    await oauth(psa, rng.pick(['google', 'microsoft', 'keycloak']), stranger.email, 'grant');
  }
}
