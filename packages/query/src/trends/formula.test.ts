import { describe, expect, it } from 'vitest';
import { isQueryError } from '../errors.js';
import { evaluateFormula, parseFormula } from './formula.js';

const run = (text: string, values: number[]): number =>
  evaluateFormula(parseFormula(text, values.length, 'trendsFilter.formula'), values);

describe('formulas', () => {
  it('follows precedence, parentheses and unary minus', () => {
    expect(run('A + B * 2', [1, 3])).toBe(7);
    expect(run('(A + B) * 2', [1, 3])).toBe(8);
    expect(run('-A + 3', [1])).toBe(2);
    expect(run('(a / 3600) / b', [7200, 4])).toBe(0.5);
    expect(run('A - -B', [1, 2])).toBe(3);
  });

  it('makes a division by zero 0, at the division', () => {
    expect(run('A / B', [5, 0])).toBe(0);
    expect(run('A / B + 1', [5, 0])).toBe(1);
  });

  it.each(['A +', 'A B', '(A', 'C', 'A $ B', ''])('refuses %j naming the field only', (text) => {
    try {
      parseFormula(text, 2, 'trendsFilter.formula');
      expect.unreachable();
    } catch (error) {
      expect(isQueryError(error, 'invalid_query')).toBe(true);
      expect((error as Error).message).toContain('trendsFilter.formula');
    }
  });
});
