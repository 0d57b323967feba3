import type { ActorsPlan } from '../actors/plan.js';
import type { CohortPlan } from '../cohorts/plan.js';
import type { ExperimentMetricPlan, ExposurePlan } from '../experiments/plan.js';
import type { FunnelStatement } from '../funnels/plan.js';
import type { LifecycleStatement } from '../lifecycle/plan.js';
import type { RetentionStatement } from '../retention/plan.js';
import type { StickinessStatement } from '../stickiness/plan.js';
import type { TrendsStatement } from '../trends/plan.js';
import { renderActorsStatement } from './duckdb/actors.js';
import { renderCohortCount, renderCohortMember, renderCohortPersons } from './duckdb/cohorts.js';
import { renderEarliestEvent } from './duckdb/earliest.js';
import { renderExposureCounts, renderMetricStats } from './duckdb/experiments.js';
import { renderFunnelStatement } from './duckdb/funnels.js';
import { renderLifecycleStatement } from './duckdb/lifecycle.js';
import { renderRetentionStatement } from './duckdb/retention.js';
import { renderStickinessStatement } from './duckdb/stickiness.js';
import { renderTrendsStatement } from './duckdb/trends.js';
import type { RenderedSql } from './params.js';

/** What each SQL dialect renders; a ClickHouse dialect implements the same. */
export interface Dialect {
  trends(statement: TrendsStatement): RenderedSql;
  /** One row `{earliest_ms}`: the project's first event time, NULL without events. */
  earliestEvent(projectId: number): RenderedSql;
  /**
   * Rows `(kind, cohort, k, n)` of one retention triangle; with a property breakdown also
   * `bucket, breakdown_value, rank` (one triangle per bucket).
   */
  retention(statement: RetentionStatement): RenderedSql;
  /** Rows `(active, n)` of one stickiness series. */
  stickiness(statement: StickinessStatement): RenderedSql;
  /** Rows `(p, status, n)` of one lifecycle chart. */
  lifecycle(statement: LifecycleStatement): RenderedSql;
  /** One row: `c{k}` actors reaching step k, `avg{k}`/`med{k}` ms from step k-1. */
  funnels(statement: FunnelStatement): RenderedSql;
  /** One page (limit + 1 rows) of the actors behind a data point: see duckdb/actors.ts. */
  actors(plan: ActorsPlan): RenderedSql;
  /** One page of a cohort's persons: `(id, distinct_ids, properties, created_ms, is_identified)`. */
  cohortPersons(
    plan: CohortPlan,
    page: { readonly limit: number; readonly offset: number },
  ): RenderedSql;
  /** One row `n`: how many persons the cohort holds (the rows cohortPersons pages through). */
  cohortCount(plan: CohortPlan): RenderedSql;
  /** One row `member`: whether the person with this id is in the cohort. */
  cohortMember(plan: CohortPlan, personId: string): RenderedSql;
  /** Rows `(variant, n)`: an experiment's exposed units per variant, `$multiple` included. */
  experimentExposures(plan: ExposurePlan): RenderedSql;
  /** Rows `(variant, n, sum_y, sum_y2, ...)`: one metric's sufficient statistics per variant. */
  experimentMetric(plan: ExperimentMetricPlan): RenderedSql;
}

export const DUCKDB: Dialect = Object.freeze({
  trends: renderTrendsStatement,
  earliestEvent: renderEarliestEvent,
  retention: renderRetentionStatement,
  stickiness: renderStickinessStatement,
  lifecycle: renderLifecycleStatement,
  funnels: renderFunnelStatement,
  cohortPersons: renderCohortPersons,
  cohortCount: renderCohortCount,
  cohortMember: renderCohortMember,
  actors: renderActorsStatement,
  experimentExposures: renderExposureCounts,
  experimentMetric: renderMetricStats,
});
