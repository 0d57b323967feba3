import { z } from 'zod';
import { formatPath, QueryError } from '../errors.js';
import { GroupsQuery } from './groups.js';
import {
  ActorsQuery,
  FunnelsQuery,
  LifecycleQuery,
  RetentionQuery,
  StickinessQuery,
} from './insights.js';
import { TrendsQuery } from './trends.js';

export const QueryNode = z.discriminatedUnion('kind', [
  TrendsQuery,
  FunnelsQuery,
  RetentionQuery,
  StickinessQuery,
  LifecycleQuery,
  ActorsQuery,
  GroupsQuery,
]);
export type QueryNode = z.infer<typeof QueryNode>;
export type QueryKind = QueryNode['kind'];

/**
 * Validates a PostHog-shaped query node. Throws QueryError `invalid_query` naming the first bad
 * field (`series[0].math`); unknown keys are dropped, not refused.
 *
 * @example
 * const query = parseQuery({ kind: 'TrendsQuery', series: [{ kind: 'EventsNode', event: 'ticket_created' }] });
 */
export function parseQuery(input: unknown): QueryNode {
  return parseSpec(QueryNode, input);
}

/**
 * `input` through `schema`; a failure is QueryError `invalid_query` naming the first bad field
 * below `prefix` (`test_account_filters[0].operator`).
 */
export function parseSpec<T>(
  schema: z.ZodType<T>,
  input: unknown,
  prefix: readonly PropertyKey[] = [],
): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue === undefined)
    throw new QueryError('invalid_query', prefix.length === 0 ? undefined : formatPath(prefix));
  const found = deepest(issue, prefix);
  throw new QueryError('invalid_query', formatPath(found.path), found.message);
}

/**
 * A union (`properties`: list or group) reports "no branch matched" at its own path; the
 * branch issue that got furthest names the field better (`properties[0].group_type_index`).
 */
function deepest(
  issue: z.core.$ZodIssue,
  prefix: readonly PropertyKey[],
): { path: PropertyKey[]; message: string } {
  const path = [...prefix, ...issue.path];
  let best = { path, message: issue.message };
  if (issue.code === 'invalid_union')
    for (const branch of issue.errors)
      for (const inner of branch) {
        const candidate = deepest(inner, path);
        if (candidate.path.length > best.path.length) best = candidate;
      }
  return best;
}
