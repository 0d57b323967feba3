import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { resolveConfig } from '../src/config.js';
import { openTally, type Tally } from '../src/server.js';

export const TOKEN = 'phc_testprojecttoken0001';
export const API_KEY = 'phx_testpersonalapikey0001';
export const BOOTSTRAP_ENV = {
  TALLY_BOOTSTRAP_TOKEN: TOKEN,
  TALLY_BOOTSTRAP_API_KEY: API_KEY,
  TALLY_BOOTSTRAP_ADMIN_EMAIL: 'admin@example.com',
  TALLY_BOOTSTRAP_ADMIN_PASSWORD: 'correct-horse-battery',
};

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'tally-server-'));
}

/** A Tally on a fresh data dir, in this process (no port): use `tally.app.fetch` or `request`. */
export async function openTestTally(
  overrides: Record<string, string> = {},
): Promise<Tally & { dataDir: string }> {
  const dataDir = tempDataDir();
  const config = resolveConfig({ dataDir }, { ...BOOTSTRAP_ENV, ...overrides });
  const tally = await openTally(config);
  return Object.assign(tally, { dataDir });
}

/** {@link openTestTally} with one `/batch/` of events ingested (it must be accepted). */
export async function openTestTallyWithBatch(
  batch: readonly unknown[],
): Promise<Tally & { dataDir: string }> {
  const tally = await openTestTally();
  const response = await tally.app.request('/batch/', {
    method: 'POST',
    body: JSON.stringify({ api_key: TOKEN, batch }),
  });
  if (response.status !== 200) throw new Error(`the batch was refused: ${response.status}`);
  return tally;
}

/** `fetch` that goes through the app in-process. */
export function inProcessFetch(tally: Tally): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) =>
    tally.app.fetch(new Request(input, init))) as typeof fetch;
}

export interface TallyProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly output: () => string;
  /** Waits for the process to exit and returns its code. */
  readonly exited: Promise<number | null>;
}

const RUN_CLI = fileURLToPath(new URL('./run-cli.ts', import.meta.url));

/** Starts `tally start` as a real process on port 0; resolves when it says it is ready. */
export function spawnTally(
  args: string[],
  env: Record<string, string> = {},
): Promise<TallyProcess> {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', RUN_CLI, 'start', '--port', '0', ...args],
    {
      env: { ...process.env, ...BOOTSTRAP_ENV, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`tally did not start in 30 s:\n${output}`)),
      30_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Tally is ready at (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1] as string, output: () => output, exited });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`tally exited with ${code} before it was ready:\n${output}`));
    });
  });
}

/** GET a read-API path with the personal key; throws on a non-2xx. */
export async function apiGet<T = unknown>(
  fetchFn: typeof fetch,
  base: string,
  path: string,
  key = API_KEY,
): Promise<T> {
  const response = await fetchFn(`${base}${path}`, { headers: { authorization: `Bearer ${key}` } });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export interface ApiEvent {
  uuid: string;
  event: string;
  distinct_id: string;
  person_id: string | null;
  properties: Record<string, unknown>;
  timestamp: string;
}

/** Every event of a query, following `next` pages. */
export async function allEvents(
  fetchFn: typeof fetch,
  base: string,
  query = '',
): Promise<ApiEvent[]> {
  const out: ApiEvent[] = [];
  let path: string | null = `/api/projects/1/events?limit=1000${query}`;
  while (path !== null) {
    const page: { results: ApiEvent[]; next: string | null } = await apiGet(fetchFn, base, path);
    out.push(...page.results);
    path = page.next;
  }
  return out;
}

/** The two places an API suite runs: through `app.fetch`, and against `tally start` as a process. */
export const API_TARGETS = ['in-process', 'real server'] as const;
export type ApiTargetName = (typeof API_TARGETS)[number];

export interface ApiTarget {
  readonly fetch: typeof fetch;
  readonly base: string;
  close(): Promise<void>;
}

async function openApiTarget(
  name: ApiTargetName,
  prepare: () => Promise<Tally & { dataDir: string }>,
): Promise<ApiTarget> {
  const tally = await prepare();
  if (name === 'in-process')
    return { fetch: inProcessFetch(tally), base: 'http://tally.test', close: () => tally.close() };
  // The real server runs on the data dir prepared in-process, once this process lets go of it.
  await tally.close();
  const server = await spawnTally(['--data-dir', tally.dataDir]);
  return {
    fetch,
    base: server.url,
    async close() {
      server.child.kill('SIGTERM');
      await server.exited;
    },
  };
}

/**
 * One JSON request to the target with a personal API key (the bootstrap one unless `key`): its
 * status and parsed body (`{}` when empty).
 *
 * @example
 * const { status, json } = await callApi(target(), 'PATCH', '/api/projects/1', { name: 'PSA' });
 */
export async function callApi(
  target: ApiTarget,
  method: string,
  path: string,
  body?: unknown,
  key = API_KEY,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await target.fetch(`${target.base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? {} : JSON.parse(text) };
}

/**
 * Opens the target on the Tally `prepare` returns before the suite's tests and closes it after
 * them; the getter is for use inside tests.
 *
 * @example
 * describe.each(API_TARGETS)('cohorts API (%s)', (name) => {
 *   const target = useApiTarget(name, prepare);
 *   it('lists cohorts', async () => { await target().fetch(`${target().base}/api/...`); });
 * });
 */
export function useApiTarget(
  name: ApiTargetName,
  prepare: () => Promise<Tally & { dataDir: string }>,
): () => ApiTarget {
  let target: ApiTarget | undefined;
  beforeAll(async () => {
    target = await openApiTarget(name, prepare);
  }, 60_000);
  afterAll(async () => {
    await target?.close();
  });
  return () => {
    if (target === undefined) throw new Error(`the ${name} target is opened in beforeAll`);
    return target;
  };
}
