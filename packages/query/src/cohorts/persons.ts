import { z } from 'zod';
import { formatPath, QueryError } from '../errors.js';
import { numberOf, runStatements } from '../run.js';
import type { SqlRunner } from '../runner.js';
import { DUCKDB } from '../sql/dialect.js';
import { type CohortPlan, type CohortSource, planCohorts } from './plan.js';

// A cohort's members right now: normalize (plan the cohort at `now`) -> sql -> run -> shape,
// one page at a time, ordered by person id.

export interface CohortPersonsOptions {
  readonly projectId: number;
  /** Membership is evaluated over the events up to this instant; epoch ms or a Date. */
  readonly now: number | Date;
  readonly runner: SqlRunner;
  readonly cohorts: CohortSource;
  /** Page size, 1..10,000; DEFAULT_COHORT_PERSONS_LIMIT when missing. */
  readonly limit?: number;
  readonly offset?: number;
}

export const DEFAULT_COHORT_PERSONS_LIMIT = 100;

export interface CohortPerson {
  readonly id: string;
  readonly distinct_ids: string[];
  readonly properties: Record<string, unknown>;
  readonly created_at: string;
  readonly is_identified: boolean;
}

export interface CohortPersonsPage {
  readonly results: CohortPerson[];
  /** Whether another page follows (at `offset + limit`). */
  readonly hasMore: boolean;
}

const Options = z.object({
  projectId: z.number().int().min(1),
  now: z.union([z.number().finite(), z.date()]),
  runner: z.function(),
  cohorts: z.union([z.map(z.number(), z.unknown()), z.function()]),
  limit: z.number().int().min(1).max(10_000).optional(),
  offset: z.number().int().min(0).optional(),
});

/** The cohort's plan at `options.now`, after checking the options. */
async function planOne(cohortId: number, options: CohortPersonsOptions): Promise<CohortPlan> {
  const parsed = Options.safeParse(options);
  if (!parsed.success)
    throw new QueryError(
      'invalid_query',
      formatPath(parsed.error.issues[0]?.path ?? []),
      parsed.error.issues[0]?.message,
    );
  const nowMs = typeof options.now === 'number' ? options.now : options.now.getTime();
  const plans = await planCohorts([cohortId], options.cohorts, {
    projectId: options.projectId,
    nowMs,
  });
  const plan = plans.get(cohortId);
  if (plan === undefined)
    throw new QueryError('invalid_query', 'cohort', `unknown cohort ${cohortId}`);
  if (plan instanceof QueryError) throw plan;
  return plan;
}

/**
 * How many persons are in a cohort at `now` (what the persons list pages through). An unknown
 * cohort is `invalid_query` at `cohort`.
 *
 * @example
 * const n = await countCohortPersons(3, { projectId: 1, now: Date.now(), runner, cohorts });
 */
export async function countCohortPersons(
  cohortId: number,
  options: Omit<CohortPersonsOptions, 'limit' | 'offset'>,
): Promise<number> {
  const plan = await planOne(cohortId, options);
  const [rows = []] = await runStatements([DUCKDB.cohortCount(plan)], options.runner);
  return numberOf(rows[0]?.n ?? 0);
}

/**
 * Whether the person with id `personId` is in the cohort at `now` (flags with cohort conditions
 * ask this per request). An unknown cohort is `invalid_query` at `cohort`.
 */
export async function isCohortMember(
  cohortId: number,
  personId: string,
  options: Omit<CohortPersonsOptions, 'limit' | 'offset'>,
): Promise<boolean> {
  const plan = await planOne(cohortId, options);
  const [rows = []] = await runStatements([DUCKDB.cohortMember(plan, personId)], options.runner);
  return rows[0]?.member === true;
}

/**
 * Lists the persons in a cohort at `now`. An unknown cohort is `invalid_query` at `cohort`.
 *
 * @example
 * const { results, hasMore } = await queryCohortPersons(3, {
 *   projectId: 1, now: Date.now(), runner, cohorts: new Map([[3, definition]]), limit: 100 });
 */
export async function queryCohortPersons(
  cohortId: number,
  options: CohortPersonsOptions,
): Promise<CohortPersonsPage> {
  const plan = await planOne(cohortId, options);
  const limit = options.limit ?? DEFAULT_COHORT_PERSONS_LIMIT;
  const [rows = []] = await runStatements(
    [DUCKDB.cohortPersons(plan, { limit, offset: options.offset ?? 0 })],
    options.runner,
  );
  return {
    results: rows.slice(0, limit).map((row) => ({
      id: String(row.id),
      distinct_ids: Array.isArray(row.distinct_ids) ? row.distinct_ids.map(String) : [],
      properties: JSON.parse(String(row.properties)) as Record<string, unknown>,
      created_at: new Date(numberOf(row.created_ms)).toISOString(),
      is_identified: row.is_identified === true,
    })),
    hasMore: rows.length > limit,
  };
}
