import { defineEvent } from '../define/event.js';
import { prop } from '../define/property.js';
import { USER_TYPES } from './person.js';

/** Sign-in providers. Tenant SSO connections map to `oidc` or `saml`, never to their name. */
export const AUTH_PROVIDERS = [
  'credentials',
  'google',
  'microsoft',
  'keycloak',
  'oidc',
  'saml',
  'magic_link',
  'other',
] as const;

export const LOGIN_FAILURE_REASONS = [
  'invalid_password',
  'inactive_account',
  'unknown_user',
  'oauth_error',
  'two_factor_failed',
  'locked_out',
] as const;

export const REGISTRATION_METHODS = ['direct', 'email_verification', 'invitation', 'sso'] as const;

export const LOGOUT_TRIGGERS = ['user', 'session_expired', 'admin'] as const;

const provider = () => prop.enum(AUTH_PROVIDERS, 'Provider the user signed in with');
const userType = () => prop.enum(USER_TYPES, 'Kind of user');

export const authEvents = {
  user_logged_in: defineEvent({
    category: 'auth',
    version: 1,
    description: 'A user signed in and a session was created.',
    firesWhen: 'Once per new session, after every factor has passed.',
    properties: {
      provider: provider(),
      user_type: userType(),
      has_two_factor: prop.boolean('Whether a second factor was checked for this sign-in'),
      is_first_login: prop.boolean('Whether this is the first sign-in of the account').optional(),
    },
  }),
  login_failed: defineEvent({
    category: 'auth',
    version: 1,
    description:
      'A sign-in attempt failed. Carries no user: an unknown user has no id, and a known one must not be linked to failed attempts.',
    firesWhen: 'Once per rejected attempt, with the first reason that rejected it.',
    properties: {
      reason: prop.enum(LOGIN_FAILURE_REASONS, 'Why the attempt was rejected'),
      provider: prop.enum(AUTH_PROVIDERS, 'Provider the attempt used'),
    },
  }),
  user_signed_up: defineEvent({
    category: 'auth',
    version: 1,
    description: 'A new user account was registered.',
    firesWhen: 'When the account is created (before any email verification completes).',
    properties: {
      registration_method: prop.enum(REGISTRATION_METHODS, 'How the account was registered'),
      user_type: userType(),
      company_created: prop.boolean('Whether registering also created a new client company'),
      email_verification_required: prop.boolean(
        'Whether the user must verify an email address first',
      ),
    },
  }),
  user_logged_out: defineEvent({
    category: 'auth',
    version: 1,
    description: 'A session ended by sign-out or expiry.',
    firesWhen: 'When the session is destroyed; the SDK then resets the identity.',
    properties: {
      user_type: userType(),
      trigger: prop.enum(LOGOUT_TRIGGERS, 'What ended the session'),
      session_minutes: prop
        .integer('Minutes since the session began; omitted when unknown', {
          min: 0,
          unit: 'minutes',
        })
        .optional(),
    },
  }),
  auth_validated: defineEvent({
    category: 'auth',
    version: 1,
    description: 'Credentials were checked and accepted (the first step of a sign-in).',
    firesWhen: 'When the credential check passes, before any second factor.',
    properties: {
      provider: provider(),
      has_two_factor: prop.boolean('Whether the account has a second factor enrolled'),
      is_admin: prop.boolean('Whether the account holds the tenant administrator permission'),
    },
  }),
};
