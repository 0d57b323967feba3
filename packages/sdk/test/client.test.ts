import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { psaCatalog } from '@tally/catalog';
import { createAnalytics, SDK_VERSION, SdkError } from '@tally/sdk';
import { describe, expect, it } from 'vitest';
import { baseOptions, HOST, recordingFetch, TICKET_CREATED, TOKEN, tempDir } from './helpers.js';

const SECRET = 'test-secret-that-is-long-enough-0123456789';
const hmac = (id: string) => createHmac('sha256', SECRET).update(id).digest('hex');
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('options', () => {
  it.each([
    [{ host: 'not a url' }, 'host'],
    [{ token: 'x' }, 'token'],
    [{ flushAt: 0 }, 'flushAt'],
    [{ maxRetries: -1 }, 'maxRetries'],
    [{ usageStats: 'maybe' }, 'usageStats'],
    [{ usageStatsSwitch: 'not valid!' }, 'usageStatsSwitch'],
    [{ secret: 'short' }, 'secret'],
    [{ flushAtt: 5 }, 'flushAtt'],
  ])('rejects %o with an error naming the key', (override, key) => {
    const build = () => createAnalytics({ ...baseOptions(), ...(override as object) } as never);
    expect(build).toThrow(SdkError);
    expect(build).toThrow(key);
  });

  it('never echoes the bad value (a token could be a secret)', () => {
    const bad = 'this token has spaces and is secret';
    expect(() => createAnalytics(baseOptions({ token: bad }))).toThrow(/token/);
    try {
      createAnalytics(baseOptions({ token: bad }));
    } catch (error) {
      expect((error as Error).message).not.toContain(bad);
    }
  });

  it('requires a secret or a dataDir on-premise', () => {
    const { secret: _, ...rest } = baseOptions({ deployment: 'on-premise' });
    expect(() => createAnalytics(rest)).toThrow(/secret/);
    expect(() => createAnalytics({ ...rest, dataDir: tempDir() })).not.toThrow();
  });
});

describe('capture', () => {
  it('sends catalogued events in the PostHog /batch/ format with the envelope', async () => {
    const collector = recordingFetch();
    const analytics = createAnalytics(
      baseOptions({ fetch: collector.fetch, now: () => Date.UTC(2026, 10, 25, 12) }),
    );
    analytics.capture('ticket_created', TICKET_CREATED, {
      userId: 'user-1',
      tenantId: 'tenant-9',
      sessionId: 's-1',
    });
    expect(collector.batches).toHaveLength(0); // capture is an enqueue, not I/O
    await analytics.flush();
    expect(collector.batches).toHaveLength(1);
    const body = collector.batches[0];
    expect(body?.api_key).toBe(TOKEN);
    const [event] = body?.batch ?? [];
    expect(event?.event).toBe('ticket_created');
    expect(event?.distinct_id).toBe('user-1');
    expect(event?.uuid).toMatch(UUID_V7);
    expect(event?.timestamp).toBe('2026-11-25T12:00:00.000Z');
    expect(event?.properties).toEqual({
      ...TICKET_CREATED,
      app_version: '2.1.0',
      deployment: 'hosted',
      environment: 'test',
      schema_version: 1,
      $lib: 'tally-node',
      $lib_version: SDK_VERSION,
      $geoip_disable: true,
      $groups: { tenant: 'tenant-9' },
      $session_id: 's-1',
    });
    await analytics.shutdown();
  });

  it('drops unknown events and properties and counts them; strict mode throws', async () => {
    const collector = recordingFetch();
    const analytics = createAnalytics(baseOptions({ fetch: collector.fetch }));
    analytics.capture('no_such_event' as never, {} as never);
    analytics.capture(
      'ticket_created',
      { ...TICKET_CREATED, title: 'Printer broken for Jane' } as never,
      { userId: 'u' },
    );
    analytics.capture('ticket_created', { ...TICKET_CREATED, priority: 'whenever' } as never, {
      userId: 'u',
    });
    await analytics.flush();
    const counters = analytics.counters();
    expect(counters.droppedUnknownEvent).toBe(1);
    expect(counters.droppedUnknownProperty).toBe(1);
    expect(counters.droppedInvalidProperty).toBe(1);
    const sent = collector.events();
    expect(sent).toHaveLength(2);
    expect(sent[0]?.properties).not.toHaveProperty('title');
    expect(sent[1]?.properties).not.toHaveProperty('priority');

    const strict = createAnalytics(baseOptions({ fetch: collector.fetch, strict: true }));
    expect(() => strict.capture('no_such_event' as never, {} as never)).toThrow(
      /not in the catalog/,
    );
    expect(() =>
      strict.capture('ticket_created', { ...TICKET_CREATED, title: 'x' } as never),
    ).toThrow(/title/);
    expect(() =>
      strict.capture('ticket_created', { ...TICKET_CREATED, priority: 1 } as never),
    ).toThrow(/priority/);
    await Promise.all([analytics.shutdown(), strict.shutdown()]);
  });

  it('never throws into the host outside strict mode, whatever it is given', async () => {
    const errors: SdkError[] = [];
    const analytics = createAnalytics(
      baseOptions({ fetch: recordingFetch().fetch, onError: (e) => errors.push(e) }),
    );
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => {
      analytics.capture('ticket_created', null as never);
      analytics.capture('ticket_created', cyclic as never, { userId: 'u' });
      analytics.capture(undefined as never, undefined as never);
      analytics.capture('ticket_created', {
        ticket_id: {
          toString: () => {
            throw new Error('boom');
          },
        },
      } as never);
    }).not.toThrow();
    await expect(analytics.flush()).resolves.toBeUndefined();
    await analytics.shutdown();
  });

  it('keyed-hashes every id on-premise and sends no raw id', async () => {
    const collector = recordingFetch();
    const analytics = createAnalytics(
      baseOptions({ fetch: collector.fetch, deployment: 'on-premise', usageStats: 'on' }),
    );
    analytics.capture('ticket_created', TICKET_CREATED, {
      userId: 'user-1',
      tenantId: 'tenant-9',
      sessionId: 's-1',
    });
    analytics.identify('user-1', { user_type: 'msp' } as never, { anonymousId: 'anon-7' });
    analytics.group('tenant-9', {} as never);
    analytics.alias('user-1', 'legacy-42');
    await analytics.flush();
    const [captured, identify, group, alias] = collector.events();
    expect(captured?.distinct_id).toBe(hmac('user-1'));
    expect(captured?.properties.$groups).toEqual({ tenant: hmac('tenant-9') });
    expect(captured?.properties.$session_id).toBe(hmac('s-1'));
    expect(captured?.properties.board_id).toBe(hmac(TICKET_CREATED.board_id));
    expect(captured?.properties.ticket_id).toBe(hmac(TICKET_CREATED.ticket_id));
    expect(captured?.properties.deployment).toBe('on-premise');
    expect(identify).toMatchObject({
      event: '$identify',
      distinct_id: hmac('user-1'),
      properties: { $anon_distinct_id: hmac('anon-7') },
    });
    expect(group).toMatchObject({
      event: '$groupidentify',
      properties: { $group_type: 'tenant', $group_key: hmac('tenant-9') },
    });
    expect(alias).toMatchObject({
      event: '$create_alias',
      properties: { distinct_id: hmac('user-1'), alias: hmac('legacy-42') },
    });
    const wire = JSON.stringify(collector.batches);
    for (const raw of [
      'user-1',
      'tenant-9',
      'anon-7',
      'legacy-42',
      TICKET_CREATED.board_id,
      TICKET_CREATED.ticket_id,
      'prio-17',
    ]) {
      expect(wire).not.toContain(raw);
    }
    await analytics.shutdown();
  });

  it('hashes a hosted id that is itself PII, so it still joins but never leaks', async () => {
    const collector = recordingFetch();
    const analytics = createAnalytics(baseOptions({ fetch: collector.fetch }));
    analytics.capture('ticket_created', TICKET_CREATED, { userId: 'jane.doe@example.com' });
    await analytics.flush();
    expect(collector.events()[0]?.distinct_id).toBe(hmac('jane.doe@example.com'));
    expect(JSON.stringify(collector.batches)).not.toContain('jane');
    await analytics.shutdown();
  });

  it('sends anonymous events without a person profile', async () => {
    const collector = recordingFetch();
    const analytics = createAnalytics(baseOptions({ fetch: collector.fetch }));
    analytics.capture('ticket_created', TICKET_CREATED, { tenantId: 't' });
    await analytics.flush();
    const [event] = collector.events();
    expect(event?.properties.$process_person_profile).toBe(false);
    expect(event?.distinct_id).toBe(event?.uuid);
    await analytics.shutdown();
  });

  it('batches by maxBatchSize and flushes by itself at flushAt', async () => {
    const collector = recordingFetch();
    const analytics = createAnalytics(
      baseOptions({ fetch: collector.fetch, flushAt: 10, maxBatchSize: 4 }),
    );
    for (let i = 0; i < 10; i++)
      analytics.capture('ticket_created', TICKET_CREATED, { userId: `u${i}` });
    await new Promise((r) => setTimeout(r, 50));
    expect(collector.batches.map((b) => b.batch.length)).toEqual([4, 4, 2]);
    expect(new Set(collector.events().map((e) => e.uuid)).size).toBe(10);
    await analytics.shutdown();
  });
});

describe('consent at runtime', () => {
  it('stops what is still queued when usage stats are switched off before it is sent', async () => {
    const collector = recordingFetch();
    const env: Record<string, string> = {};
    const analytics = createAnalytics(
      baseOptions({ fetch: collector.fetch, env, usageStatsSwitch: 'ALGA_USAGE_STATS' }),
    );
    analytics.capture('ticket_created', TICKET_CREATED, { userId: 'u' });
    env.ALGA_USAGE_STATS = 'false';
    await analytics.flush();
    expect(collector.batches).toHaveLength(0);
    expect(analytics.counters().droppedConsent).toBe(1);
    analytics.capture('ticket_created', TICKET_CREATED, { userId: 'u' });
    expect(analytics.counters().captured).toBe(1);
    await analytics.shutdown();
  });

  it('honours a per-tenant opt-out hook, and status() reports the same decision', async () => {
    const collector = recordingFetch();
    const optedOut = new Set(['tenant-out']);
    const analytics = createAnalytics(
      baseOptions({
        fetch: collector.fetch,
        isCaptureAllowed: (c) => !optedOut.has(c.tenantId ?? ''),
      }),
    );
    analytics.capture('ticket_created', TICKET_CREATED, { userId: 'a', tenantId: 'tenant-out' });
    analytics.capture('ticket_created', TICKET_CREATED, { userId: 'b', tenantId: 'tenant-in' });
    await analytics.flush();
    expect(collector.events().map((e) => e.distinct_id)).toEqual(['b']);
    expect(analytics.status({ tenantId: 'tenant-out' })).toMatchObject({
      mode: 'off',
      reason: 'not_allowed_for_context',
    });
    expect(analytics.status({ tenantId: 'tenant-in' })).toMatchObject({
      mode: 'on',
      destination: `${HOST}/batch/`,
    });
    await analytics.shutdown();
  });

  it('local mode appends exactly what would be sent to a file and uploads nothing', async () => {
    const collector = recordingFetch();
    const dir = tempDir();
    const localFile = join(dir, 'usage.ndjson');
    const analytics = createAnalytics(
      baseOptions({ fetch: collector.fetch, usageStats: 'local', localFile }),
    );
    analytics.capture('ticket_created', TICKET_CREATED, { userId: 'u', tenantId: 't' });
    analytics.capture('user_logged_out', { user_type: 'msp', session_minutes: 42 } as never, {
      userId: 'u',
    });
    await analytics.shutdown();
    expect(collector.batches).toHaveLength(0);
    const lines = readFileSync(localFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.event)).toEqual(['ticket_created', 'user_logged_out']);
    expect(lines[0].properties.priority).toBe('high');
    expect(analytics.status().destination).toBeUndefined(); // shut down
  });

  it('debug mode prints each event and sends nothing', async () => {
    const collector = recordingFetch();
    const logs: string[] = [];
    const analytics = createAnalytics(
      baseOptions({
        fetch: collector.fetch,
        env: { TALLY_USAGE_STATS_DEBUG: '1' },
        log: (l) => logs.push(l),
      }),
    );
    expect(analytics.status()).toMatchObject({ debug: true, destination: undefined });
    analytics.capture('ticket_created', TICKET_CREATED, { userId: 'u' });
    await analytics.shutdown();
    expect(collector.batches).toHaveLength(0);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain('"event":"ticket_created"');
  });
});

describe('package', () => {
  it('reports the version in package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(SDK_VERSION).toBe(pkg.version);
    expect(psaCatalog.events.ticket_created.version).toBe(1);
  });
});
