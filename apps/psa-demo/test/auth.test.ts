import { describe, expect, it } from 'vitest';
import { addUser, makeApp, signupTenant, uniqueEmail } from './helpers.js';

describe('signup, login, logout, sessions', () => {
  it('signs up a tenant whose admin can call the API with the returned token', async () => {
    const { call } = await makeApp();
    const t = await signupTenant(call);
    const me = await call('GET', '/auth/me', t.token);
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ email: t.email, role: 'admin', tenant_id: t.tenantId });
    expect(me.body.user.password_hash).toBeUndefined();
  });

  it('names the field of a validation error and never echoes the input', async () => {
    const { call } = await makeApp();
    const bad = await call('POST', '/auth/signup', undefined, {
      company_name: 'X',
      name: 'Y',
      email: 'not-an-email',
      password: 'long enough password',
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'validation_failed', field: 'email' });
    expect(JSON.stringify(bad.body)).not.toContain('not-an-email');
    const short = await call('POST', '/auth/signup', undefined, {
      company_name: 'X',
      name: 'Y',
      email: uniqueEmail('a'),
      password: 'short',
    });
    expect(short.body.field).toBe('password');
    const noBody = await call('POST', '/auth/login', undefined, '{not json');
    expect(noBody).toMatchObject({ status: 400, body: { field: 'body' } });
  });

  it('refuses a second account with the same email (409)', async () => {
    const { call } = await makeApp();
    const t = await signupTenant(call);
    const again = await call('POST', '/auth/signup', undefined, {
      company_name: 'Other',
      name: 'Z',
      email: t.email.toUpperCase(),
      password: 'another password',
    });
    expect(again).toMatchObject({ status: 409, body: { error: 'email_taken' } });
  });

  it('rejects a wrong password, an unknown email and a deactivated account with 401', async () => {
    const { call } = await makeApp();
    const t = await signupTenant(call);
    const wrong = await call('POST', '/auth/login', undefined, {
      email: t.email,
      password: 'nope',
    });
    expect(wrong).toMatchObject({ status: 401, body: { error: 'invalid_credentials' } });
    const unknown = await call('POST', '/auth/login', undefined, {
      email: uniqueEmail('ghost'),
      password: 'whatever1',
    });
    expect(unknown).toMatchObject({ status: 401, body: { error: 'invalid_credentials' } });
    const tech = await addUser(call, t.token, 'technician');
    expect(
      (await call('PATCH', `/api/users/${tech.id}`, t.token, { is_active: false })).status,
    ).toBe(200);
    const inactive = await call('POST', '/auth/login', undefined, {
      email: tech.email,
      password: 'password-123',
    });
    expect(inactive).toMatchObject({ status: 401, body: { error: 'inactive_account' } });
    // Deactivation also ends the sessions the user already had.
    expect((await call('GET', '/auth/me', tech.token)).status).toBe(401);
  });

  it('requires a bearer token, and logout revokes it', async () => {
    const { call } = await makeApp();
    const t = await signupTenant(call);
    expect((await call('GET', '/api/tickets')).body.error).toBe('unauthenticated');
    expect((await call('GET', '/api/tickets', 'forged-token')).status).toBe(401);
    expect((await call('POST', '/auth/logout', t.token)).status).toBe(204);
    expect((await call('GET', '/auth/me', t.token)).status).toBe(401);
  });

  it('expires a session after its time to live on the injected clock', async () => {
    const { call, clock } = await makeApp({ sessionTtlMs: 60 * 60_000 });
    const t = await signupTenant(call);
    clock.advanceMinutes(59);
    expect((await call('GET', '/auth/me', t.token)).status).toBe(200);
    clock.advanceMinutes(1);
    expect(await call('GET', '/auth/me', t.token)).toMatchObject({
      status: 401,
      body: { error: 'session_expired' },
    });
  });

  it('lets only admins add users, and checks a portal contact belongs to a client', async () => {
    const { call } = await makeApp();
    const t = await signupTenant(call);
    const tech = await addUser(call, t.token, 'technician');
    const denied = await call('POST', '/api/users', tech.token, {
      email: uniqueEmail('x'),
      name: 'X',
      role: 'technician',
    });
    expect(denied).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    const noClient = await call('POST', '/api/users', t.token, {
      email: uniqueEmail('c'),
      name: 'C',
      role: 'client_contact',
    });
    expect(noClient).toMatchObject({ status: 400, body: { field: 'client_id' } });
    const badRole = await call('POST', '/api/users', t.token, {
      email: uniqueEmail('c'),
      name: 'C',
      role: 'superuser',
    });
    expect(badRole.body.field).toBe('role');
  });
});
