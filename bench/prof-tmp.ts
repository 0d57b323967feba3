import { psaCatalog } from '@tally/catalog';
import { createAnalytics } from '@tally/sdk';

const tally = createAnalytics({
  catalog: psaCatalog,
  host: 'http://127.0.0.1:9',
  token: 'phc_benchmark_token',
  appVersion: '1.0.0',
  fetch: async () => new Response('', { status: 200 }),
});
const properties = {
  ticket_id: 'c0f3b1de',
  created_via: 'email',
  priority: 'high',
  priority_id: 'p',
  board_id: 'b',
  has_category: true,
  has_subcategory: false,
  is_assigned: true,
  has_asset: false,
  has_description: true,
  used_template: false,
} as const;
const N = 1000;
const parts: Record<string, number> = {};
for (let r = 0; r < 300; r++) {
  const s = process.hrtime.bigint();
  for (let j = 0; j < N; j++)
    tally.capture('ticket_created', properties, {
      userId: `user-${j % 500}`,
      tenantId: `t-${j % 40}`,
    });
  parts.total = (parts.total ?? 0) + Number(process.hrtime.bigint() - s);
  await new Promise((r) => setImmediate(r));
}
console.log('per call ns', parts.total! / 300 / N);
await tally.shutdown(1000);
