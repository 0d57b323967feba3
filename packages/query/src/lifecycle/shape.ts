import { numberOf } from '../run.js';
import type { SqlRow } from '../runner.js';
import type { LifecycleStatus } from './normalize.js';
import type { LifecycleStatement } from './plan.js';

// Stage 5 of lifecycle: rows -> PostHog's four series (new, returning, resurrecting, dormant),
// each with a value per bucket; dormant counts are negative (§2.5).

export interface LifecycleResult {
  readonly action: { readonly id: string | null; readonly type: 'events'; readonly order: 0 };
  readonly label: string;
  readonly status: LifecycleStatus;
  readonly count: number;
  readonly data: number[];
  readonly days: string[];
  readonly labels: string[];
}

export function shapeLifecycle(
  plan: LifecycleStatement,
  rows: readonly SqlRow[],
): LifecycleResult[] {
  const { lifecycle, periods } = plan;
  const byStatus = new Map<string, number[]>(
    lifecycle.statuses.map((s) => [s, new Array<number>(periods).fill(0)]),
  );
  for (const row of rows) {
    const data = byStatus.get(String(row.status));
    const p = numberOf(row.p);
    if (data === undefined || p < 0 || p >= periods) continue;
    data[p] = (data[p] ?? 0) + (row.status === 'dormant' ? -1 : 1) * numberOf(row.n);
  }
  const buckets = lifecycle.timeline.buckets;
  return lifecycle.statuses.map((status) => {
    const data = byStatus.get(status) ?? [];
    return {
      action: { id: lifecycle.event, type: 'events', order: 0 },
      label: `${lifecycle.label} - ${status}`,
      status,
      count: data.reduce((a, b) => a + b, 0),
      data,
      days: buckets.map((b) => b.day),
      labels: buckets.map((b) => b.label),
    };
  });
}
