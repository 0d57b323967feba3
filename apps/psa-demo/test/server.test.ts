import { servePsaDemo } from '@tally/psa-demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The same API once over a real socket (port 0), as the simulator will drive it.
describe('psa-demo on a real server', () => {
  let server: Awaited<ReturnType<typeof servePsaDemo>>;
  beforeAll(async () => {
    server = await servePsaDemo({ port: 0 });
  }, 60_000); // PGlite's WASM start takes seconds on a loaded machine
  afterAll(async () => {
    await server.close();
  });

  it('signs up, files a ticket and finds it over HTTP', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    const post = async (path: string, body: unknown, token?: string) =>
      fetch(base + path, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        },
        body: JSON.stringify(body),
      });
    const signup = await post('/auth/signup', {
      company_name: 'Wire MSP',
      name: 'Wendy',
      email: `wendy.${process.pid}@example.com`,
      password: 'long enough',
    });
    expect(signup.status).toBe(201);
    const { token } = (await signup.json()) as { token: string };
    const auth = { authorization: `Bearer ${token}` };
    const boards = (await (await fetch(`${base}/api/boards`, { headers: auth })).json()) as {
      boards: Array<{ id: string }>;
    };
    const priorities = (await (
      await fetch(`${base}/api/priorities`, { headers: auth })
    ).json()) as {
      priorities: Array<{ id: string }>;
    };
    const created = await post(
      '/api/tickets',
      {
        title: 'Wifi drops',
        board_id: boards.boards[0]?.id,
        priority_id: priorities.priorities[0]?.id,
      },
      token,
    );
    expect(created.status).toBe(201);
    const found = await fetch(`${base}/api/tickets?q=wifi`, { headers: auth });
    expect(((await found.json()) as { total: number }).total).toBe(1);
    expect((await fetch(`${base}/api/tickets`)).status).toBe(401);
  });
});
