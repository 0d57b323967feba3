import { defineEvent, extendCatalog, prop, psaCatalog } from '@tally/catalog';
import { createAnalytics } from '@tally/sdk';
import { describe, expect, it } from 'vitest';
import { fragmentsOf, PII_SAMPLES } from '../../catalog/test/pii-corpus.js';
import { baseOptions, recordingFetch } from './helpers.js';

// The PII corpus through the whole SDK: each sample in every position a host app can put a
// value (property values, a vendor's over-permissive token property, ids, context ids, unknown
// and nested properties, arrays, URLs, identify and alias), in both deployments. Nothing of
// any sample may reach the wire.
const catalog = extendCatalog(psaCatalog, {
  events: {
    note_added: defineEvent({
      category: 'vendor',
      version: 1,
      description: 'A vendor event with a deliberately over-permissive token property.',
      firesWhen: 'In this test.',
      properties: {
        label: prop.pattern(/[^\n]{1,400}/, 'Anything on one line (a vendor mistake)', {
          maxLength: 400,
          example: 'anything',
        }),
        record_id: prop.id('An id'),
        kinds: prop.enumList(['a', 'b'], 'A list'),
      },
    }),
  },
});

const wrap = {
  whole: (t: string) => t,
  sentence: (t: string) => `Call back: ${t} (urgent)`,
  url: (t: string) =>
    `https://psa.example.com/contacts/${encodeURIComponent(t)}?q=${encodeURIComponent(t)}`,
};

describe.each(['hosted', 'on-premise'] as const)(
  'PII corpus through the SDK (%s)',
  (deployment) => {
    it(`lets no fragment of ${PII_SAMPLES.length} samples reach the collector`, async () => {
      const collector = recordingFetch();
      const analytics = createAnalytics({
        ...baseOptions({ fetch: collector.fetch, deployment, usageStats: 'on' }),
        catalog,
      });
      for (const sample of PII_SAMPLES) {
        for (const w of Object.values(wrap)) {
          const text = w(sample.text);
          analytics.capture(
            'note_added',
            {
              label: text,
              record_id: text,
              kinds: [text] as never,
              [text]: 1,
              nested: { deep: [text] },
            } as never,
            { userId: text, tenantId: text, sessionId: text },
          );
        }
        analytics.identify(sample.text, { user_type: 'msp', locale: sample.text } as never, {
          anonymousId: sample.text,
        });
        analytics.alias(sample.text, sample.text);
        analytics.group(sample.text, { plan: sample.text } as never);
      }
      await analytics.shutdown();
      const events = collector.events();
      expect(events.length).toBe(PII_SAMPLES.length * 6);
      const leaks: string[] = [];
      PII_SAMPLES.forEach((sample, i) => {
        // This sample's six events, with what cannot hold PII masked: keyed hashes, uuids and
        // timestamps are digits and hex that would match a 4-digit fragment by chance.
        const text = JSON.stringify(events.slice(i * 6, i * 6 + 6))
          .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'U')
          .replace(/[0-9a-f]{64}/g, 'H')
          .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/g, 'T')
          .toLowerCase();
        for (const fragment of fragmentsOf(sample)) {
          if (text.includes(fragment.toLowerCase())) leaks.push(`${sample.kind}: ${fragment}`);
        }
      });
      expect(leaks).toEqual([]);
      // The events still arrived, with what was safe to keep.
      expect(events.every((e) => e.properties.deployment === deployment)).toBe(true);
    });
  },
);
