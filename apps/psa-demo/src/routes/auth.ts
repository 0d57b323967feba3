import { Hono } from 'hono';
import { z } from 'zod';
import type { PsaDeps, PsaEnv } from '../context.js';
import { inTransaction } from '../db/transaction.js';
import { PsaError } from '../errors.js';
import type { AuthProvider } from '../hooks.js';
import { hashPassword, verifyPassword } from '../passwords.js';
import type { UserRow } from '../records.js';
import { issueSession, requireSession } from '../session.js';
import { seedTenantReferenceData } from '../tenant-setup.js';
import { readBody } from '../validation.js';

export const email = z.string().trim().toLowerCase().pipe(z.email()).pipe(z.string().max(254));
export const password = z.string().min(8).max(200);

const signupSchema = z.object({
  company_name: z.string().trim().min(1).max(200),
  name: z.string().trim().min(1).max(200),
  email,
  password,
});

const loginSchema = z.object({ email, password: z.string().min(1).max(200) });

export function publicUser(u: UserRow) {
  return {
    id: u.id,
    tenant_id: u.tenant_id,
    client_id: u.client_id,
    email: u.email,
    name: u.name,
    role: u.role,
    is_active: u.is_active,
  };
}

/** Records a successful sign-in and returns the response body with a new session token. */
export async function completeLogin(deps: PsaDeps, user: UserRow, provider: AuthProvider) {
  const isFirstLogin = user.last_login_at === null;
  await deps.db.query('UPDATE users SET last_login_at = $2 WHERE id = $1', [user.id, deps.now()]);
  const session = await issueSession(deps, user, provider);
  deps.hooks.loggedIn(user, provider, isFirstLogin);
  return { token: session.token, expires_at: session.expiresAt, user: publicUser(user) };
}

export function authRoutes(deps: PsaDeps): Hono<PsaEnv> {
  const app = new Hono<PsaEnv>();

  // Signup creates an MSP tenant and its first user, an admin.
  app.post('/signup', async (c) => {
    const body = await readBody(c, signupSchema);
    const taken = await deps.db.query('SELECT 1 FROM users WHERE email = $1', [body.email]);
    if (taken.rows.length > 0) throw new PsaError('email_taken');
    const now = deps.now();
    const tenantId = deps.ids.id();
    const userId = deps.ids.id();
    const user = await inTransaction(deps.db, async (tx, defer) => {
      await tx.query('INSERT INTO tenants (id, name, created_at) VALUES ($1, $2, $3)', [
        tenantId,
        body.company_name,
        now,
      ]);
      await seedTenantReferenceData(tx, deps.ids, tenantId);
      const { rows } = await tx.query<UserRow>(
        `INSERT INTO users (id, tenant_id, email, name, role, password_hash, created_at)
         VALUES ($1, $2, $3, $4, 'admin', $5, $6) RETURNING *`,
        [userId, tenantId, body.email, body.name, hashPassword(body.password), now],
      );
      const created = rows[0] as UserRow;
      defer(() => deps.hooks.signedUp(created, true));
      return created;
    });
    const login = await completeLogin(deps, user, 'credentials');
    return c.json({ tenant: { id: tenantId, name: body.company_name }, ...login }, 201);
  });

  app.post('/login', async (c) => {
    const body = await readBody(c, loginSchema);
    const { rows } = await deps.db.query<UserRow>('SELECT * FROM users WHERE email = $1', [
      body.email,
    ]);
    const user = rows[0];
    if (user === undefined) {
      deps.hooks.loginFailed('unknown_user', 'credentials');
      throw new PsaError('invalid_credentials');
    }
    if (user.password_hash === null || !verifyPassword(body.password, user.password_hash)) {
      deps.hooks.loginFailed('invalid_password', 'credentials');
      throw new PsaError('invalid_credentials');
    }
    deps.hooks.credentialsValidated(user);
    if (!user.is_active) {
      deps.hooks.loginFailed('inactive_account', 'credentials');
      throw new PsaError('inactive_account');
    }
    return c.json(await completeLogin(deps, user, 'credentials'));
  });

  app.post('/logout', requireSession(deps), async (c) => {
    const session = c.get('session');
    await deps.db.query('UPDATE sessions SET revoked_at = $2 WHERE token_hash = $1', [
      session.tokenHash,
      deps.now(),
    ]);
    deps.hooks.loggedOut(session, 'user');
    return c.body(null, 204);
  });

  app.get('/me', requireSession(deps), async (c) => {
    const { rows } = await deps.db.query<UserRow>('SELECT * FROM users WHERE id = $1', [
      c.get('session').userId,
    ]);
    return c.json({ user: publicUser(rows[0] as UserRow) });
  });

  return app;
}
