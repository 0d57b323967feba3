import { QueryError } from '../errors.js';
import type { ActorsQuery } from '../spec/insights.js';

// Part of the actors plan stage: ActorsQuery's `select`, `orderBy`, `limit` and `offset` checked
// and resolved once. Every order ends with the actor id, so pages are deterministic. A list with
// a source (the actors behind a data point) and one without (every person of the project, as
// PostHog's persons page asks) differ in their defaults and in what they can order by.

/**
 * Columns an actors list can return. `actor` (or PostHog's `person` / `group`) is the actor
 * object; `event_count` the actor's events behind the data point (funnels: the steps its
 * counted attempt filled); `appearances` (retention only, PostHog's) the periods after the
 * cohort's in which the actor is counted in the cohort's row, 0 first; `matched_recordings` is
 * always empty (Tally has no recordings).
 */
export const ACTOR_COLUMNS = [
  'actor',
  'person',
  'group',
  'id',
  'distinct_ids',
  'event_count',
  'created_at',
  'appearances',
  'matched_recordings',
] as const;
export type ActorColumn = (typeof ACTOR_COLUMNS)[number];

export const DEFAULT_ACTOR_COLUMNS: readonly ActorColumn[] = ['actor', 'event_count'];
/** Without a source: no event count, and the creation time the default order is by. */
export const DEFAULT_ALL_ACTOR_COLUMNS: readonly ActorColumn[] = ['actor', 'id', 'created_at'];
/** PostHog's default page size for actors. */
export const DEFAULT_ACTORS_LIMIT = 100;

export type ActorsOrderKey = 'event_count' | 'id' | 'created_at';

/** `point`: the actors behind a data point (a source); `all`: every actor of the project. */
export type ActorsListKind = 'point' | 'all';

interface ListRules {
  readonly columns: readonly ActorColumn[];
  /** PostHog's persons list is newest first; a point's list, most events first. */
  readonly order: readonly string[];
  readonly orderKeys: readonly ActorsOrderKey[];
  /** Columns that mean nothing for this kind of list. */
  readonly refused: readonly ActorColumn[];
}

const RULES: Readonly<Record<ActorsListKind, ListRules>> = {
  point: {
    columns: DEFAULT_ACTOR_COLUMNS,
    order: ['event_count DESC'],
    orderKeys: ['event_count', 'id'],
    refused: [],
  },
  all: {
    columns: DEFAULT_ALL_ACTOR_COLUMNS,
    order: ['created_at DESC'],
    orderKeys: ['created_at', 'id'],
    refused: ['event_count', 'appearances'],
  },
};

export interface ActorsOrderTerm {
  readonly key: ActorsOrderKey;
  readonly descending: boolean;
}

export interface ActorsPage {
  readonly columns: readonly ActorColumn[];
  /**
   * PostHog's `search`, lower-cased: a person whose id, a distinct id, `email` or `name`
   * contains it; a group whose key or `name` does. Null = every actor.
   */
  readonly search: string | null;
  /** Always ends with `id` (ascending unless asked otherwise). */
  readonly order: readonly ActorsOrderTerm[];
  readonly limit: number;
  readonly offset: number;
}

const ORDER_KEYS: Readonly<Record<string, ActorsOrderKey>> = {
  event_count: 'event_count',
  created_at: 'created_at',
  id: 'id',
  actor_id: 'id',
  person_id: 'id',
  key: 'id',
  group_key: 'id',
};

const ORDER_TERM = /^\s*([a-z_]+)(?:\s+(asc|desc))?\s*$/i;

export function actorsPage(
  query: Pick<ActorsQuery, 'select' | 'orderBy' | 'search' | 'limit' | 'offset'>,
  kind: ActorsListKind = 'point',
): ActorsPage {
  const rules = RULES[kind];
  const columns = (query.select ?? rules.columns).map((column, i) => {
    if (!(ACTOR_COLUMNS as readonly string[]).includes(column))
      throw new QueryError('invalid_query', `select[${i}]`, `one of ${ACTOR_COLUMNS.join(', ')}`);
    if ((rules.refused as readonly string[]).includes(column))
      throw new QueryError('invalid_query', `select[${i}]`, 'only for the actors of a data point');
    return column as ActorColumn;
  });
  if (columns.length === 0) throw new QueryError('invalid_query', 'select', 'no columns');
  const order: ActorsOrderTerm[] = (query.orderBy ?? rules.order).map((text, i) => {
    const match = ORDER_TERM.exec(text);
    const key = match === null ? undefined : ORDER_KEYS[(match[1] ?? '').toLowerCase()];
    if (match === null || key === undefined || !rules.orderKeys.includes(key))
      throw new QueryError(
        'invalid_query',
        `orderBy[${i}]`,
        `expected ${rules.orderKeys.join(' or ')}, ASC/DESC`,
      );
    return { key, descending: (match[2] ?? 'asc').toLowerCase() === 'desc' };
  });
  if (!order.some((term) => term.key === 'id')) order.push({ key: 'id', descending: false });
  const search = (query.search ?? '').trim().toLowerCase();
  return {
    columns,
    search: search === '' ? null : search,
    order,
    limit: query.limit ?? DEFAULT_ACTORS_LIMIT,
    offset: query.offset ?? 0,
  };
}
