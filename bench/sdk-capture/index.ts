// Cost of one capture() call on the host's hot path: Tally next to posthog-node, same process,
// same properties, interleaved rounds. Neither touches the network (a stub fetch answers 200).
// Prints the median and p90 per call for each, and the ratio. Target: Tally <= 5 us median and
// faster than posthog-node.
import { psaCatalog } from '@tally/catalog';
import { createAnalytics } from '@tally/sdk';
import { PostHog } from 'posthog-node';

const CALLS_PER_BLOCK = 1_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const WARMUP_BLOCKS = 30;

const stubFetch = async (): Promise<Response> => new Response('{"status":"Ok"}', { status: 200 });

const tally = createAnalytics({
  catalog: psaCatalog,
  host: 'http://127.0.0.1:9',
  token: 'phc_benchmark_token',
  appVersion: '1.0.0',
  fetch: stubFetch,
});
const posthog = new PostHog('phc_benchmark_token', {
  host: 'http://127.0.0.1:9',
  fetch: stubFetch as never,
  flushAt: 100,
  flushInterval: 5_000,
});

const properties = {
  ticket_id: 'c0f3b1de-8d8e-4bb1-9a55-0b0c8f6a7e21',
  ticket_type: 'incident',
  created_via: 'email',
  priority: 'high',
  priority_id: 'prio-17',
  board_id: 'b7a9c7e2-3f1d-4a57-9a0e-4f0b6f1f2d11',
  has_category: true,
  has_subcategory: false,
  is_assigned: true,
  has_asset: false,
  has_description: true,
  used_template: false,
} as const;

function tallyBlock(i: number): void {
  for (let j = 0; j < CALLS_PER_BLOCK; j++) {
    tally.capture('ticket_created', properties, {
      userId: `user-${(i + j) % 500}`,
      tenantId: `tenant-${(i + j) % 40}`,
    });
  }
}

function posthogBlock(i: number): void {
  for (let j = 0; j < CALLS_PER_BLOCK; j++) {
    posthog.capture({
      distinctId: `user-${(i + j) % 500}`,
      event: 'ticket_created',
      properties,
      groups: { tenant: `tenant-${(i + j) % 40}` },
    });
  }
}

/** Nanoseconds per call for one block; background work (flushes) runs between blocks. */
async function timeBlock(run: (i: number) => void, i: number): Promise<number> {
  const start = process.hrtime.bigint();
  run(i);
  const ns = Number(process.hrtime.bigint() - start) / CALLS_PER_BLOCK;
  await new Promise((r) => setImmediate(r));
  return ns;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

async function main(): Promise<void> {
  for (let i = 0; i < WARMUP_BLOCKS; i++) {
    await timeBlock(tallyBlock, i);
    await timeBlock(posthogBlock, i);
  }
  const t: number[] = [];
  const p: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    // Alternate which goes first so drift and GC hit both alike.
    if (i % 2 === 0) {
      t.push(await timeBlock(tallyBlock, i));
      p.push(await timeBlock(posthogBlock, i));
    } else {
      p.push(await timeBlock(posthogBlock, i));
      t.push(await timeBlock(tallyBlock, i));
    }
  }
  t.sort((a, b) => a - b);
  p.sort((a, b) => a - b);
  const row = (name: string, xs: number[]) =>
    `${name.padEnd(14)} ${(quantile(xs, 0.5) / 1000).toFixed(3).padStart(9)} us ${(quantile(xs, 0.9) / 1000).toFixed(3).padStart(9)} us`;
  console.log(`capture() per call, ${ROUNDS} rounds x ${CALLS_PER_BLOCK} calls, interleaved`);
  console.log(`${''.padEnd(14)} ${'median'.padStart(12)} ${'p90'.padStart(12)}`);
  console.log(row('tally', t));
  console.log(row('posthog-node', p));
  const ratio = quantile(t, 0.5) / quantile(p, 0.5);
  console.log(
    `ratio tally/posthog-node (median): ${ratio.toFixed(3)}  (< 1 means Tally is faster)`,
  );
  await Promise.all([tally.shutdown(10_000), posthog.shutdown(10_000)]);
  // Both really did the work behind capture(): every event was processed and delivered.
  const c = tally.counters();
  console.log(
    `tally: ${c.captured} captured, ${c.sent} delivered to the stub collector, ${c.errors} errors`,
  );
}

await main();
