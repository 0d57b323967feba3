import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '../errors.js';
import { claimPath } from './path-guard.js';

describe('claimPath', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a second claim on the same file until the first is released', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-guard-'));
    dirs.push(dir);
    const release = claimPath(join(dir, 'a.duckdb'));
    expect(() => claimPath(join(dir, 'a.duckdb'))).toThrow(StoreError);
    expect(() => claimPath(join(dir, '.', 'x', '..', 'a.duckdb'))).toThrow(/in use/);
    release();
    release();
    claimPath(join(dir, 'a.duckdb'))();
  });

  it('sees through a symlinked directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-guard-'));
    dirs.push(dir);
    symlinkSync(dir, join(dir, 'link'));
    const release = claimPath(join(dir, 'b.duckdb'));
    expect(() => claimPath(join(dir, 'link', 'b.duckdb'))).toThrow(/in use/);
    release();
  });

  it('never guards in-memory databases', () => {
    claimPath(':memory:');
    claimPath(':memory:')();
  });
});
