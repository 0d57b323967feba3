// Users and client companies of a tenant. Admins invite staff and client-portal contacts; the
// invited user signs in with the password set here, or through an OAuth provider by email.
import { Hono } from 'hono';
import { z } from 'zod';
import { type PsaDeps, type PsaEnv, ROLES } from '../context.js';
import { PsaError } from '../errors.js';
import { useFeature } from '../features.js';
import { hashPassword } from '../passwords.js';
import type { UserRow } from '../records.js';
import { requireRole, STAFF_ROLES } from '../session.js';
import { readBody, uuidParam } from '../validation.js';
import { email, password, publicUser } from './auth.js';

const createUserSchema = z.object({
  email,
  name: z.string().trim().min(1).max(200),
  role: z.enum(ROLES),
  password: password.optional(),
  client_id: z.uuid().optional(),
});

const updateUserSchema = z
  .object({ role: z.enum(ROLES), is_active: z.boolean(), name: z.string().trim().min(1).max(200) })
  .partial();

const createClientSchema = z.object({
  name: z.string().trim().min(1).max(200),
  tax_rate_bps: z.int().min(0).max(10_000).optional(),
});

export function userRoutes(deps: PsaDeps): Hono<PsaEnv> {
  const app = new Hono<PsaEnv>();

  app.get('/users', async (c) => {
    const s = c.get('session');
    requireRole(s, ...STAFF_ROLES);
    const { rows } = await deps.db.query<UserRow>(
      'SELECT * FROM users WHERE tenant_id = $1 ORDER BY created_at, id',
      [s.tenantId],
    );
    return c.json({ users: rows.map(publicUser) });
  });

  app.post('/users', async (c) => {
    const s = c.get('session');
    requireRole(s, 'admin');
    const body = await readBody(c, createUserSchema);
    if ((body.role === 'client_contact') !== (body.client_id !== undefined)) {
      // A portal contact belongs to exactly one client company; staff belong to none.
      throw new PsaError('validation_failed', 'client_id');
    }
    if (body.client_id !== undefined) {
      const client = await deps.db.query('SELECT 1 FROM clients WHERE id = $1 AND tenant_id = $2', [
        body.client_id,
        s.tenantId,
      ]);
      if (client.rows.length === 0) throw new PsaError('validation_failed', 'client_id');
    }
    const taken = await deps.db.query('SELECT 1 FROM users WHERE email = $1', [body.email]);
    if (taken.rows.length > 0) throw new PsaError('email_taken');
    const { rows } = await deps.db.query<UserRow>(
      `INSERT INTO users (id, tenant_id, client_id, email, name, role, password_hash, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [
        deps.ids.id(),
        s.tenantId,
        body.client_id ?? null,
        body.email,
        body.name,
        body.role,
        body.password === undefined ? null : hashPassword(body.password),
        deps.now(),
      ],
    );
    const user = rows[0] as UserRow;
    deps.hooks.signedUp(user, false);
    await useFeature(deps, s, 'role_management');
    return c.json({ user: publicUser(user) }, 201);
  });

  app.patch('/users/:id', async (c) => {
    const s = c.get('session');
    requireRole(s, 'admin');
    const id = uuidParam(c.req.param('id'));
    const body = await readBody(c, updateUserSchema);
    const { rows } = await deps.db.query<UserRow>(
      `UPDATE users SET role = COALESCE($3, role), is_active = COALESCE($4, is_active),
         name = COALESCE($5, name)
       WHERE id = $1 AND tenant_id = $2 RETURNING *`,
      [id, s.tenantId, body.role ?? null, body.is_active ?? null, body.name ?? null],
    );
    if (id === null || rows[0] === undefined) throw new PsaError('not_found');
    return c.json({ user: publicUser(rows[0]) });
  });

  app.get('/clients', async (c) => {
    const s = c.get('session');
    requireRole(s, ...STAFF_ROLES);
    const { rows } = await deps.db.query(
      'SELECT id, name, tax_rate_bps FROM clients WHERE tenant_id = $1 ORDER BY created_at, id',
      [s.tenantId],
    );
    return c.json({ clients: rows });
  });

  app.post('/clients', async (c) => {
    const s = c.get('session');
    requireRole(s, 'admin', 'billing_admin', 'dispatcher');
    const body = await readBody(c, createClientSchema);
    const { rows } = await deps.db.query(
      `INSERT INTO clients (id, tenant_id, name, tax_rate_bps, created_at)
       VALUES ($1, $2, $3, $4, $5) RETURNING id, name, tax_rate_bps`,
      [deps.ids.id(), s.tenantId, body.name, body.tax_rate_bps ?? 0, deps.now()],
    );
    return c.json({ client: rows[0] }, 201);
  });

  // Reference data for ticket forms. Names are tenant data; ids are what the API takes.
  for (const table of ['boards', 'categories', 'priorities'] as const) {
    app.get(`/${table}`, async (c) => {
      const s = c.get('session');
      const cols = table === 'priorities' ? 'id, name, level' : 'id, name';
      const { rows } = await deps.db.query(
        `SELECT ${cols} FROM ${table} WHERE tenant_id = $1 ORDER BY name, id`,
        [s.tenantId],
      );
      return c.json({ [table]: rows });
    });
  }

  return app;
}
