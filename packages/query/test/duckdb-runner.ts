// Loads generated or hand-made datasets into a real DuckDB file through the store's public API
// (schema, hot columns, identity merges exactly as ingestion writes them), then reopens the file
// with DuckDBInstance and hands runQuery a SqlRunner, as the store will.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createDuckDbStore, type IdentityChange, type IngestEvent } from '@tally/store';
import type { SqlRunner } from '../src/index.js';
import type { Dataset } from './dataset.js';

export interface LoadedDatabase {
  readonly runner: SqlRunner;
  /** Statements run so far (for debugging a failing comparison). */
  readonly log: Array<{ sql: string; params: readonly unknown[] }>;
  close(): void;
}

/** The identity changes that give the store the dataset's persons and groups. */
export function identityChanges(dataset: Dataset, projectId: number): IdentityChange[] {
  const changes: IdentityChange[] = [];
  for (const person of dataset.persons) {
    const [first, ...others] = person.distinctIds;
    if (first === undefined) continue;
    changes.push({
      kind: 'person_seen',
      projectId,
      distinctId: first,
      set: person.properties,
      atMs: person.createdAtMs,
    });
    // `first` has the person, the others none yet: each merge attaches one more distinct id.
    for (const other of others)
      changes.push({
        kind: 'merge',
        projectId,
        distinctId: first,
        otherId: other,
        atMs: person.createdAtMs,
      });
  }
  for (const group of dataset.groups)
    changes.push({
      kind: 'group_set',
      projectId,
      groupTypeIndex: group.groupTypeIndex,
      groupKey: group.groupKey,
      set: group.properties,
      atMs: group.createdAtMs,
    });
  return changes;
}

export function ingestEvents(dataset: Dataset, projectId: number): IngestEvent[] {
  return dataset.events.map((event) => {
    const session = event.properties.$session_id;
    return {
      projectId,
      uuid: event.uuid,
      event: event.event,
      distinctId: event.distinctId,
      timestampMs: event.timestampMs,
      receivedAtMs: event.timestampMs,
      properties: event.properties,
      groups: event.groups,
      sessionId: typeof session === 'string' ? session : null,
      processPerson: event.personId !== null,
    };
  });
}

/**
 * One DuckDB file holding every dataset, dataset i as project i + 1. The store is closed
 * before the file is reopened: DuckDB allows one instance per file.
 */
export async function loadDatasets(datasets: readonly Dataset[]): Promise<LoadedDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'tally-query-'));
  const path = join(dir, 'tally.duckdb');
  const store = await createDuckDbStore({ path });
  try {
    for (const [i, dataset] of datasets.entries()) {
      const project = await store.metadata.createProject({ name: `p${i}`, token: `phc_t${i}` });
      const events = ingestEvents(dataset, project.id);
      const changes = identityChanges(dataset, project.id);
      for (let at = 0; at < Math.max(events.length, 1); at += 5000)
        await store.events.append(events.slice(at, at + 5000), at === 0 ? changes : []);
    }
  } finally {
    await store.close();
  }
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  const log: LoadedDatabase['log'] = [];
  const runner: SqlRunner = async (sql, params) => {
    log.push({ sql, params });
    const reader = await connection.runAndReadAll(sql, [...params]);
    return reader.getRowObjectsJS();
  };
  return {
    runner,
    log,
    close() {
      connection.closeSync();
      instance.closeSync();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
