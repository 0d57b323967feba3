import { numberOf } from '../run.js';
import type { SqlRow } from '../runner.js';
import type { StickinessPlan } from './plan.js';

// Stage 5 of stickiness: per series PostHog's `{data, days, labels}`: data[i] = actors active
// in exactly i + 1 units (i + 1 or more when cumulative), days = [1..N].

export interface StickinessResult {
  readonly action: { readonly id: string | null; readonly type: 'events'; readonly order: number };
  readonly label: string;
  readonly count: number;
  readonly data: number[];
  readonly days: number[];
  readonly labels: string[];
  /** Set when comparing: which range the line counts, as in trends. */
  readonly compare?: boolean;
  readonly compare_label?: 'current' | 'previous';
}

const UNIT_NAMES = { hour: 'hour', day: 'day', week: 'week', month: 'month' } as const;

export function shapeStickiness(
  plan: StickinessPlan,
  rows: ReadonlyArray<readonly SqlRow[]>,
): StickinessResult[] {
  const { stickiness } = plan;
  const unitName =
    stickiness.intervalsPerUnit === 1
      ? UNIT_NAMES[stickiness.interval]
      : `${stickiness.intervalsPerUnit} ${UNIT_NAMES[stickiness.interval]}s`;
  return plan.statements.map((statement, i) => {
    const { units } = statement;
    const data = new Array<number>(units).fill(0);
    for (const row of rows[i] ?? []) {
      const active = numberOf(row.active);
      if (active >= 1 && active <= units)
        data[active - 1] = (data[active - 1] ?? 0) + numberOf(row.n);
    }
    if (stickiness.cumulative)
      for (let k = units - 2; k >= 0; k--) data[k] = (data[k] ?? 0) + (data[k + 1] ?? 0);
    const days = data.map((_, k) => k + 1);
    return {
      action: { id: statement.series.event, type: 'events', order: statement.series.index },
      label: statement.series.label,
      count: data.reduce((a, b) => a + b, 0),
      data,
      days,
      labels: days.map((d) => `${d} ${unitName}${d === 1 ? '' : 's'}`),
      ...(stickiness.previous === null ? {} : { compare: true, compare_label: statement.period }),
    };
  });
}
