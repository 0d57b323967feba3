import { describe, expect, it } from 'vitest';
import { flagHash, holdoutHash, pickVariant, variantRanges } from './hash.js';

// Expected hashes computed independently with Python:
//   python3 -c "import hashlib; s='simple-flag.distinct_id_0';
//     print(hashlib.sha1(s.encode()).hexdigest()[:16],
//           int(hashlib.sha1(s.encode()).hexdigest()[:15], 16) / 0xFFFFFFFFFFFFFFF)"
// (Python divides exact integers; JavaScript may differ in the last ulp, hence toBeCloseTo.)
const PYTHON_VECTORS: Array<[key: string, value: string, salt: string, hash: number]> = [
  ['simple-flag', 'distinct_id_0', '', 0.7836963764220432], // sha1 c8a05362b9f414fb...
  ['simple-flag', 'distinct_id_1', '', 0.3397069926995401], // sha1 56f70997ddf60679...
  ['multivariate-flag', 'distinct_id_0', 'variant', 0.6186454537930379], // 9e5f8c67dc34910f...
  ['beta', 'user@example.com', '', 0.8280814816771356], // d3fd25e239fd3cf2...
  ['beta', 'üñí', '', 0.8802259022092067], // UTF-8 bytes; e1567c1714a49dff...
  ['checkout', '', '', 0.10305806517440151], // 1a62036b8359eee5...
  ['checkout', 'acme-corp', 'variant', 0.2626336157777869], // 433bf4e69887f04f...
];

describe('flagHash', () => {
  it.each(PYTHON_VECTORS)('hashes %s.%s%s like Python', (key, value, salt, expected) => {
    expect(flagHash(key, value, salt)).toBeCloseTo(expected, 14);
  });

  it('hashes holdouts as holdout-<value> (python: a7f5f7ea8688a99a..., 0.6560969302723004)', () => {
    expect(holdoutHash('distinct_id_0')).toBeCloseTo(0.6560969302723004, 14);
  });

  it('stays in [0, 1]', () => {
    for (let i = 0; i < 1000; i++) {
      const hash = flagHash('range', `id_${i}`);
      expect(hash).toBeGreaterThanOrEqual(0);
      expect(hash).toBeLessThanOrEqual(1);
    }
  });
});

describe('variants', () => {
  const variants = [
    { key: 'first', rollout_percentage: 50 },
    { key: 'second', rollout_percentage: 20 },
    { key: 'third', rollout_percentage: 30 },
  ];

  it('lays variants out as consecutive half-open ranges', () => {
    expect(variantRanges(variants)).toEqual([
      { key: 'first', min: 0, max: 0.5 },
      { key: 'second', min: 0.5, max: 0.7 },
      { key: 'third', min: 0.7, max: 1 },
    ]);
  });

  it('picks the range holding the variant hash (0.6186 -> second)', () => {
    expect(pickVariant('multivariate-flag', 'distinct_id_0', variants)).toBe('second');
  });

  it('picks nothing when the percentages leave the hash uncovered', () => {
    expect(
      pickVariant('multivariate-flag', 'distinct_id_0', [{ key: 'a', rollout_percentage: 10 }]),
    ).toBe(undefined);
  });
});
