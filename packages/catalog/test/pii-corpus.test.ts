import { describe, expect, it } from 'vitest';
import { findPii, scrubDeep } from '../src/scrub/scrub.js';
import { fragmentsOf, NEGATIVE_SAMPLES, PII_SAMPLES } from './pii-corpus.js';

/** Every place a sample can hide in an event: the scrub must find it in each. */
const POSITIONS: Record<string, (text: string) => unknown> = {
  'whole value': (text) => text,
  sentence: (text) => `Please reach out: ${text} (re: escalation)`,
  'nested object': (text) => ({ outer: { inner: { note: text } } }),
  array: (text) => ['first', text, 'last'],
  'object key': (text) => ({ [text]: 1 }),
  'URL path and query': (text) => {
    const encoded = encodeURIComponent(text);
    return `https://tally.test/people/${encoded}/view?who=${encoded}&src=crm`;
  },
  'URL-encoded': (text) => encodeURIComponent(text),
  'query string': (text) => `?q=${encodeURIComponent(text)}&page=2`,
};

describe('PII corpus', () => {
  it('has at least 200 samples covering every kind and 40 negative values', () => {
    expect(PII_SAMPLES.length).toBeGreaterThanOrEqual(200);
    expect(new Set(PII_SAMPLES.map((s) => s.kind)).size).toBe(8);
    expect(NEGATIVE_SAMPLES.length).toBeGreaterThanOrEqual(40);
  });

  describe.each(PII_SAMPLES.map((s) => [`${s.kind}: ${s.text}`, s] as const))('%s', (_, sample) => {
    const fragments = fragmentsOf(sample);

    it.each(Object.entries(POSITIONS))('is found and removed as %s', (_position, place) => {
      const input = place(sample.text);
      expect(findPii(input)).toContain(sample.kind);

      const { value, redactions } = scrubDeep(input);
      expect(redactions).toBeGreaterThan(0);
      expect(findPii(value)).toEqual([]);
      const json = JSON.stringify(value).toLowerCase();
      for (const fragment of fragments) expect(json).not.toContain(fragment.toLowerCase());
    });
  });

  describe.each(NEGATIVE_SAMPLES.map((text) => [text]))('negative: %s', (text) => {
    it.each(Object.entries(POSITIONS).slice(0, 5))('comes through unchanged as %s', (_p, place) => {
      const input = place(text);
      expect(findPii(input)).toEqual([]);
      const { value, redactions } = scrubDeep(input);
      expect(value).toBe(input);
      expect(redactions).toBe(0);
    });
  });

  it('scrubs the whole corpus as one event without leaving a fragment', () => {
    const event = Object.fromEntries(PII_SAMPLES.map((s, i) => [`p${i}`, s.text]));
    const { value } = scrubDeep(event);
    expect(findPii(value)).toEqual([]);
    const json = JSON.stringify(value).toLowerCase();
    for (const sample of PII_SAMPLES) {
      for (const fragment of fragmentsOf(sample))
        expect(json).not.toContain(fragment.toLowerCase());
    }
  });
});
