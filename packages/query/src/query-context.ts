import type { CohortPlans } from './cohorts/plan.js';
import { numberOf, runStatements } from './run.js';
import type { SqlRunner } from './runner.js';
import type { Dialect } from './sql/dialect.js';
import type { WeekStartDay } from './time/calendar.js';

export const DEFAULT_WEEK_START_DAY: WeekStartDay = 1;

/** What every insight's normalize stage takes from the run options. */
export interface QueryContext {
  readonly projectId: number;
  readonly timezone: string;
  readonly nowMs: number;
  readonly weekStartDay: WeekStartDay;
  /** The project's first event, looked up only for `date_from: 'all'`; otherwise null. */
  readonly earliestEventMs: number | null;
  /** The cohorts the query refers to, planned at `nowMs` (see cohorts/plan.ts). */
  readonly cohorts?: CohortPlans;
}

/**
 * Resolves "now", the week start and, when the range starts at `all`, the earliest event: the
 * same inputs for every insight, so relative dates mean the same thing in all of them.
 */
export async function queryContext(
  options: {
    readonly projectId: number;
    readonly timezone: string;
    readonly now: number | Date;
    readonly runner: SqlRunner;
    readonly weekStartDay?: WeekStartDay;
    readonly cohortPlans?: CohortPlans;
  },
  dialect: Dialect,
  dateFrom: string | null | undefined,
): Promise<QueryContext> {
  let earliestEventMs: number | null = null;
  if (dateFrom === 'all') {
    const [rows] = await runStatements([dialect.earliestEvent(options.projectId)], options.runner);
    const earliest = rows?.[0]?.earliest_ms;
    earliestEventMs = earliest === null || earliest === undefined ? null : numberOf(earliest);
  }
  return {
    projectId: options.projectId,
    timezone: options.timezone,
    nowMs: typeof options.now === 'number' ? options.now : options.now.getTime(),
    weekStartDay: options.weekStartDay ?? DEFAULT_WEEK_START_DAY,
    earliestEventMs,
    ...(options.cohortPlans === undefined ? {} : { cohorts: options.cohortPlans }),
  };
}
