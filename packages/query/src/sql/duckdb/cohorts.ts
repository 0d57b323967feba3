import type { CohortCondition, CohortEventMatch, CohortPlan } from '../../cohorts/plan.js';
import type { Predicate } from '../../plan/predicates.js';
import { type ParamList, paramList, type RenderedSql } from '../params.js';
import {
  eventInSql,
  type JoinNeeds,
  joinClauses,
  jsonPath,
  noJoins,
  predicateSql,
  timestampLiteral,
  valueTestSql,
} from './expressions.js';

// Cohort membership in DuckDB, evaluated when the query runs (§2.7; the decisions are in
// cohorts/plan.ts). A cohort is `SELECT person_id` over the project's persons: a static list
// by person id or distinct id (resolved through person_distinct_ids, so merges apply), or a
// condition over the person's properties and one aggregate row of the person's events up to
// "now" (a count, first time or group match per behavioural leaf).

/** Rows `(person_id UUID)`: the cohort's members, each once. */
export function cohortMembersSql(plan: CohortPlan, params: ParamList): string {
  const project = `CAST(${params.add(plan.projectId)} AS INTEGER)`;
  if (plan.kind === 'static') {
    const list = (ids: readonly string[]): string =>
      `(SELECT unnest(from_json(${params.add(JSON.stringify(ids))}, '["VARCHAR"]')))`;
    return `SELECT p.id AS person_id FROM persons p
WHERE p.project_id = ${project} AND (p.id::VARCHAR IN ${list(plan.personIds)}
  OR p.id IN (SELECT person_id FROM person_distinct_ids
    WHERE project_id = ${project} AND distinct_id IN ${list(plan.distinctIds)}))`;
  }
  const aggregates: string[] = [];
  const needs = noJoins();
  needs.person = true;
  const condition = conditionSql(plan.condition, plan, params, needs, aggregates);
  if (aggregates.length === 0)
    return `SELECT p.id AS person_id FROM persons p WHERE p.project_id = ${project} AND ${condition}`;
  // Only the events some leaf can count are read: their names, from the earliest window on.
  const scan = scanOf(plan.condition);
  const where = [
    `e.project_id = ${project}`,
    'e.process_person',
    'pdi.person_id IS NOT NULL',
    `e.timestamp <= ${timestampLiteral(plan.nowMs)}`,
  ];
  if (scan.events !== null) where.push(eventInSql([...scan.events], params));
  if (scan.afterMs !== null) where.push(`e.timestamp > ${timestampLiteral(scan.afterMs)}`);
  const events = `SELECT pdi.person_id AS pid, ${aggregates.join(', ')}
  FROM events e
  ${joinClauses(needs)}
  WHERE ${where.join(' AND ')}
  GROUP BY pdi.person_id`;
  return `SELECT p.id AS person_id FROM persons p LEFT JOIN (${events}) a ON a.pid = p.id
WHERE p.project_id = ${project} AND ${condition}`;
}

interface Scan {
  /** Event names some leaf counts; null = every event (a group property leaf). */
  events: Set<string> | null;
  /** No leaf looks at events at or before this; null = the whole history. */
  afterMs: number | null;
}

/** What the aggregate row of a dynamic cohort must read (nested cohorts have their own). */
function scanOf(condition: CohortCondition): Scan {
  const scan: Scan = { events: new Set(), afterMs: Number.POSITIVE_INFINITY };
  const visit = (node: CohortCondition): void => {
    switch (node.kind) {
      case 'and':
      case 'or':
        node.children.forEach(visit);
        return;
      case 'group_property':
        scan.events = null;
        scan.afterMs = null;
        return;
      case 'event_count':
      case 'stopped':
        scan.events?.add(node.match.event);
        if (scan.afterMs !== null) scan.afterMs = Math.min(scan.afterMs, node.afterMs);
        return;
      case 'first_time':
        scan.events?.add(node.match.event);
        scan.afterMs = null;
        return;
      default:
        return;
    }
  };
  visit(condition);
  if (scan.afterMs === Number.POSITIVE_INFINITY) scan.afterMs = null;
  return scan;
}

/** The event's person is in the cohort: false for personless events and non-members. */
export function cohortPredicateSql(
  predicate: Extract<Predicate, { kind: 'cohort' }>,
  params: ParamList,
  needs: JoinNeeds,
): string {
  const plan = predicate.plan;
  if (plan === undefined) throw new Error('cohort predicates are resolved before SQL');
  needs.person = true;
  const test = `coalesce(CASE WHEN e.process_person THEN pdi.person_id END IN (${cohortMembersSql(plan, params)}), false)`;
  return predicate.negated ? `(NOT ${test})` : test;
}

/**
 * One person's membership as a boolean over `p` (persons) and `a` (the event aggregates, NULL
 * for a person without events); each behavioural leaf appends its aggregate column to `out`.
 */
function conditionSql(
  condition: CohortCondition,
  plan: CohortPlan,
  params: ParamList,
  needs: JoinNeeds,
  out: string[],
): string {
  const negate = (sql: string, negated: boolean): string => (negated ? `(NOT ${sql})` : sql);
  const column = (sql: string): string => {
    out.push(`${sql} AS a${out.length}`);
    return `a.a${out.length - 1}`;
  };
  const since = (ms: number): string => `e.timestamp > ${timestampLiteral(ms)}`;
  switch (condition.kind) {
    case 'and':
    case 'or': {
      if (condition.children.length === 0) return condition.kind === 'and' ? 'true' : 'false';
      const parts = condition.children.map((child) =>
        conditionSql(child, plan, params, needs, out),
      );
      return `(${parts.join(condition.kind === 'and' ? ' AND ' : ' OR ')})`;
    }
    case 'person_property':
      return negate(personPropertySql(condition.where, params), condition.negated);
    case 'group_property': {
      // The group must be stored: a key without a groups row matches nothing, not is_not_set.
      const index = groupIndexOf(condition.where);
      needs.groups.add(index);
      const test = predicateSql(condition.where, params, needs);
      const matched = column(`bool_or(g${index}.group_key IS NOT NULL AND ${test})`);
      return negate(`coalesce(${matched}, false)`, condition.negated);
    }
    case 'event_count': {
      const count = column(
        `count(*) FILTER (WHERE ${matchSql(condition.match, params, needs)} AND ${since(condition.afterMs)})`,
      );
      const op = { gte: '>=', gt: '>', lte: '<=', lt: '<', eq: '=' }[condition.operator];
      const sql = `coalesce(${count} > 0 AND ${count} ${op} ${params.add(condition.count)}, false)`;
      return negate(sql, condition.negated);
    }
    case 'first_time': {
      const first = column(
        `min(e.timestamp) FILTER (WHERE ${matchSql(condition.match, params, needs)})`,
      );
      return negate(
        `coalesce(${first} > ${timestampLiteral(condition.afterMs)}, false)`,
        condition.negated,
      );
    }
    case 'stopped': {
      const match = matchSql(condition.match, params, needs);
      const recent = timestampLiteral(condition.recentAfterMs);
      const before = column(
        `count(*) FILTER (WHERE ${match} AND ${since(condition.afterMs)} AND e.timestamp <= ${recent})`,
      );
      const after = column(`count(*) FILTER (WHERE ${match} AND e.timestamp > ${recent})`);
      return negate(`coalesce(${before} > 0 AND ${after} = 0, false)`, condition.negated);
    }
    case 'cohort':
      return negate(
        `p.id IN (SELECT person_id FROM (${cohortMembersSql(condition.cohort, params)}))`,
        condition.negated,
      );
  }
}

function matchSql(match: CohortEventMatch, params: ParamList, needs: JoinNeeds): string {
  const event = `e.event = ${params.add(match.event)}`;
  return match.where === null ? event : `${event} AND ${predicateSql(match.where, params, needs)}`;
}

/** A person-property test on the persons row itself (not through an event). */
function personPropertySql(where: Predicate, params: ParamList): string {
  if (where.kind !== 'property') throw new Error('a person leaf tests a person property');
  const value = `json_extract_string(p.properties, ${jsonPath(where.property.key)})`;
  return valueTestSql(value, where.test, where.negated, params);
}

function groupIndexOf(where: Predicate): number {
  if (where.kind === 'property' && where.property.source.type === 'group')
    return where.property.source.index;
  throw new Error('a group property leaf tests a group property');
}

/**
 * Rows `(id, distinct_ids, properties, created_ms, is_identified)`: one page of the cohort's
 * members by person id, `limit + 1` rows so the caller knows whether there is a next page.
 */
export function renderCohortPersons(
  plan: CohortPlan,
  page: { readonly limit: number; readonly offset: number },
): RenderedSql {
  const params = paramList();
  const members = cohortMembersSql(plan, params);
  const sql = `WITH m AS (${members})
SELECT p.id::VARCHAR AS id, p.properties::VARCHAR AS properties, epoch_ms(p.created_at) AS created_ms,
  p.is_identified,
  (SELECT list(d.distinct_id ORDER BY d.distinct_id) FROM person_distinct_ids d
    WHERE d.project_id = p.project_id AND d.person_id = p.id) AS distinct_ids
FROM persons p JOIN m ON m.person_id = p.id
ORDER BY p.id
LIMIT ${page.limit + 1} OFFSET ${page.offset}`;
  return { sql, params: params.values };
}

/** Whether one person is a member: the membership SQL filtered to that person. */
export function renderCohortMember(plan: CohortPlan, personId: string): RenderedSql {
  const params = paramList();
  const members = cohortMembersSql(plan, params);
  const sql = `WITH m AS (${members})
SELECT count(*) > 0 AS member FROM m WHERE m.person_id = ${params.add(personId)}::UUID`;
  return { sql, params: params.values };
}

export function renderCohortCount(plan: CohortPlan): RenderedSql {
  const params = paramList();
  const members = cohortMembersSql(plan, params);
  const sql = `WITH m AS (${members})
SELECT count(*) AS n FROM persons p JOIN m ON m.person_id = p.id`;
  return { sql, params: params.values };
}
