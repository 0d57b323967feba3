import { BIGINT, BOOLEAN, type DuckDBConnection, INTEGER, VARCHAR } from '@duckdb/node-api';
import { StoreError } from '../errors.js';
import type { Experiment, ExperimentInput, ExperimentPatch, MetadataStore } from '../types.js';
import type { FlagStoreDeps } from './flag-store.js';
import { exec, inTransaction, isoFromMs, params, rows, toNumber } from './sql.js';

// Experiments (migration 5). The definition (`parameters`, `metrics`) was validated by
// @tally/query and checked against its flag by the server; the store keeps it as is.

type ExperimentMethods = Pick<
  MetadataStore,
  'createExperiment' | 'getExperiment' | 'listExperiments' | 'updateExperiment'
>;

const COLUMNS = `id, project_id, name, description, feature_flag_id, parameters::VARCHAR,
  metrics::VARCHAR, epoch_ms(start_date), epoch_ms(end_date), archived, epoch_ms(created_at),
  epoch_ms(updated_at)`;

export function createExperimentMethods(deps: FlagStoreDeps): ExperimentMethods {
  const { writer, now, write, read } = deps;

  const select = async (connection: DuckDBConnection, projectId: number, id: number) => {
    const p = params();
    const found = await rows(
      connection,
      `SELECT ${COLUMNS} FROM experiments WHERE project_id = ${p.add(projectId, INTEGER)} AND id = ${p.add(id, INTEGER)}`,
      p,
    );
    return found[0] === undefined ? undefined : toExperiment(found[0]);
  };

  return {
    createExperiment: (input: ExperimentInput) =>
      write(async () => {
        const p = params();
        const at = p.add(BigInt(now()), BIGINT);
        const found = await rows(
          writer,
          `INSERT INTO experiments (project_id, name, description, feature_flag_id, parameters,
             metrics, start_date, end_date, archived, created_at, updated_at)
           VALUES (${p.add(input.projectId, INTEGER)}, ${p.add(input.name, VARCHAR)},
             ${p.add(input.description, VARCHAR)}, ${p.add(input.featureFlagId, INTEGER)},
             ${p.add(jsonText(input.parameters, 'parameters'), VARCHAR)}::JSON,
             ${p.add(jsonText(input.metrics, 'metrics'), VARCHAR)}::JSON, NULL, NULL, false,
             epoch_ms(${at}), epoch_ms(${at}))
           RETURNING ${COLUMNS}`,
          p,
        );
        return toExperiment(found[0] as unknown[]);
      }),
    getExperiment: (projectId, id) => read((connection) => select(connection, projectId, id)),
    listExperiments: (projectId) =>
      read(async (connection) => {
        const p = params();
        const found = await rows(
          connection,
          `SELECT ${COLUMNS} FROM experiments WHERE project_id = ${p.add(projectId, INTEGER)} ORDER BY id`,
          p,
        );
        return found.map(toExperiment);
      }),
    updateExperiment: (projectId, id, patch: ExperimentPatch) =>
      write(() =>
        inTransaction(writer, async () => {
          if ((await select(writer, projectId, id)) === undefined) return undefined;
          const p = params();
          const sets = [`updated_at = epoch_ms(${p.add(BigInt(now()), BIGINT)})`];
          if (patch.name !== undefined) sets.push(`name = ${p.add(patch.name, VARCHAR)}`);
          if (patch.description !== undefined)
            sets.push(`description = ${p.add(patch.description, VARCHAR)}`);
          if (patch.parameters !== undefined)
            sets.push(
              `parameters = ${p.add(jsonText(patch.parameters, 'parameters'), VARCHAR)}::JSON`,
            );
          if (patch.metrics !== undefined)
            sets.push(`metrics = ${p.add(jsonText(patch.metrics, 'metrics'), VARCHAR)}::JSON`);
          if (patch.startMs !== undefined) sets.push(`start_date = ${dateSql(p, patch.startMs)}`);
          if (patch.endMs !== undefined) sets.push(`end_date = ${dateSql(p, patch.endMs)}`);
          if (patch.archived !== undefined)
            sets.push(`archived = ${p.add(patch.archived, BOOLEAN)}`);
          await exec(
            writer,
            `UPDATE experiments SET ${sets.join(', ')} WHERE id = ${p.add(id, INTEGER)}`,
            p,
          );
          return select(writer, projectId, id);
        }),
      ),
  };
}

function dateSql(p: ReturnType<typeof params>, ms: number | null): string {
  if (ms === null) return 'NULL';
  if (!Number.isSafeInteger(ms)) throw new StoreError('invalid_input', 'date');
  return `epoch_ms(${p.add(BigInt(ms), BIGINT)})`;
}

function jsonText(value: unknown, field: string): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new StoreError('invalid_input', field);
  return text;
}

const isoOrNull = (ms: unknown): string | null => (ms === null ? null : isoFromMs(ms));

function toExperiment(row: unknown[]): Experiment {
  return {
    id: toNumber(row[0]),
    projectId: toNumber(row[1]),
    name: String(row[2]),
    description: String(row[3]),
    featureFlagId: toNumber(row[4]),
    parameters: JSON.parse(String(row[5])) as unknown,
    metrics: JSON.parse(String(row[6])) as unknown,
    startDate: isoOrNull(row[7]),
    endDate: isoOrNull(row[8]),
    archived: row[9] === true,
    createdAt: isoFromMs(row[10]),
    updatedAt: isoFromMs(row[11]),
  };
}
