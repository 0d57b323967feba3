import {
  type DuckDBConnection,
  DuckDBDataChunkWriter,
  type JS,
  JSToDuckDBValueConverter,
} from '@duckdb/node-api';
import { StoreError } from '../errors.js';
import { type IdentityChange, MAX_GROUP_TYPES } from '../types.js';
import { groupKeys, planGroups } from './group-plan.js';
import { identityKeys, type LoadedPerson, planIdentity } from './identity-plan.js';
import {
  bigintList,
  boolList,
  exec,
  intList,
  params,
  parseJsonObject,
  rows,
  stringList,
  toNumber,
} from './sql.js';

// Writes a batch's identity changes inside the caller's transaction: one read per kind (persons
// of the batch's distinct ids, groups of its keys), a plan in memory, then one statement per
// kind of write. Nothing here runs per change, so a 5,000-event batch costs a few statements.

/** Applies `changes` on `connection` (already in a transaction); returns the refused merges. */
export async function applyIdentityChanges(
  connection: DuckDBConnection,
  changes: readonly IdentityChange[],
  newPersonId: () => string,
): Promise<{ refusedMergeIndexes: number[] }> {
  if (changes.length === 0) return { refusedMergeIndexes: [] };
  for (const change of changes) checkChange(change);
  const plan = planIdentity(changes, await loadPersons(connection, changes), newPersonId);
  await appendRows(
    connection,
    'persons',
    plan.insertPersons.map((p) => [
      p.projectId,
      p.id,
      p.properties,
      p.isIdentified,
      new Date(p.createdAtMs),
    ]),
  );
  if (plan.updatePersons.length > 0) {
    const u = plan.updatePersons;
    const p = params();
    await exec(
      connection,
      `UPDATE persons SET properties = u.properties, is_identified = u.is_identified,
         created_at = epoch_ms(u.created_ms)
       FROM (SELECT unnest(${p.add(...intList(u.map((r) => r.projectId)))}) AS project_id,
                    unnest(${p.add(...stringList(u.map((r) => r.id)))})::UUID AS id,
                    unnest(${p.add(...stringList(u.map((r) => r.properties)))}) AS properties,
                    unnest(${p.add(...boolList(u.map((r) => r.isIdentified)))}) AS is_identified,
                    unnest(${p.add(...bigintList(u.map((r) => r.createdAtMs)))}) AS created_ms) u
       WHERE persons.project_id = u.project_id AND persons.id = u.id`,
      p,
    );
  }
  if (plan.repoints.length > 0) {
    const m = plan.repoints;
    const p = params();
    await exec(
      connection,
      `UPDATE person_distinct_ids SET person_id = m.to_id
       FROM (SELECT unnest(${p.add(...intList(m.map((r) => r.projectId)))}) AS project_id,
                    unnest(${p.add(...stringList(m.map((r) => r.fromId)))})::UUID AS from_id,
                    unnest(${p.add(...stringList(m.map((r) => r.toId)))})::UUID AS to_id) m
       WHERE person_distinct_ids.project_id = m.project_id
         AND person_distinct_ids.person_id = m.from_id`,
      p,
    );
  }
  if (plan.deletePersons.length > 0) {
    const d = plan.deletePersons;
    const p = params();
    await exec(
      connection,
      `DELETE FROM persons
       USING (SELECT unnest(${p.add(...intList(d.map((r) => r.projectId)))}) AS project_id,
                     unnest(${p.add(...stringList(d.map((r) => r.id)))})::UUID AS id) d
       WHERE persons.project_id = d.project_id AND persons.id = d.id`,
      p,
    );
  }
  await appendRows(
    connection,
    'person_distinct_ids',
    plan.insertDistinctIds.map((r) => [r.projectId, r.distinctId, r.personId]),
  );
  await applyGroupChanges(connection, changes);
  return { refusedMergeIndexes: plan.refusedMergeIndexes };
}

async function loadPersons(connection: DuckDBConnection, changes: readonly IdentityChange[]) {
  const keys = identityKeys(changes);
  const persons = new Map<string, LoadedPerson>();
  const distinctIds: Array<{ projectId: number; distinctId: string; personId: string }> = [];
  if (keys.length === 0) return { persons: [], distinctIds };
  const p = params();
  const found = await rows(
    connection,
    `SELECT d.project_id, d.distinct_id, d.person_id::VARCHAR, p.properties, p.is_identified,
            epoch_ms(p.created_at)
     FROM (SELECT unnest(${p.add(...intList(keys.map((k) => k.projectId)))}) AS project_id,
                  unnest(${p.add(...stringList(keys.map((k) => k.distinctId)))}) AS distinct_id) k
     JOIN person_distinct_ids d ON d.project_id = k.project_id AND d.distinct_id = k.distinct_id
     JOIN persons p ON p.project_id = d.project_id AND p.id = d.person_id`,
    p,
  );
  for (const [projectId, distinctId, personId, properties, isIdentified, createdMs] of found) {
    const link = {
      projectId: toNumber(projectId),
      distinctId: String(distinctId),
      personId: String(personId),
    };
    distinctIds.push(link);
    persons.set(`${link.projectId}/${link.personId}`, {
      projectId: link.projectId,
      id: link.personId,
      properties: parseJsonObject(properties),
      isIdentified: isIdentified === true,
      createdAtMs: toNumber(createdMs),
    });
  }
  return { persons: [...persons.values()], distinctIds };
}

async function applyGroupChanges(
  connection: DuckDBConnection,
  changes: readonly IdentityChange[],
): Promise<void> {
  const keys = groupKeys(changes);
  if (keys.length === 0) return;
  const p = params();
  const found = await rows(
    connection,
    `SELECT g.project_id, g.group_type_index, g.group_key, g.properties, epoch_ms(g.created_at)
     FROM (SELECT unnest(${p.add(...intList(keys.map((k) => k.projectId)))}) AS project_id,
                  unnest(${p.add(...intList(keys.map((k) => k.groupTypeIndex)))}) AS group_type_index,
                  unnest(${p.add(...stringList(keys.map((k) => k.groupKey)))}) AS group_key) k
     JOIN groups g USING (project_id, group_type_index, group_key)`,
    p,
  );
  const plan = planGroups(
    changes,
    found.map(([projectId, index, key, properties, createdMs]) => ({
      projectId: toNumber(projectId),
      groupTypeIndex: toNumber(index),
      groupKey: String(key),
      properties: parseJsonObject(properties),
      createdAtMs: toNumber(createdMs),
    })),
  );
  await appendRows(
    connection,
    'groups',
    plan.insert.map((g) => [
      g.projectId,
      g.groupTypeIndex,
      g.groupKey,
      g.properties,
      new Date(g.createdAtMs),
    ]),
  );
  if (plan.update.length === 0) return;
  const u = plan.update;
  const q = params();
  await exec(
    connection,
    `UPDATE groups SET properties = u.properties, created_at = epoch_ms(u.created_ms)
     FROM (SELECT unnest(${q.add(...intList(u.map((r) => r.projectId)))}) AS project_id,
                  unnest(${q.add(...intList(u.map((r) => r.groupTypeIndex)))}) AS group_type_index,
                  unnest(${q.add(...stringList(u.map((r) => r.groupKey)))}) AS group_key,
                  unnest(${q.add(...stringList(u.map((r) => r.properties)))}) AS properties,
                  unnest(${q.add(...bigintList(u.map((r) => r.createdAtMs)))}) AS created_ms) u
     WHERE groups.project_id = u.project_id AND groups.group_type_index = u.group_type_index
       AND groups.group_key = u.group_key`,
    q,
  );
}

/** Appender rows into `table` inside the open transaction (the fastest write path, §2). */
export async function appendRows(
  connection: DuckDBConnection,
  table: string,
  values: JS[][],
): Promise<void> {
  if (values.length === 0) return;
  const appender = await connection.createAppender(table);
  try {
    const writer = DuckDBDataChunkWriter.forAppender(appender, {
      converter: JSToDuckDBValueConverter,
    });
    for (const row of values) writer.appendRow(row);
    writer.flush();
    appender.flushSync();
  } finally {
    try {
      appender.closeSync();
    } catch {
      // Closing an appender whose flush failed throws the same error again; the first one wins.
    }
  }
}

function checkChange(change: IdentityChange): void {
  if (!Number.isInteger(change.projectId) || change.projectId < 1)
    throw new StoreError('invalid_input', 'change projectId');
  if (!Number.isFinite(change.atMs)) throw new StoreError('invalid_input', 'change atMs');
  if (
    change.kind === 'group_set' &&
    !(
      Number.isInteger(change.groupTypeIndex) &&
      change.groupTypeIndex >= 0 &&
      change.groupTypeIndex < MAX_GROUP_TYPES
    )
  )
    throw new StoreError('invalid_input', 'groupTypeIndex');
}
