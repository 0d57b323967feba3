// Runs a TrendsQuery on a small hand-made dataset in a fresh DuckDB file.

import { runQuery, type TrendsResult } from '../../src/index.js';
import type { Dataset } from '../dataset.js';
import { loadDatasets } from '../duckdb-runner.js';

export async function trends(
  dataset: Dataset,
  query: Record<string, unknown>,
  options: { timezone?: string; now?: number; weekStartDay?: 0 | 1 } = {},
): Promise<TrendsResult[]> {
  const db = await loadDatasets([dataset]);
  try {
    const response = await runQuery(
      { kind: 'TrendsQuery', ...query },
      {
        projectId: 1,
        timezone: options.timezone ?? 'Europe/Berlin',
        now: options.now ?? Date.parse('2024-06-01T12:00:00Z'),
        runner: db.runner,
        ...(options.weekStartDay === undefined ? {} : { weekStartDay: options.weekStartDay }),
      },
    );
    return response.results;
  } finally {
    db.close();
  }
}

/** `{label: data}` for compact assertions. */
export function dataByLabel(results: readonly TrendsResult[]): Record<string, number[]> {
  return Object.fromEntries(results.map((r) => [r.label, r.data]));
}
