// The store gives persons its own ids; the reference uses the dataset's. These maps translate
// both ways through the distinct ids the two share.

import type { SqlRunner } from '../../src/index.js';
import type { Dataset } from '../dataset.js';

export interface PersonIdMaps {
  storeIdOf(datasetPersonId: string): string;
  datasetIdOf(storePersonId: string): string;
}

export async function personIdMaps(
  runner: SqlRunner,
  projectId: number,
  dataset: Dataset,
): Promise<PersonIdMaps> {
  const rows = await runner(
    'SELECT distinct_id, person_id::VARCHAR AS pid FROM person_distinct_ids WHERE project_id = CAST($1 AS INTEGER)',
    [projectId],
  );
  const byDistinctId = new Map(rows.map((row) => [String(row.distinct_id), String(row.pid)]));
  const toStore = new Map<string, string>();
  const toDataset = new Map<string, string>();
  for (const person of dataset.persons) {
    const storeId = byDistinctId.get(person.distinctIds[0] ?? '');
    if (storeId === undefined) throw new Error(`person ${person.id} is not in the store`);
    toStore.set(person.id, storeId);
    toDataset.set(storeId, person.id);
  }
  return {
    storeIdOf: (id) => toStore.get(id) ?? `unknown:${id}`,
    datasetIdOf: (id) => toDataset.get(id) ?? `unknown:${id}`,
  };
}
