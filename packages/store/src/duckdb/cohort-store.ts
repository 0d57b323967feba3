import { BIGINT, BOOLEAN, type DuckDBConnection, INTEGER, VARCHAR } from '@duckdb/node-api';
import { StoreError } from '../errors.js';
import type { Cohort, CohortInput, CohortMembers, CohortPatch, MetadataStore } from '../types.js';
import { exec, inTransaction, isoFromMs, params, rows, stringList, toNumber } from './sql.js';

// Cohort definitions and static member lists (migration 3). The definition (`filters`) is
// PostHog's JSON, validated by the query engine before it gets here; the store keeps it as is.

type CohortMethods = Pick<
  MetadataStore,
  | 'createCohort'
  | 'getCohort'
  | 'listCohorts'
  | 'updateCohort'
  | 'deleteCohort'
  | 'getCohortMembers'
>;

export interface CohortStoreDeps {
  readonly writer: DuckDBConnection;
  readonly now: () => number;
  write<T>(task: () => Promise<T>): Promise<T>;
  read<T>(task: (connection: DuckDBConnection) => Promise<T>): Promise<T>;
}

const COLUMNS =
  'id, project_id, name, description, is_static, filters::VARCHAR, epoch_ms(created_at), epoch_ms(updated_at)';

export function createCohortMethods(deps: CohortStoreDeps): CohortMethods {
  const { writer, now, write, read } = deps;

  const select = async (connection: DuckDBConnection, projectId: number, id: number) => {
    const p = params();
    const found = await rows(
      connection,
      `SELECT ${COLUMNS} FROM cohorts WHERE project_id = ${p.add(projectId, INTEGER)} AND id = ${p.add(id, INTEGER)}`,
      p,
    );
    return found[0] === undefined ? undefined : toCohort(found[0]);
  };

  const replaceMembers = async (cohortId: number, members: CohortMembers): Promise<void> => {
    const p = params();
    await exec(
      writer,
      `DELETE FROM cohort_static_members WHERE cohort_id = ${p.add(cohortId, INTEGER)}`,
      p,
    );
    for (const [kind, list] of [
      ['person_id', members.personIds],
      ['distinct_id', members.distinctIds],
    ] as const) {
      const values = [...new Set(list)];
      if (values.length === 0) continue;
      const q = params();
      await exec(
        writer,
        `INSERT INTO cohort_static_members SELECT ${q.add(cohortId, INTEGER)}, ${q.add(kind, VARCHAR)}, unnest(${q.add(...stringList(values))})`,
        q,
      );
    }
  };

  return {
    createCohort: (input: CohortInput) =>
      write(() =>
        inTransaction(writer, async () => {
          const p = params();
          const at = p.add(BigInt(now()), BIGINT);
          const found = await rows(
            writer,
            `INSERT INTO cohorts (project_id, name, description, is_static, filters, created_at, updated_at)
             VALUES (${p.add(input.projectId, INTEGER)}, ${p.add(input.name, VARCHAR)},
                     ${p.add(input.description, VARCHAR)}, ${p.add(input.isStatic, BOOLEAN)},
                     ${p.add(jsonText(input.filters), VARCHAR)}::JSON, epoch_ms(${at}), epoch_ms(${at}))
             RETURNING ${COLUMNS}`,
            p,
          );
          const cohort = toCohort(found[0] as unknown[]);
          if (input.members !== undefined) await replaceMembers(cohort.id, input.members);
          return cohort;
        }),
      ),
    getCohort: (projectId, id) => read((connection) => select(connection, projectId, id)),
    listCohorts: (projectId) =>
      read(async (connection) => {
        const p = params();
        const found = await rows(
          connection,
          `SELECT ${COLUMNS} FROM cohorts WHERE project_id = ${p.add(projectId, INTEGER)} ORDER BY id`,
          p,
        );
        return found.map(toCohort);
      }),
    updateCohort: (projectId, id, patch: CohortPatch) =>
      write(() =>
        inTransaction(writer, async () => {
          const current = await select(writer, projectId, id);
          if (current === undefined) return undefined;
          const p = params();
          const sets = [`updated_at = epoch_ms(${p.add(BigInt(now()), BIGINT)})`];
          if (patch.name !== undefined) sets.push(`name = ${p.add(patch.name, VARCHAR)}`);
          if (patch.description !== undefined)
            sets.push(`description = ${p.add(patch.description, VARCHAR)}`);
          if (patch.isStatic !== undefined)
            sets.push(`is_static = ${p.add(patch.isStatic, BOOLEAN)}`);
          if (patch.filters !== undefined)
            sets.push(`filters = ${p.add(jsonText(patch.filters), VARCHAR)}::JSON`);
          await exec(
            writer,
            `UPDATE cohorts SET ${sets.join(', ')} WHERE id = ${p.add(id, INTEGER)}`,
            p,
          );
          if (patch.members !== undefined) await replaceMembers(id, patch.members);
          return select(writer, projectId, id);
        }),
      ),
    deleteCohort: (projectId, id) =>
      write(() =>
        inTransaction(writer, async () => {
          const p = params();
          const deleted = await exec(
            writer,
            `DELETE FROM cohorts WHERE project_id = ${p.add(projectId, INTEGER)} AND id = ${p.add(id, INTEGER)}`,
            p,
          );
          if (deleted > 0) {
            const q = params();
            await exec(
              writer,
              `DELETE FROM cohort_static_members WHERE cohort_id = ${q.add(id, INTEGER)}`,
              q,
            );
          }
          return deleted > 0;
        }),
      ),
    getCohortMembers: (projectId, id) =>
      read(async (connection) => {
        const p = params();
        const found = await rows(
          connection,
          `SELECT m.kind, m.value FROM cohort_static_members m JOIN cohorts c ON c.id = m.cohort_id
           WHERE c.project_id = ${p.add(projectId, INTEGER)} AND c.id = ${p.add(id, INTEGER)}
           ORDER BY m.kind, m.value`,
          p,
        );
        const personIds: string[] = [];
        const distinctIds: string[] = [];
        for (const [kind, value] of found)
          (kind === 'person_id' ? personIds : distinctIds).push(String(value));
        return { personIds, distinctIds };
      }),
  };
}

function jsonText(filters: unknown): string | null {
  if (filters === null || filters === undefined) return null;
  const text = JSON.stringify(filters);
  if (text === undefined) throw new StoreError('invalid_input', 'filters');
  return text;
}

function toCohort(row: unknown[]): Cohort {
  return {
    id: toNumber(row[0]),
    projectId: toNumber(row[1]),
    name: String(row[2]),
    description: String(row[3]),
    isStatic: row[4] === true,
    filters: typeof row[5] === 'string' ? (JSON.parse(row[5]) as unknown) : null,
    createdAt: isoFromMs(row[6]),
    updatedAt: isoFromMs(row[7]),
  };
}
