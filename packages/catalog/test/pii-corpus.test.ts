import { describe, expect, it } from 'vitest';
import { findPii, scrubDeep } from '../src/scrub/scrub.js';
import { NEGATIVE_SAMPLES, PII_SAMPLES, type PiiSample } from './pii-corpus.js';

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

/** The sample, and the pieces of it that would still identify someone if they survived. */
function fragmentsOf(sample: PiiSample): string[] {
  const { kind, text } = sample;
  const out = [text, encodeURIComponent(text), ...(sample.secrets ?? [])];
  const digits = text.replace(/\D/g, '');
  switch (kind) {
    case 'email': {
      const decoded = decodeURIComponent(text).replace(/^.*?[\s<"]|^mailto:|[>"]$/g, '');
      const [local = '', domain = ''] = decoded.split('@');
      out.push(local, domain);
      break;
    }
    case 'phone':
    case 'card':
    case 'national_id':
      out.push(digits, ...(text.match(/\d{4,}/g) ?? []));
      break;
    case 'iban':
      out.push(text.replace(/ /g, ''), ...(text.match(/[A-Z0-9]{4,}/gi) ?? []).slice(1));
      break;
    case 'ip':
      out.push(text.replace(/^\[|\](:\d+)?$|:\d+$|\/\d+$/g, ''));
      break;
    case 'token':
      out.push(...(text.match(/[\w+/=-]{8,}/g) ?? []).filter((p) => !/^Authorization$/.test(p)));
      break;
    case 'url':
      break;
  }
  // the shortest identifying fragment we check: shorter ones (`x`, `::1`'s `1`) occur by chance
  return [...new Set(out)].filter((f) => f.length >= 3);
}

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
