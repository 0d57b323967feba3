import type { Interval } from '../../spec/nodes.js';
import { formatDate } from '../../time/calendar.js';
import type { OffsetSegment, Wall } from '../../time/zone.js';
import { localTimeExpr, timestampLiteral } from './expressions.js';

// The index of the period a UTC timestamp falls in, counted from a first period: local calendar
// days, weeks and months (a DST day is 23 or 25 hours), real hours (an autumn night has 25).
// Shared by retention, stickiness and lifecycle.

export interface PeriodAxis {
  readonly period: Interval;
  /** First instant of period 0, a period start. */
  readonly firstMs: number;
  /** Local wall time period 0 starts at. */
  readonly firstWall: Wall;
  /** Zone offsets covering every timestamp the expression reads from firstMs on. */
  readonly offsets: readonly OffsetSegment[];
}

/** Period index of `column`; NULL before period 0 unless `allowNegative`. */
export function periodIndexExpr(column: string, axis: PeriodAxis, allowNegative = false): string {
  const local = localTimeExpr(column, axis.offsets);
  const firstDate = `DATE '${formatDate(axis.firstWall)}'`;
  const day = `date_diff('day', ${firstDate}, CAST(${local} AS DATE))`;
  let index: string;
  switch (axis.period) {
    case 'hour':
      index = `floor((epoch_ms(${column}) - ${axis.firstMs}) / 3600000)::BIGINT`;
      break;
    case 'day':
      index = day;
      break;
    case 'week':
      index = `floor(${day} / 7)::BIGINT`;
      break;
    case 'month':
      index = `date_diff('month', ${firstDate}, CAST(${local} AS DATE))`;
      break;
  }
  return allowNegative
    ? index
    : `CASE WHEN ${column} >= ${timestampLiteral(axis.firstMs)} THEN ${index} END`;
}
