import type { PGlite } from '@electric-sql/pglite';
import {
  createPsaApp,
  createSequentialIds,
  openPsaDatabase,
  type PsaAppOptions,
} from '@tally/psa-demo';
import { expect } from 'vitest';

export const START = new Date('2026-03-02T09:00:00.000Z'); // a Monday

/** A fake clock the tests move by hand. */
export function createClock(start = START) {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    advanceMinutes: (m: number) => {
      t += m * 60_000;
    },
  };
}

let sharedDb: Promise<PGlite> | undefined;

/** One in-memory database per test file; each test signs up fresh tenants, so they never share rows. */
export async function makeApp(options: Partial<PsaAppOptions> = {}) {
  sharedDb ??= openPsaDatabase();
  const db = await sharedDb;
  const clock = createClock();
  const app = createPsaApp({ db, now: clock.now, ids: createSequentialIds(++apps), ...options });
  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    const res = await app.request(path, {
      method,
      headers,
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    // biome-ignore lint/suspicious/noExplicitAny: test responses are asserted field by field
    const json: any = text === '' ? null : JSON.parse(text);
    return { status: res.status, body: json };
  };
  return { app, db, clock, call };
}
let apps = 0;
let emails = 0;

export type Api = Awaited<ReturnType<typeof makeApp>>['call'];

export function uniqueEmail(name: string): string {
  emails += 1;
  return `${name}.${emails}.${process.pid}@example.com`;
}

/** Signs up a tenant; returns its admin's token, the tenant id and its reference data. */
export async function signupTenant(call: Api, company = 'Acme IT') {
  const email = uniqueEmail('owner');
  const res = await call('POST', '/auth/signup', undefined, {
    company_name: company,
    name: 'Olivia Owner',
    email,
    password: 'correct horse battery',
  });
  expect(res.status).toBe(201);
  const token: string = res.body.token;
  const boards = (await call('GET', '/api/boards', token)).body.boards;
  const priorities = (await call('GET', '/api/priorities', token)).body.priorities;
  const categories = (await call('GET', '/api/categories', token)).body.categories;
  return {
    token,
    email,
    tenantId: res.body.tenant.id as string,
    userId: res.body.user.id as string,
    board: boards[0].id as string,
    priority: (priorities as Array<{ id: string; level: string }>).find((p) => p.level === 'high')
      ?.id as string,
    category: categories[0].id as string,
  };
}

/** Adds a user with a role and signs them in. */
export async function addUser(
  call: Api,
  adminToken: string,
  role: string,
  extra: Record<string, unknown> = {},
) {
  const email = uniqueEmail(role);
  const created = await call('POST', '/api/users', adminToken, {
    email,
    name: `${role} person`,
    role,
    password: 'password-123',
    ...extra,
  });
  expect(created.status).toBe(201);
  const login = await call('POST', '/auth/login', undefined, { email, password: 'password-123' });
  expect(login.status).toBe(200);
  return { id: created.body.user.id as string, email, token: login.body.token as string };
}
