import type { Actor } from '../../plan/actor.js';
import type { Predicate, PropertyRef, ValueTest } from '../../plan/predicates.js';
import { formatDateTime } from '../../time/calendar.js';
import { type OffsetSegment, type Wall, wallFromMs } from '../../time/zone.js';
import type { ParamList } from '../params.js';
import { cohortPredicateSql } from './cohorts.js';

// DuckDB expressions over `events e` and its joins, shared by every insight's SQL. Values are
// parameters; JSON paths and regex patterns are escaped literals, because DuckDB re-reads a
// parameter path or pattern on every row but compiles a literal once.

/**
 * Properties that also live in a column of `events` (the store's HOT_COLUMNS; a test keeps the
 * two lists equal). The column holds only non-empty strings, so other values fall back to JSON.
 */
export const HOT_PROPERTY_COLUMNS: Readonly<Record<string, string>> = Object.freeze({
  $lib: 'lib',
  app_version: 'app_version',
  environment: 'environment',
  deployment: 'deployment',
  $browser: 'browser',
  $os: 'os',
  $pathname: 'pathname',
});

/** A SQL string literal: quotes doubled (DuckDB standard strings have no backslash escapes). */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** `'$."key"'` with `"` and `\` escaped for DuckDB's JSON path syntax. */
export function jsonPath(key: string): string {
  return sqlString(`$."${key.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`);
}

export function timestampLiteral(epochMs: number): string {
  return `TIMESTAMP '${formatDateTime(wallFromMs(epochMs))}'`;
}

export function wallLiteral(wall: Wall): string {
  return `TIMESTAMP '${formatDateTime(wall)}'`;
}

/** Which joins an expression needed; the statement adds them to its FROM. */
export interface JoinNeeds {
  person: boolean;
  personProperties: boolean;
  groups: Set<number>;
}

export const noJoins = (): JoinNeeds => ({
  person: false,
  personProperties: false,
  groups: new Set(),
});

export function joinClauses(needs: JoinNeeds): string {
  const out: string[] = [];
  // Personless events ($process_person_profile: false) have no person even when their distinct
  // id has one (the store's rule, PostHog's too). That is a CASE on e.process_person in the
  // expressions, not a join condition: a one-sided condition in a LEFT JOIN's ON turns DuckDB's
  // hash join into a nested loop (9 s instead of 0.1 s at 1M events).
  if (needs.person || needs.personProperties)
    out.push(
      'LEFT JOIN person_distinct_ids pdi ON pdi.project_id = e.project_id AND pdi.distinct_id = e.distinct_id',
    );
  if (needs.personProperties) out.push('LEFT JOIN persons p ON p.id = pdi.person_id');
  for (const index of [...needs.groups].sort())
    out.push(
      `LEFT JOIN groups g${index} ON g${index}.project_id = e.project_id AND g${index}.group_type_index = ${index} AND g${index}.group_key = e.group_${index}`,
    );
  return out.join('\n  ');
}

/**
 * The event is one of `names` (at least one). One name is `=`, which the scan applies itself;
 * several are `list_contains`, not `IN`: DuckDB evaluates an IN list on the event column as a
 * chain of ORs after the scan, twice the cost (10M events, 3 names: 108 ms against 225 ms).
 */
export function eventInSql(names: readonly string[], params: ParamList): string {
  const [first, ...rest] = names;
  if (first === undefined) throw new Error('eventInSql needs a name');
  if (rest.length === 0) return `e.event = ${params.add(first)}`;
  return `list_contains([${names.map((name) => params.add(name)).join(', ')}], e.event)`;
}

/** A property as text (NULL when missing or JSON null). */
export function propertyExpr(ref: PropertyRef, needs: JoinNeeds): string {
  const path = jsonPath(ref.key);
  switch (ref.source.type) {
    case 'event': {
      const column = HOT_PROPERTY_COLUMNS[ref.key];
      const json = `json_extract_string(e.properties, ${path})`;
      return column === undefined ? json : `coalesce(e.${column}, ${json})`;
    }
    case 'person':
      needs.personProperties = true;
      return `CASE WHEN e.process_person THEN json_extract_string(p.properties, ${path}) END`;
    case 'group':
      needs.groups.add(ref.source.index);
      return `json_extract_string(g${ref.source.index}.properties, ${path})`;
  }
}

/**
 * The actor key: the person id, or for events without a person an id derived from the distinct
 * id (md5 as a UUID, so persons and distinct ids share one fast UUID column); or the group key.
 * `skipPersonless` makes personless events NULL (not counted), as lifecycle wants (§2.5).
 */
export function actorExpr(
  actor: Actor,
  needs: JoinNeeds,
  options: { readonly skipPersonless?: boolean } = {},
): string {
  if (actor.kind === 'group') return `nullif(e.group_${actor.index}, '')`;
  needs.person = true;
  if (options.skipPersonless === true) return 'CASE WHEN e.process_person THEN pdi.person_id END';
  return 'CASE WHEN e.process_person AND pdi.person_id IS NOT NULL THEN pdi.person_id ELSE md5(e.distinct_id)::UUID END';
}

export function predicateSql(predicate: Predicate, params: ParamList, needs: JoinNeeds): string {
  switch (predicate.kind) {
    case 'and':
    case 'or': {
      const parts = predicate.children.map((child) => predicateSql(child, params, needs));
      return `(${parts.join(predicate.kind === 'and' ? ' AND ' : ' OR ')})`;
    }
    case 'cohort':
      return cohortPredicateSql(predicate, params, needs);
    case 'property':
      return valueTestSql(
        propertyExpr(predicate.property, needs),
        predicate.test,
        predicate.negated,
        params,
      );
  }
}

/** A value test on a text expression; a missing value fails the test (and passes its NOT). */
export function valueTestSql(
  value: string,
  test: ValueTest,
  negated: boolean,
  params: ParamList,
): string {
  const sql = `coalesce(${testSql(value, test, params)}, false)`;
  return negated ? `(NOT ${sql})` : sql;
}

function testSql(value: string, test: ValueTest, params: ParamList): string {
  switch (test.op) {
    case 'in':
      return `${value} IN (${test.values.map((v) => params.add(v)).join(', ')})`;
    case 'icontains':
      return `contains(lower(${value}), lower(${params.add(test.value)}))`;
    case 'regex':
      return `regexp_matches(${value}, ${sqlString(test.pattern)})`;
    case 'compare': {
      const op = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[test.cmp];
      return `TRY_CAST(${value} AS DOUBLE) ${op} ${params.add(test.value)}`;
    }
    case 'between':
      return `TRY_CAST(${value} AS DOUBLE) BETWEEN ${params.add(test.min)} AND ${params.add(test.max)}`;
    case 'is_set':
      return `${value} IS NOT NULL`;
  }
}

/** Wall-clock time of a UTC TIMESTAMP column: the column plus the zone offset in force then. */
export function localTimeExpr(column: string, segments: readonly OffsetSegment[]): string {
  const seconds = (segment: OffsetSegment): number => Math.round(segment.offsetMs / 1000);
  if (segments.length === 1) {
    const only = seconds(segments[0] as OffsetSegment);
    return only === 0 ? column : `(${column} + to_seconds(${only}))`;
  }
  const branches = segments
    .map((segment) =>
      segment.untilMs === null
        ? `ELSE ${seconds(segment)}`
        : `WHEN ${column} < ${timestampLiteral(segment.untilMs)} THEN ${seconds(segment)}`,
    )
    .join(' ');
  return `(${column} + to_seconds(CASE ${branches} END))`;
}
