import { createHash } from 'node:crypto';
import { BIGINT, BOOLEAN, type DuckDBConnection, INTEGER, VARCHAR } from '@duckdb/node-api';
import { StoreError } from '../errors.js';
import { MAX_GROUP_TYPES, type MetadataStore, type Project } from '../types.js';
import { createCohortMethods } from './cohort-store.js';
import type { Mutex, ReaderPool } from './connections.js';
import { createExperimentMethods } from './experiment-store.js';
import { createFlagMethods } from './flag-store.js';
import { hashPassword, type ScryptCost, verifyPassword } from './password.js';
import {
  bigintList,
  exec,
  inTransaction,
  intList,
  isoFromMs,
  params,
  rows,
  stringList,
  toNumber,
  toStoreError,
} from './sql.js';

export interface MetadataStoreDeps {
  /** Connection for metadata writes only (its own transactions, beside the event writer's). */
  readonly writer: DuckDBConnection;
  readonly writeLock: Mutex;
  readonly readers: ReaderPool;
  readonly now: () => number;
  readonly scryptCost: ScryptCost;
  readonly assertOpen: () => void;
}

/** Group type 0 of every new project (DESIGN.md: any insight can count tenants). */
export const TENANT_GROUP_TYPE = 'tenant';

const PROJECT_COLUMNS =
  'id, name, token, is_strict, timezone, epoch_ms(created_at), test_account_filters::VARCHAR';

export function createDuckDbMetadataStore(deps: MetadataStoreDeps): MetadataStore {
  const { writer, writeLock, readers, now, assertOpen } = deps;
  // Assigned indexes never change, so a hit needs no query: the server asks on every event.
  const groupTypeCache = new Map<string, number>();

  async function write<T>(task: () => Promise<T>): Promise<T> {
    assertOpen();
    try {
      return await writeLock.run(task);
    } catch (error) {
      throw toStoreError(error);
    }
  }

  async function read<T>(task: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    assertOpen();
    try {
      return await readers.use(task);
    } catch (error) {
      throw toStoreError(error);
    }
  }

  async function projectWhere(column: 'id' | 'token', value: number | string) {
    return read(async (connection) => {
      const p = params();
      const found = await rows(
        connection,
        `SELECT ${PROJECT_COLUMNS} FROM projects WHERE ${column} = ${p.add(value, column === 'id' ? INTEGER : VARCHAR)}`,
        p,
      );
      return found[0] === undefined ? undefined : toProject(found[0]);
    });
  }

  return {
    ...createCohortMethods({ writer, now, write, read }),
    ...createFlagMethods({ writer, now, write, read }),
    ...createExperimentMethods({ writer, now, write, read }),
    async createProject(input) {
      const timezone = input.timezone ?? 'UTC';
      checkTimezone(timezone);
      return write(() =>
        inTransaction(writer, async () => {
          const p = params();
          const found = await rows(
            writer,
            `INSERT INTO projects (name, token, timezone, created_at)
             VALUES (${p.add(input.name, VARCHAR)}, ${p.add(input.token, VARCHAR)},
                     ${p.add(timezone, VARCHAR)}, epoch_ms(${p.add(BigInt(now()), BIGINT)}))
             RETURNING ${PROJECT_COLUMNS}`,
            p,
          );
          const project = toProject(found[0] as unknown[]);
          const q = params();
          await exec(
            writer,
            `INSERT INTO group_type_mapping VALUES (${q.add(project.id, INTEGER)}, ${q.add(TENANT_GROUP_TYPE, VARCHAR)}, 0)`,
            q,
          );
          return project;
        }),
      );
    },
    getProject: (id) => projectWhere('id', id),
    getProjectByToken: (token) => projectWhere('token', token),
    listProjects: () =>
      read(async (connection) =>
        (await rows(connection, `SELECT ${PROJECT_COLUMNS} FROM projects ORDER BY id`)).map(
          toProject,
        ),
      ),
    async updateProject(id, patch) {
      if (patch.timezone !== undefined) checkTimezone(patch.timezone);
      return write(async () => {
        const p = params();
        const sets: string[] = [];
        if (patch.name !== undefined) sets.push(`name = ${p.add(patch.name, VARCHAR)}`);
        if (patch.timezone !== undefined) sets.push(`timezone = ${p.add(patch.timezone, VARCHAR)}`);
        if (patch.isStrict !== undefined)
          sets.push(`is_strict = ${p.add(patch.isStrict, BOOLEAN)}`);
        if (patch.testAccountFilters !== undefined)
          sets.push(
            `test_account_filters = ${p.add(JSON.stringify(patch.testAccountFilters), VARCHAR)}::JSON`,
          );
        if (sets.length > 0)
          await exec(
            writer,
            `UPDATE projects SET ${sets.join(', ')} WHERE id = ${p.add(id, INTEGER)}`,
            p,
          );
        const q = params();
        const found = await rows(
          writer,
          `SELECT ${PROJECT_COLUMNS} FROM projects WHERE id = ${q.add(id, INTEGER)}`,
          q,
        );
        return found[0] === undefined ? undefined : toProject(found[0]);
      });
    },
    async createApiKey(input) {
      const all = input.projectIds === 'all';
      const projectIds = all ? [] : [...(input.projectIds as readonly number[])];
      return write(async () => {
        const p = params();
        await exec(
          writer,
          `INSERT INTO api_keys VALUES (${p.add(sha256(input.key), VARCHAR)}, ${p.add(input.label, VARCHAR)},
             ${p.add(all, BOOLEAN)}, ${p.add(...intList(projectIds))}, epoch_ms(${p.add(BigInt(now()), BIGINT)}))`,
          p,
        );
      });
    },
    resolveApiKey: (key) =>
      read(async (connection) => {
        const p = params();
        const found = await rows(
          connection,
          `SELECT all_projects, project_ids FROM api_keys WHERE key_sha256 = ${p.add(sha256(key), VARCHAR)}`,
          p,
        );
        const row = found[0];
        if (row === undefined) return undefined;
        if (row[0] === true) return { projectIds: 'all' as const };
        return { projectIds: Object.freeze((row[1] as unknown[]).map(toNumber)) };
      }),
    async createUser(input) {
      const email = normalizeEmail(input.email);
      if (input.password === '') throw new StoreError('invalid_input', 'password');
      const hash = await hashPassword(input.password, deps.scryptCost);
      return write(async () => {
        const p = params();
        await exec(
          writer,
          `INSERT INTO users VALUES (${p.add(email, VARCHAR)}, ${p.add(hash, VARCHAR)}, epoch_ms(${p.add(BigInt(now()), BIGINT)}))`,
          p,
        );
      });
    },
    async verifyUser(email, password) {
      const found = await read(async (connection) => {
        const p = params();
        return rows(
          connection,
          `SELECT password_hash FROM users WHERE email = ${p.add(normalizeEmail(email), VARCHAR)}`,
          p,
        );
      });
      const stored = found[0]?.[0];
      // An unknown email costs one scrypt too, so timing does not tell which emails exist.
      if (typeof stored !== 'string') {
        await verifyPassword(password, await dummyHash(deps.scryptCost));
        return false;
      }
      return verifyPassword(password, stored);
    },
    async groupTypeIndex(projectId, groupType) {
      assertOpen();
      const cached = groupTypeCache.get(`${projectId}/${groupType}`);
      if (cached !== undefined) return cached;
      return write(() =>
        inTransaction(writer, async () => {
          const p = params();
          const found = await rows(
            writer,
            `SELECT group_type, group_type_index FROM group_type_mapping WHERE project_id = ${p.add(projectId, INTEGER)}`,
            p,
          );
          const used = new Map(found.map(([type, index]) => [String(type), toNumber(index)]));
          let index = used.get(groupType);
          if (index === undefined) {
            const taken = new Set(used.values());
            for (let i = 0; i < MAX_GROUP_TYPES && index === undefined; i++)
              if (!taken.has(i)) index = i;
            if (index === undefined) return undefined;
            const q = params();
            await exec(
              writer,
              `INSERT INTO group_type_mapping VALUES (${q.add(projectId, INTEGER)}, ${q.add(groupType, VARCHAR)}, ${q.add(index, INTEGER)})`,
              q,
            );
          }
          groupTypeCache.set(`${projectId}/${groupType}`, index);
          return index;
        }),
      );
    },
    groupTypes: (projectId) =>
      read(async (connection) => {
        const p = params();
        const found = await rows(
          connection,
          `SELECT group_type_index, group_type FROM group_type_mapping
           WHERE project_id = ${p.add(projectId, INTEGER)} ORDER BY group_type_index`,
          p,
        );
        return found.map(([index, groupType]) => ({
          index: toNumber(index),
          groupType: String(groupType),
        }));
      }),
    async addCounters(projectId, counts) {
      // One row per (kind, name): ON CONFLICT cannot update the same row twice in a statement.
      const totals = new Map<string, { kind: string; name: string; count: number }>();
      for (const { kind, name, count } of counts) {
        if (!Number.isSafeInteger(count) || count < 0)
          throw new StoreError('invalid_input', 'count');
        const key = JSON.stringify([kind, name]);
        const total = totals.get(key);
        if (total === undefined) totals.set(key, { kind, name, count });
        else total.count += count;
      }
      if (totals.size === 0) return;
      const list = [...totals.values()];
      return write(async () => {
        const p = params();
        await exec(
          writer,
          `INSERT INTO ingest_counters
           SELECT ${p.add(projectId, INTEGER)}, unnest(${p.add(...stringList(list.map((c) => c.kind)))}),
                  unnest(${p.add(...stringList(list.map((c) => c.name)))}),
                  unnest(${p.add(...bigintList(list.map((c) => c.count)))})
           ON CONFLICT (project_id, kind, name) DO UPDATE SET count = ingest_counters.count + excluded.count`,
          p,
        );
      });
    },
    getCounters: (projectId) =>
      read(async (connection) => {
        const p = params();
        const found = await rows(
          connection,
          `SELECT kind, name, count FROM ingest_counters WHERE project_id = ${p.add(projectId, INTEGER)}
           ORDER BY kind, name`,
          p,
        );
        return found.map(([kind, name, count]) => ({
          kind: String(kind),
          name: String(name),
          count: toNumber(count),
        }));
      }),
  };
}

function toProject(row: unknown[]): Project {
  return {
    id: toNumber(row[0]),
    name: String(row[1]),
    token: String(row[2]),
    isStrict: row[3] === true,
    timezone: String(row[4]),
    createdAt: isoFromMs(row[5]),
    // The column is nullable (migration 6); the store never writes NULL.
    testAccountFilters: row[6] === null ? [] : (JSON.parse(String(row[6])) as unknown[]),
  };
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

function normalizeEmail(email: string): string {
  const normalized = email.trim().toLowerCase();
  if (normalized === '' || !normalized.includes('@'))
    throw new StoreError('invalid_input', 'email');
  return normalized;
}

function checkTimezone(timezone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new StoreError('invalid_input', 'timezone');
  }
}

let dummy: Promise<string> | undefined;
function dummyHash(cost: ScryptCost): Promise<string> {
  dummy ??= hashPassword('tally-dummy-password', cost);
  return dummy;
}
