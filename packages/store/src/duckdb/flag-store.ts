import { BIGINT, BOOLEAN, type DuckDBConnection, INTEGER, VARCHAR } from '@duckdb/node-api';
import { StoreError } from '../errors.js';
import type { FeatureFlag, FeatureFlagInput, FeatureFlagPatch, MetadataStore } from '../types.js';
import { exec, inTransaction, isoFromMs, params, rows, toNumber } from './sql.js';

// Feature flag definitions (migration 4). The definition (`filters`) was validated by
// @tally/flags before it got here; the store keeps it as is and guards the key's uniqueness.

type FlagMethods = Pick<
  MetadataStore,
  'createFeatureFlag' | 'getFeatureFlag' | 'listFeatureFlags' | 'updateFeatureFlag'
>;

export interface FlagStoreDeps {
  readonly writer: DuckDBConnection;
  readonly now: () => number;
  write<T>(task: () => Promise<T>): Promise<T>;
  read<T>(task: (connection: DuckDBConnection) => Promise<T>): Promise<T>;
}

const COLUMNS = `id, project_id, key, name, active, deleted, ensure_experience_continuity,
  filters::VARCHAR, version, epoch_ms(created_at), epoch_ms(updated_at)`;

export function createFlagMethods(deps: FlagStoreDeps): FlagMethods {
  const { writer, now, write, read } = deps;

  const select = async (connection: DuckDBConnection, projectId: number, id: number) => {
    const p = params();
    const found = await rows(
      connection,
      `SELECT ${COLUMNS} FROM feature_flags WHERE project_id = ${p.add(projectId, INTEGER)} AND id = ${p.add(id, INTEGER)}`,
      p,
    );
    return found[0] === undefined ? undefined : toFlag(found[0]);
  };

  /** Throws `conflict` when another live flag of the project has the key. */
  const checkKeyFree = async (projectId: number, key: string, exceptId: number | null) => {
    const p = params();
    const found = await rows(
      writer,
      `SELECT id FROM feature_flags WHERE project_id = ${p.add(projectId, INTEGER)}
         AND key = ${p.add(key, VARCHAR)} AND NOT deleted
         AND id <> ${p.add(exceptId ?? 0, INTEGER)}`,
      p,
    );
    if (found.length > 0) throw new StoreError('conflict', 'key');
  };

  return {
    createFeatureFlag: (input: FeatureFlagInput) =>
      write(() =>
        inTransaction(writer, async () => {
          await checkKeyFree(input.projectId, input.key, null);
          const p = params();
          const at = p.add(BigInt(now()), BIGINT);
          const found = await rows(
            writer,
            `INSERT INTO feature_flags (project_id, key, name, active, deleted,
               ensure_experience_continuity, filters, version, created_at, updated_at)
             VALUES (${p.add(input.projectId, INTEGER)}, ${p.add(input.key, VARCHAR)},
               ${p.add(input.name, VARCHAR)}, ${p.add(input.active, BOOLEAN)}, false,
               ${p.add(input.ensureExperienceContinuity, BOOLEAN)},
               ${p.add(jsonText(input.filters), VARCHAR)}::JSON, 1, epoch_ms(${at}), epoch_ms(${at}))
             RETURNING ${COLUMNS}`,
            p,
          );
          return toFlag(found[0] as unknown[]);
        }),
      ),
    getFeatureFlag: (projectId, id) => read((connection) => select(connection, projectId, id)),
    listFeatureFlags: (projectId, options = {}) =>
      read(async (connection) => {
        const p = params();
        const live = options.includeDeleted === true ? '' : ' AND NOT deleted';
        const found = await rows(
          connection,
          `SELECT ${COLUMNS} FROM feature_flags WHERE project_id = ${p.add(projectId, INTEGER)}${live} ORDER BY id`,
          p,
        );
        return found.map(toFlag);
      }),
    updateFeatureFlag: (projectId, id, patch: FeatureFlagPatch) =>
      write(() =>
        inTransaction(writer, async () => {
          const current = await select(writer, projectId, id);
          if (current === undefined) return undefined;
          const key = patch.key ?? current.key;
          // Renaming a live flag, or bringing a deleted one back, must not duplicate a key.
          if (!(patch.deleted ?? current.deleted)) await checkKeyFree(projectId, key, id);
          const p = params();
          const sets = [
            `updated_at = epoch_ms(${p.add(BigInt(now()), BIGINT)})`,
            'version = version + 1',
          ];
          if (patch.key !== undefined) sets.push(`key = ${p.add(patch.key, VARCHAR)}`);
          if (patch.name !== undefined) sets.push(`name = ${p.add(patch.name, VARCHAR)}`);
          if (patch.active !== undefined) sets.push(`active = ${p.add(patch.active, BOOLEAN)}`);
          if (patch.deleted !== undefined) sets.push(`deleted = ${p.add(patch.deleted, BOOLEAN)}`);
          if (patch.ensureExperienceContinuity !== undefined)
            sets.push(
              `ensure_experience_continuity = ${p.add(patch.ensureExperienceContinuity, BOOLEAN)}`,
            );
          if (patch.filters !== undefined)
            sets.push(`filters = ${p.add(jsonText(patch.filters), VARCHAR)}::JSON`);
          await exec(
            writer,
            `UPDATE feature_flags SET ${sets.join(', ')} WHERE id = ${p.add(id, INTEGER)}`,
            p,
          );
          return select(writer, projectId, id);
        }),
      ),
  };
}

function jsonText(filters: unknown): string {
  const text = JSON.stringify(filters);
  if (text === undefined) throw new StoreError('invalid_input', 'filters');
  return text;
}

function toFlag(row: unknown[]): FeatureFlag {
  return {
    id: toNumber(row[0]),
    projectId: toNumber(row[1]),
    key: String(row[2]),
    name: String(row[3]),
    active: row[4] === true,
    deleted: row[5] === true,
    ensureExperienceContinuity: row[6] === true,
    filters: JSON.parse(String(row[7])) as unknown,
    version: toNumber(row[8]),
    createdAt: isoFromMs(row[9]),
    updatedAt: isoFromMs(row[10]),
  };
}
