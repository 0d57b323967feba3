import { resolveCohorts } from '../cohorts/filters.js';
import { QueryError } from '../errors.js';
import type { Actor } from '../plan/actor.js';
import { type Predicate, type PropertySource, toPredicate } from '../plan/predicates.js';
import type { QueryContext } from '../query-context.js';
import type { ActorsQuery } from '../spec/insights.js';

// Part of the actors plan stage: the list's own `properties`, read as the insights read them
// (plan/predicates.ts, cohorts resolved), and checked to be about the listed actors.

export function listFilters(
  properties: ActorsQuery['properties'],
  actor: Actor,
  ctx: QueryContext,
): Predicate | null {
  const where = resolveCohorts(toPredicate(properties, 'properties'), ctx.cohorts, 'properties');
  checkListFilters(where, actor);
  return where;
}

/**
 * The list's filters are about the actors themselves: persons by person properties and cohorts,
 * tenants by their own group properties. Event properties say nothing about an actor.
 */
function checkListFilters(predicate: Predicate | null, actor: Actor): void {
  if (predicate === null) return;
  let source: PropertySource;
  switch (predicate.kind) {
    case 'and':
    case 'or':
      for (const child of predicate.children) checkListFilters(child, actor);
      return;
    case 'cohort':
      source = { type: 'person' };
      break;
    case 'property':
      source = predicate.property.source;
  }
  const fits =
    actor.kind === 'person'
      ? source.type === 'person'
      : source.type === 'group' && source.index === actor.index;
  if (!fits)
    throw new QueryError(
      'invalid_query',
      'properties',
      actor.kind === 'person'
        ? 'persons are filtered by person properties and cohorts'
        : "tenants are filtered by their own group's properties",
    );
}
