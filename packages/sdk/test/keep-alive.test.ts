import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// A script whose only work is `await analytics.flush()` against a server that is down: the SDK's
// timers are unref'd, so without a handle held for the awaited call Node would exit mid-retry.
const SCRIPT = `
import { psaCatalog } from '@tally/catalog';
import { createAnalytics } from '@tally/sdk';
const analytics = createAnalytics({
  catalog: psaCatalog, host: 'http://127.0.0.1:9', token: 'phc_keepalivetest0001',
  appVersion: '2.1.0', environment: 'test', secret: 'test-secret-that-is-long-enough-0123456789',
  env: {}, log: () => {}, maxRetries: 2, retryBaseMs: 200, retryMaxMs: 400,
});
analytics.capture('feature_used', { feature: 'ticket_creation', feature_category: 'ticketing', is_first_use: false }, { userId: 'u1' });
await analytics.flush();
const c = analytics.counters();
console.log('flushed', c.retries, c.droppedUndelivered);
await analytics.shutdown(1000);
console.log('shut down');
`;

describe('awaiting flush() and shutdown()', () => {
  it('keeps the process alive until they settle, though the retries wait on unref-ed timers', () => {
    const root = join(import.meta.dirname, '..', '..', '..');
    const run = spawnSync(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', SCRIPT],
      { cwd: root, encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    // Both retries ran, then the event was given up (no spool): flush() waited for all of it.
    expect(run.stdout).toBe('flushed 2 1\nshut down\n');
  });
});
