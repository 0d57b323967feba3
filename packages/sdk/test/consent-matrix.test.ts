import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAnalytics, type UsageStatsMode } from '@tally/sdk';
import { describe, expect, it } from 'vitest';
import { baseOptions, recordingFetch, TICKET_CREATED, tempDir } from './helpers.js';

// The opt-out matrix: every configured mode x every value of the env switch x DO_NOT_TRACK.
// The expected outcome is written out independently of the implementation.
const MODES: UsageStatsMode[] = ['off', 'local', 'on'];
const SWITCH_VALUES: Array<string | undefined> = [
  undefined,
  '',
  'false',
  '0',
  'no',
  'off',
  'FALSE',
  ' Off ',
  'true',
  '1',
  'yes',
  'on',
  'YES',
  'local',
  'Local',
  'banana',
  '2',
  'disabled',
  'ture',
];
const DNT_VALUES: Array<string | undefined> = [undefined, '1', 'true', '0', 'false', 'maybe'];

function expected(
  mode: UsageStatsMode,
  value: string | undefined,
  dnt: string | undefined,
): UsageStatsMode {
  if (dnt === '1' || dnt === 'true') return 'off';
  if (value === undefined || value.trim() === '') return mode;
  const v = value.trim().toLowerCase();
  if (['false', '0', 'no', 'off'].includes(v)) return 'off';
  if (['true', '1', 'yes', 'on'].includes(v)) return 'on';
  if (v === 'local') return 'local';
  return mode;
}

describe('opt-out matrix', () => {
  const cases = MODES.flatMap((mode) =>
    SWITCH_VALUES.flatMap((value) => DNT_VALUES.map((dnt) => ({ mode, value, dnt }))),
  );

  it.each(cases)(
    'usageStats=$mode ALGA_USAGE_STATS=$value DO_NOT_TRACK=$dnt',
    async ({ mode, value, dnt }) => {
      const dir = tempDir();
      const env: Record<string, string> = {};
      if (value !== undefined) env.ALGA_USAGE_STATS = value;
      if (dnt !== undefined) env.DO_NOT_TRACK = dnt;
      const logs: string[] = [];
      const collector = recordingFetch();
      const localFile = join(dir, 'usage.ndjson');
      const analytics = createAnalytics(
        baseOptions({
          usageStats: mode,
          usageStatsSwitch: 'ALGA_USAGE_STATS',
          env,
          fetch: collector.fetch,
          localFile,
          log: (l) => logs.push(l),
        }),
      );
      const want = expected(mode, value, dnt);

      expect(analytics.status().mode).toBe(want);
      analytics.capture('ticket_created', TICKET_CREATED, { userId: 'u1', tenantId: 't1' });
      await analytics.shutdown(5_000);

      const sent = collector.events().filter((e) => e.event === 'ticket_created');
      const local = existsSync(localFile)
        ? readFileSync(localFile, 'utf8').trim().split('\n').filter(Boolean)
        : [];
      expect(sent.length).toBe(want === 'on' ? 1 : 0);
      expect(local.length).toBe(want === 'local' ? 1 : 0);
      if (want === 'off') expect(collector.batches).toHaveLength(0);
      const isInvalid =
        value !== undefined &&
        value.trim() !== '' &&
        expected('off', value, undefined) === 'off' &&
        expected('on', value, undefined) === 'on';
      const shouldWarn = isInvalid && !(dnt === '1' || dnt === 'true');
      expect(logs.some((l) => l.includes('not understood'))).toBe(shouldWarn);
    },
  );
});
