import type { ActorsOrderKey } from '../../actors/page.js';
import type { ActorsPlan } from '../../actors/plan.js';
import type { Predicate } from '../../plan/predicates.js';
import type { ParamList, RenderedSql } from '../params.js';
import { pointSql } from './actors-points.js';
import { joinClauses, noJoins, predicateSql } from './expressions.js';

// Stage 3 of actors, DuckDB dialect: the point's actors (actors-points.ts) -> one page of them
// in a deterministic order (limit + 1 rows, so the shape stage knows whether there is more),
// with the person (properties, distinct ids) or the group (properties) each one is.
// Rows: `(actor_id, event_count, properties, created_ms, is_identified, distinct_ids, did)`;
// `did` is a distinct id of a personless actor (trends count those by distinct id). Without a
// source the points are the project's person (group) rows, so the same page serves that list.

const ORDER_COLUMNS: Readonly<Record<ActorsOrderKey, string>> = {
  event_count: 'n',
  id: 'actor::VARCHAR',
  created_at: 'created',
};

export function renderActorsStatement(plan: ActorsPlan): RenderedSql {
  const { ctes, params, points } = pointSql(plan.point, plan.target.actor);
  const project = `CAST(${params.add(plan.projectId)} AS INTEGER)`;
  const order = (prefix: string): string =>
    plan.page.order
      .map((term) => `${prefix}${ORDER_COLUMNS[term.key]} ${term.descending ? 'DESC' : 'ASC'}`)
      .join(', ');
  // `created` exists only in the points of a list without source (the only one ordering by it).
  const created = plan.page.order.some((term) => term.key === 'created_at') ? ', created' : '';
  // The list's own narrowing (search, properties) applies before paging.
  const narrow =
    (plan.page.search === null
      ? ''
      : `\n    AND ${searchSql(plan, params.add(plan.page.search), project)}`) +
    (plan.where === null ? '' : `\n    AND ${filterSql(plan, plan.where, params, project)}`);
  const all = [
    ...ctes,
    `actor_points AS (\n${points}\n)`,
    `page AS (
  SELECT actor, n${created} FROM actor_points WHERE actor IS NOT NULL${narrow}
  ORDER BY ${order('')} LIMIT ${plan.page.limit + 1} OFFSET ${plan.page.offset}
)`,
  ];
  const { actor } = plan.target;
  let details: string;
  let joins: string;
  if (actor.kind === 'group') {
    details = `g.properties::VARCHAR AS properties, epoch_ms(g.created_at)::DOUBLE AS created_ms,
  NULL::BOOLEAN AS is_identified, NULL::VARCHAR[] AS distinct_ids, NULL::VARCHAR AS did`;
    joins = `LEFT JOIN groups g ON g.project_id = ${project} AND g.group_type_index = ${actor.index} AND g.group_key = page.actor`;
  } else {
    details = `p.properties::VARCHAR AS properties, epoch_ms(p.created_at)::DOUBLE AS created_ms,
  p.is_identified, d.ids AS distinct_ids, ${plan.target.allowsPersonless ? 'x.did' : 'NULL::VARCHAR'} AS did`;
    const personless = plan.target.allowsPersonless
      ? `\nLEFT JOIN (
  SELECT actor, min(distinct_id) AS did FROM base WHERE actor IN (SELECT actor FROM page) GROUP BY actor
) x ON x.actor = page.actor`
      : '';
    joins = `LEFT JOIN persons p ON p.id = page.actor AND p.project_id = ${project}
LEFT JOIN (
  SELECT person_id, list(distinct_id ORDER BY distinct_id) AS ids FROM person_distinct_ids
  WHERE project_id = ${project} AND person_id IN (SELECT actor FROM page) GROUP BY person_id
) d ON d.person_id = page.actor${personless}`;
  }
  const retention = plan.point.kind === 'retention' ? appearancesSql(plan.point) : null;
  const sql = `WITH ${all.join(',\n')}
SELECT page.actor::VARCHAR AS actor_id, page.n::DOUBLE AS event_count,
  ${details}${retention === null ? '' : ',\n  coalesce(ap.ks, [0]) AS appearances'}
FROM page
${joins}${retention === null ? '' : `\n${retention}`}
ORDER BY ${order('page.')}`;
  return { sql, params: params.values };
}

/**
 * PostHog's retention `appearances`: the offsets (periods after the cohort's) where the actor
 * counts in its cohort's row, from the same `returns`; cumulative rows count it up to its last.
 */
function appearancesSql(point: Extract<ActorsPlan['point'], { kind: 'retention' }>): string {
  const p = point.cohort;
  const ks = point.statement.retention.cumulative
    ? `range(0, max(r.p) - ${p} + 1)`
    : `list_concat([0], list(r.p - ${p} ORDER BY r.p))`;
  return `LEFT JOIN (
  SELECT r.actor, ${ks} AS ks FROM returns r
  WHERE r.p > ${p}${point.statement.retention.windowMs === null ? '' : ` AND r.c = ${p}`}
    AND r.actor IN (SELECT actor FROM page) GROUP BY r.actor
) ap ON ap.actor = page.actor`;
}

/** `search` (lower-cased, bound as `text`): over ids, distinct ids, and `email` / `name`. */
function searchSql(plan: ActorsPlan, text: string, project: string): string {
  const has = (column: string): string => `contains(lower(${column}), ${text})`;
  const named = (properties: string): string =>
    `(${has(`coalesce(json_extract_string(${properties}, '$.email'), '')`)} OR ${has(`coalesce(json_extract_string(${properties}, '$.name'), '')`)})`;
  const { actor } = plan.target;
  if (actor.kind === 'group')
    return `(${has('actor')} OR actor IN (
    SELECT group_key FROM groups WHERE project_id = ${project} AND group_type_index = ${actor.index} AND ${named('properties')}))`;
  const parts = [
    has('actor::VARCHAR'),
    `actor IN (SELECT person_id FROM person_distinct_ids WHERE project_id = ${project} AND ${has('distinct_id')})`,
    `actor IN (SELECT id FROM persons WHERE project_id = ${project} AND ${named('properties')})`,
  ];
  // Trends count personless events by distinct id: such an actor is found by it too.
  if (plan.target.allowsPersonless)
    parts.push(`actor IN (SELECT actor FROM base WHERE ${has('distinct_id')})`);
  return `(${parts.join('\n    OR ')})`;
}

/**
 * `properties` on the list, rendered by the insights' own predicate SQL over one row `e` per
 * candidate actor that looks like an event of it: a person through one of its distinct ids (so
 * `pdi` and `p` join as for events), a tenant through its key in `group_N`. An actor without a
 * person profile (trends' personless) has no such row and matches no filter.
 */
function filterSql(plan: ActorsPlan, where: Predicate, params: ParamList, project: string): string {
  const needs = noJoins();
  const test = predicateSql(where, params, needs);
  const { actor } = plan.target;
  const e =
    actor.kind === 'group'
      ? `SELECT DISTINCT actor, ${project} AS project_id, actor AS group_${actor.index}, true AS process_person FROM actor_points`
      : `SELECT d.person_id AS actor, ${project} AS project_id, min(d.distinct_id) AS distinct_id, true AS process_person
    FROM person_distinct_ids d WHERE d.project_id = ${project} AND d.person_id IN (SELECT actor FROM actor_points)
    GROUP BY d.person_id`;
  return `actor IN (
    SELECT e.actor FROM (${e}) e
    ${joinClauses(needs)}
    WHERE ${test})`;
}
