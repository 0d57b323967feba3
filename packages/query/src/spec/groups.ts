import { z } from 'zod';
import { ActorsQuery } from './insights.js';

/**
 * PostHog's GroupsQuery: the project's groups (Tally: tenants) of one group type, as its groups
 * page lists them. The list fields are ActorsQuery's; `select` takes `group_name`
 * (`{display_name, key}`), `key`, `created_at`, `group_type_index` and `properties`, `orderBy`
 * `created_at` or `key` (groups/run.ts).
 */
export const GroupsQuery = ActorsQuery.pick({
  select: true,
  orderBy: true,
  search: true,
  properties: true,
  limit: true,
  offset: true,
  filterTestAccounts: true,
}).extend({
  kind: z.literal('GroupsQuery'),
  group_type_index: z.number().int().min(0).max(4),
});
export type GroupsQuery = z.infer<typeof GroupsQuery>;
