import { psaCatalog } from '@tally/catalog';
import { createTestAnalytics } from '@tally/sdk/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { InstrumentError } from '../errors.js';
import type { UserRecord } from './auth.js';
import { createTrackers } from './trackers.js';

const NOW = Date.parse('2026-11-20T12:00:00Z');

/** A user row as a PSA stores it, PII included: the tracker must read none of it. */
const USER = {
  id: 'u-7',
  tenantId: 'tenant-1',
  userType: 'msp',
  isAdmin: true,
  twoFactorEnabled: true,
  lastLoginAt: new Date('2026-11-19T08:00:00Z'),
  email: 'jane.doe@acme-corp.example',
  firstName: 'Jane',
  lastName: 'Doe',
  phone: '+1 (555) 123-4567',
  username: 'jdoe',
} satisfies UserRecord & Record<string, unknown>;
const PII = [USER.email, USER.firstName, USER.lastName, USER.phone, USER.username];

function setup() {
  const analytics = createTestAnalytics({ catalog: psaCatalog });
  const errors: InstrumentError[] = [];
  const track = createTrackers(analytics, { now: () => NOW, onError: (e) => errors.push(e) });
  // Every property a tracker builds must pass the catalog's schema (strict mode throws otherwise).
  onTestFinished(() => expect(errors.filter((e) => e.code === 'capture_failed')).toEqual([]));
  return { analytics, track, errors };
}

describe('auth trackers', () => {
  it.each(['credentials', 'google', 'microsoft', 'keycloak'] as const)(
    'loggedIn with %s: provider, user type, second factor, attributed to the user and tenant',
    (provider) => {
      const { analytics, track, errors } = setup();
      track.auth.loggedIn(USER, { provider, usedTwoFactor: true }, { id: 'sess-1' });
      const event = analytics.expectEvent('user_logged_in', {
        provider,
        user_type: 'msp',
        has_two_factor: true,
        is_first_login: false,
        $groups: { tenant: 'tenant-1' },
        $session_id: 'sess-1',
      });
      expect(event.distinct_id).toBe('u-7');
      expect(errors).toEqual([]);
      analytics.expectNoPII(PII);
    },
  );

  it('loggedIn: first login when lastLoginAt is null, omitted when the app does not record it', () => {
    const { analytics, track } = setup();
    track.auth.loggedIn({ ...USER, lastLoginAt: null }, { provider: 'credentials' });
    analytics.expectEvent('user_logged_in', { is_first_login: true, has_two_factor: false });
    analytics.reset();
    const { lastLoginAt: _, ...withoutColumn } = USER;
    track.auth.loggedIn(withoutColumn, { provider: 'credentials' });
    const event = analytics.expectEvent('user_logged_in');
    expect(event.properties).not.toHaveProperty('is_first_login');
  });

  it('loginFailed is anonymous: no user, no tenant, no person profile', () => {
    const { analytics, track } = setup();
    track.auth.loginFailed({ provider: 'keycloak', reason: 'oauth_error' });
    const event = analytics.expectEvent('login_failed', {
      provider: 'keycloak',
      reason: 'oauth_error',
      $process_person_profile: false,
    });
    expect(event.properties).not.toHaveProperty('$groups');
    expect(event.distinct_id).not.toBe(USER.id);
  });

  it('validated, signedUp and loggedOut carry what the catalog defines', () => {
    const { analytics, track, errors } = setup();
    track.auth.validated(USER, { provider: 'microsoft' });
    track.auth.signedUp(
      { ...USER, userType: 'client' },
      { method: 'invitation', emailVerificationRequired: true },
    );
    track.auth.loggedOut(USER, 'session_expired', { startedAt: '2026-11-20T10:30:00Z' });
    track.auth.loggedOut(USER, 'user');
    expect(analytics.events.map((e) => e.event)).toEqual([
      'auth_validated',
      'user_signed_up',
      'user_logged_out',
      'user_logged_out',
    ]);
    analytics.expectEvent('auth_validated', {
      provider: 'microsoft',
      has_two_factor: true,
      is_admin: true,
    });
    analytics.expectEvent('user_signed_up', {
      registration_method: 'invitation',
      user_type: 'client',
      company_created: false,
      email_verification_required: true,
    });
    analytics.expectEvent('user_logged_out', { trigger: 'session_expired', session_minutes: 90 });
    expect(analytics.events[3]?.properties).not.toHaveProperty('session_minutes');
    expect(errors).toEqual([]);
    analytics.expectNoPII(PII);
  });
});
