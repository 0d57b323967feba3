import { planAllActors } from '../actors/all.js';
import { type GroupActor, shapeActors } from '../actors/shape.js';
import { QueryError } from '../errors.js';
import { queryContext } from '../query-context.js';
import { runStatements } from '../run.js';
import type { RunQueryOptions } from '../run-query.js';
import type { GroupsQuery } from '../spec/groups.js';
import type { Dialect } from '../sql/dialect.js';

// GroupsQuery's pipeline (PostHog's groups page: the tenants of one group type): parse
// (spec/groups.ts) -> plan (actors/all.ts, the persons list's plan with a group as the actor) ->
// sql (sql/duckdb/actors.ts) -> run -> shape (the actors' page, then GroupsQuery's columns).

/** The columns a GroupsQuery can select; PostHog's default is `group_name` alone. */
export const GROUP_COLUMNS = [
  'group_name',
  'key',
  'created_at',
  'group_type_index',
  'properties',
] as const;
export type GroupColumn = (typeof GROUP_COLUMNS)[number];
export const DEFAULT_GROUP_COLUMNS: readonly GroupColumn[] = ['group_name'];

export interface GroupsResponse {
  readonly kind: 'GroupsQuery';
  readonly columns: GroupColumn[];
  readonly results: unknown[][];
  readonly hasMore: boolean;
  readonly limit: number;
  readonly offset: number;
  readonly timezone: string;
}

export async function runGroups(
  query: GroupsQuery,
  options: RunQueryOptions,
  dialect: Dialect,
): Promise<GroupsResponse> {
  const columns = groupColumns(query.select);
  const ctx = await queryContext(options, dialect, undefined);
  // The actors list names the group's key `id`; the columns are picked from the actor object.
  const plan = planAllActors(
    { ...query, select: ['actor'] },
    { kind: 'group', index: query.group_type_index },
    ctx,
  );
  const [rows] = await runStatements([dialect.actors(plan)], options.runner);
  const page = shapeActors(plan, rows ?? []);
  const results = page.results.map(([actor]) =>
    columns.map((column) => cell(column, actor as GroupActor)),
  );
  const { hasMore, limit, offset } = page;
  return {
    kind: 'GroupsQuery',
    columns,
    results,
    hasMore,
    limit,
    offset,
    timezone: options.timezone,
  };
}

function groupColumns(select: GroupsQuery['select']): GroupColumn[] {
  const columns = (select ?? DEFAULT_GROUP_COLUMNS).map((column, i) => {
    if (!(GROUP_COLUMNS as readonly string[]).includes(column))
      throw new QueryError('invalid_query', `select[${i}]`, `one of ${GROUP_COLUMNS.join(', ')}`);
    return column as GroupColumn;
  });
  if (columns.length === 0) throw new QueryError('invalid_query', 'select', 'no columns');
  return columns;
}

function cell(column: GroupColumn, group: GroupActor): unknown {
  switch (column) {
    case 'group_name': {
      // PostHog: the `name` property, else the key.
      const name = group.properties.name;
      const shown = name === undefined || name === null ? group.group_key : String(name);
      return { display_name: shown, key: group.group_key };
    }
    case 'key':
      return group.group_key;
    case 'created_at':
      return group.created_at;
    case 'group_type_index':
      return group.group_type_index;
    case 'properties':
      return group.properties;
  }
}
