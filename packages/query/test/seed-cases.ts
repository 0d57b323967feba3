// The skeleton of the SQL-against-reference tests: the datasets of a test file (one generated
// per seed, or hand-made fixtures) loaded into one DuckDB file for all of the file's tests.

import { afterAll, beforeAll } from 'vitest';
import type { Dataset } from './dataset.js';
import { type LoadedDatabase, loadDatasets } from './duckdb-runner.js';

export interface SeedRange {
  count: number;
  /** Seeds are `firstSeed`, `firstSeed + 1`, ... (default 1). */
  firstSeed?: number;
}

export type SeedCase<T> = { seed: number; projectId: number } & T;

/**
 * One case per seed, `make(seed)` plus the seed and its project id. Case i is project i + 1,
 * the id {@link loadDatasets} gives dataset i.
 *
 * @example
 * const cases = seedCases({ count: 60 }, (seed) => ({ dataset: generateDataset(seed) }));
 */
export function seedCases<T extends { dataset: Dataset }>(
  { count, firstSeed = 1 }: SeedRange,
  make: (seed: number) => T,
): Array<SeedCase<T>> {
  return Array.from({ length: count }, (_, i) => {
    const seed = firstSeed + i;
    return { seed, projectId: i + 1, ...make(seed) };
  });
}

/**
 * Loads the datasets (dataset i as project i + 1) before the file's tests and closes the
 * database after them. The getter throws when called before `beforeAll` has run (at collection
 * time, say).
 *
 * @example
 * const db = useLoadedDatasets([daily, weekly]);
 * it('counts', async () => { await runQuery(query, { projectId: 2, runner: db().runner }); });
 */
export function useLoadedDatasets(datasets: readonly Dataset[]): () => LoadedDatabase {
  let db: LoadedDatabase | undefined;
  beforeAll(async () => {
    db = await loadDatasets(datasets);
  }, 120_000);
  afterAll(() => db?.close());
  return () => {
    if (db === undefined) throw new Error('the datasets are loaded in beforeAll');
    return db;
  };
}

/** {@link useLoadedDatasets} for the cases of {@link seedCases}: case i is project i + 1. */
export function useLoadedCases(cases: ReadonlyArray<{ dataset: Dataset }>): () => LoadedDatabase {
  return useLoadedDatasets(cases.map((c) => c.dataset));
}
