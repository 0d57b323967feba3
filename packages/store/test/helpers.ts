import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach } from 'vitest';
import {
  createDuckDbStore,
  type DuckDbStoreOptions,
  type IdentityChange,
  type IngestEvent,
  type Store,
} from '../src/index.js';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');
export const FIXTURES = resolve(import.meta.dirname, 'fixtures');
export const T0 = Date.parse('2026-03-02T09:00:00.000Z');
/** scrypt at a test cost: the default takes tens of ms per hash. */
export const FAST_SCRYPT = { N: 1024, r: 8, p: 1 } as const;

/** Deterministic UUIDv4-shaped ids: `uuidAt(7)` is always the same id. */
export function uuidAt(n: number, prefix = '0000'): string {
  const hex = n.toString(16).padStart(12, '0');
  return `${prefix.padStart(8, '0')}-0000-4000-8000-${hex}`;
}

/** A temp dir per test, removed after it (with the .duckdb and .wal files in it). */
export function useTempDirs(): () => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-store-'));
    dirs.push(dir);
    return dir;
  };
}

/** Stores opened through this are closed after each test, even when it fails. */
export function useStores(): (options?: Partial<DuckDbStoreOptions>) => Promise<Store> {
  const open: Store[] = [];
  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
  });
  return async (options = {}) => {
    let seq = 0;
    const store = await createDuckDbStore({
      path: ':memory:',
      scryptCost: FAST_SCRYPT,
      randomUUID: () => uuidAt(++seq, 'ffff'),
      now: () => T0,
      ...options,
    });
    open.push(store);
    return store;
  };
}

export function makeEvent(overrides: Partial<IngestEvent> & { n?: number } = {}): IngestEvent {
  const { n = 1, ...rest } = overrides;
  return {
    projectId: 1,
    uuid: uuidAt(n),
    event: 'ticket_created',
    distinctId: 'user-1',
    timestampMs: T0 + n * 1000,
    receivedAtMs: T0 + n * 1000 + 50,
    properties: { priority: 'high', $lib: 'tally-node', app_version: '2.1.0' },
    groups: ['tenant-1'],
    sessionId: null,
    processPerson: true,
    ...rest,
  };
}

export function seen(
  distinctId: string,
  atMs: number,
  props: Omit<
    Extract<IdentityChange, { kind: 'person_seen' }>,
    'kind' | 'projectId' | 'distinctId' | 'atMs'
  > = {},
  projectId = 1,
): IdentityChange {
  return { kind: 'person_seen', projectId, distinctId, atMs, ...props };
}

export function merge(
  distinctId: string,
  otherId: string,
  atMs: number,
  projectId = 1,
): IdentityChange {
  return { kind: 'merge', projectId, distinctId, otherId, atMs };
}

/** A seeded PRNG (mulberry32): the same sequence of numbers in [0, 1) for a seed. */
export function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
