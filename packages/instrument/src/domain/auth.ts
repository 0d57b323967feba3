import type { EventInput, PsaCatalog, UserType } from '@tally/catalog';
import { type Actor, contextOf, type Emitter } from './emit.js';
import { minutesBetween, type Timestamp, toMsOrUndefined } from './timestamps.js';

type In<N extends keyof PsaCatalog['events']> = EventInput<PsaCatalog, N>;
export type AuthProvider = In<'user_logged_in'>['provider'];
export type LoginFailureReason = In<'login_failed'>['reason'];
export type RegistrationMethod = In<'user_signed_up'>['registration_method'];
export type LogoutTrigger = In<'user_logged_out'>['trigger'];

/**
 * A user account as the PSA stores it. Its email, name and username are never read: pass your
 * row as it is. `lastLoginAt` must be the value from before this sign-in.
 */
export interface UserRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly userType: UserType;
  readonly isAdmin?: boolean | null | undefined;
  readonly twoFactorEnabled?: boolean | null | undefined;
  /** null: never signed in before; undefined: your app does not record it. */
  readonly lastLoginAt?: Timestamp | null | undefined;
}

/** One sign-in attempt, as the auth layer knows it. */
export interface LoginAttempt {
  readonly provider: AuthProvider;
  /** Whether a second factor was checked for this sign-in. */
  readonly usedTwoFactor?: boolean | undefined;
}

/** A rejected sign-in: the first reason that rejected it. No user is linked to it. */
export interface LoginFailure {
  readonly provider: AuthProvider;
  readonly reason: LoginFailureReason;
}

export interface SignupDetails {
  readonly method: RegistrationMethod;
  readonly companyCreated?: boolean | undefined;
  readonly emailVerificationRequired?: boolean | undefined;
}

/** A session as the PSA stores it, for `user_logged_out`. */
export interface SessionRecord {
  readonly id?: string | undefined;
  readonly startedAt?: Timestamp | null | undefined;
}

export interface AuthTracker {
  /** `auth_validated`: the credential check passed (before any second factor). */
  validated(user: UserRecord, attempt: LoginAttempt): void;
  /** `user_logged_in`: a session was created. `is_first_login` from `user.lastLoginAt`. */
  loggedIn(user: UserRecord, attempt: LoginAttempt, session?: SessionRecord): void;
  /** `login_failed`, anonymous: an unknown user has no id and a known one is not linked. */
  loginFailed(failure: LoginFailure): void;
  /** `user_signed_up`, attributed to the new user. */
  signedUp(user: UserRecord, details: SignupDetails): void;
  /** `user_logged_out`; `session_minutes` from the session's start to now. */
  loggedOut(user: UserRecord, trigger: LogoutTrigger, session?: SessionRecord): void;
}

/** The actor a user record acts as (its own id and tenant). */
export function actorOf(user: UserRecord, session?: SessionRecord): Actor {
  return { userId: user.id, tenantId: user.tenantId, sessionId: session?.id };
}

export function createAuthTracker(out: Emitter): AuthTracker {
  return {
    validated(user, attempt) {
      out.guard('auth_validated', () => {
        out.emit(
          'auth_validated',
          {
            provider: attempt.provider,
            has_two_factor: user.twoFactorEnabled === true,
            is_admin: user.isAdmin === true,
          },
          contextOf(actorOf(user)),
        );
      });
    },
    loggedIn(user, attempt, session) {
      out.guard('user_logged_in', () => {
        const lastLoginMs = toMsOrUndefined(user.lastLoginAt, 'lastLoginAt');
        out.emit(
          'user_logged_in',
          {
            provider: attempt.provider,
            user_type: user.userType,
            has_two_factor: attempt.usedTwoFactor === true,
            // Unknown (the column is absent) is omitted rather than guessed.
            ...(user.lastLoginAt === undefined
              ? {}
              : { is_first_login: lastLoginMs === undefined }),
          },
          contextOf(actorOf(user, session)),
        );
      });
    },
    loginFailed(failure) {
      out.guard('login_failed', () => {
        out.emit('login_failed', { reason: failure.reason, provider: failure.provider }, undefined);
      });
    },
    signedUp(user, details) {
      out.guard('user_signed_up', () => {
        out.emit(
          'user_signed_up',
          {
            registration_method: details.method,
            user_type: user.userType,
            company_created: details.companyCreated === true,
            email_verification_required: details.emailVerificationRequired === true,
          },
          contextOf(actorOf(user)),
        );
      });
    },
    loggedOut(user, trigger, session) {
      out.guard('user_logged_out', () => {
        const startedMs = toMsOrUndefined(session?.startedAt, 'startedAt');
        out.emit(
          'user_logged_out',
          {
            user_type: user.userType,
            trigger,
            ...(startedMs === undefined
              ? {}
              : { session_minutes: minutesBetween(startedMs, out.now()) }),
          },
          contextOf(actorOf(user, session)),
        );
      });
    },
  };
}
