import type { Actor } from '../plan/actor.js';
import type { QueryContext } from '../query-context.js';
import type { ActorsQuery } from '../spec/insights.js';
import { listFilters } from './list-filters.js';
import { actorsPage } from './page.js';
import type { ActorsPlan } from './plan.js';

// Part of the actors plan stage: a list without a source, every person of the project (PostHog's
// persons page: an ActorsQuery without `source`) or every tenant of one group type (GroupsQuery).
// The actors are the project's persons (groups) rows: a personless event made no person, so it
// is not listed, and a merged person is one row holding all its distinct ids.

export type AllActorsQuery = Pick<
  ActorsQuery,
  'select' | 'orderBy' | 'search' | 'properties' | 'limit' | 'offset'
>;

export function planAllActors(query: AllActorsQuery, actor: Actor, ctx: QueryContext): ActorsPlan {
  return {
    projectId: ctx.projectId,
    target: { actor, allowsPersonless: false },
    point: { kind: 'all', projectId: ctx.projectId },
    page: actorsPage(query, 'all'),
    where: listFilters(query.properties, actor, ctx),
  };
}
