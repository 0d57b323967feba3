import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { PsaDeps, PsaEnv, Role, Session } from './context.js';
import { PsaError } from './errors.js';
import type { AuthProvider } from './hooks.js';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Starts a session for a user and returns its bearer token (only its hash is stored). */
export async function issueSession(
  deps: PsaDeps,
  user: { id: string; tenant_id: string },
  provider: AuthProvider,
): Promise<{ token: string; expiresAt: Date }> {
  const token = deps.ids.token();
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + deps.sessionTtlMs);
  await deps.db.query(
    `INSERT INTO sessions (token_hash, user_id, tenant_id, provider, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [hashToken(token), user.id, user.tenant_id, provider, now, expiresAt],
  );
  return { token, expiresAt };
}

/** Requires `Authorization: Bearer <token>` of a live session of an active user. */
export function requireSession(deps: PsaDeps): MiddlewareHandler<PsaEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (match?.[1] === undefined) throw new PsaError('unauthenticated');
    const tokenHash = hashToken(match[1]);
    const { rows } = await deps.db.query<{
      user_id: string;
      tenant_id: string;
      role: Role;
      client_id: string | null;
      expires_at: Date;
      revoked_at: Date | null;
      is_active: boolean;
      created_at: Date;
    }>(
      `SELECT s.user_id, s.tenant_id, u.role, u.client_id, s.expires_at, s.revoked_at, u.is_active,
         s.created_at
       FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1`,
      [tokenHash],
    );
    const row = rows[0];
    if (row === undefined || row.revoked_at !== null || !row.is_active) {
      throw new PsaError('unauthenticated');
    }
    if (row.expires_at.getTime() <= deps.now().getTime()) throw new PsaError('session_expired');
    const session: Session = {
      userId: row.user_id,
      tenantId: row.tenant_id,
      role: row.role,
      clientId: row.client_id,
      tokenHash,
      startedAt: row.created_at,
    };
    c.set('session', session);
    await next();
  };
}

/** Throws 403 unless the caller holds one of the roles. */
export function requireRole(session: Session, ...roles: Role[]): void {
  if (!roles.includes(session.role)) throw new PsaError('forbidden');
}

export const STAFF_ROLES: Role[] = ['admin', 'dispatcher', 'technician', 'billing_admin'];
